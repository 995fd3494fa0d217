/**
 * writeSyntheticForward: a demo-geometry forward of any size, for benchmarks (1k…40k sources).
 * Same helmet, EEG cap and folded cortex as the demo; MEG coils are integrated at MNE's 'point'
 * accuracy (one point per magnetometer, two per gradiometer) to keep 40k sources to a few seconds.
 */
import { writeForward } from '../io/fiff/writeForward.js';
import { InputError } from '../errors.js';
import { makeCortex } from './cortex.js';
import { makeDemoInfo, makeForward } from './gain.js';

export async function writeSyntheticForward(path: string, o: { nSources: number; seed?: number; eeg?: boolean }): Promise<void> {
  if (!Number.isInteger(o.nSources) || o.nSources < 2 || o.nSources > 200000) throw new InputError('nSources', 'an integer in [2, 200000]', String(o.nSources));
  const seed = o.seed ?? 42;
  const info = makeDemoInfo({ eeg: o.eeg ?? true });
  const fwd = makeForward(info, makeCortex(o.nSources, seed), 'point');
  await writeForward(path, fwd, { commandLine: `mxne synthetic forward (seed ${seed}, ${o.nSources} sources)` });
}
