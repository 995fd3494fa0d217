/**
 * generateDemo: the built-in demo dataset, so mxne runs with no external files. A spherical head
 * (radius 90 mm, centre (0, 0, 40) mm in head coordinates, as MNE's sample sphere), a 306-channel
 * Neuromag-like helmet and 60 EEG electrodes, a folded two-hemisphere cortex, a free-orientation
 * MEG+EEG forward (Sarvas / Berg–Scherg sphere), three true dipoles along the cortical normal with
 * damped-sine time courses, and Gaussian sensor noise drawn from a known diagonal noise covariance
 * (per channel type, as MNE's sample data), divided by √nave as in an average. Files:
 * demo-fwd.fif, demo-ave.fif (condition 'Demo', −0.1…0.3 s at 600 Hz, baseline applied), demo-cov.fif,
 * and subjects/ (synthetic T1 and sphere.reg surfaces, subjectFiles.ts).
 * Deterministic with the seed.
 */
import * as path from 'node:path';
import { InputError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { Covariance } from '../records/covariance.js';
import { Evoked } from '../records/evoked.js';
import type { Info } from '../records/info.js';
import { writeEvoked } from '../io/fiff/writeEvoked.js';
import { writeCov } from '../io/fiff/writeCov.js';
import { writeForward } from '../io/fiff/writeForward.js';
import { makeFolders } from '../io/outputFolder.js';
import { makeCortex } from './cortex.js';
import { makeDemoInfo, makeForward } from './gain.js';
import { makeRng } from './rng.js';
import { DEMO_SUBJECT, writeDemoSubjects } from './subjectFiles.js';
import { pickTruth, waveform, type DemoSource } from './truth.js';

export type { DemoSource } from './truth.js';

export interface DemoDataset {
  dir: string;
  fwd: string;
  evoked: string;
  cov: string;
  condition: string;
  truth: DemoSource[];
  /** Every condition of the evoked file ('Demo', then 'Demo 2', … with `conditions`) and its true sources. */
  conditions: string[];
  truths: DemoSource[][];
  /** Sources in the forward (both hemispheres). */
  nSources: number;
  nChannels: number;
  /** FreeSurfer subjects folder with the demo subject's T1 and sphere.reg, and a template to morph to (subjectFiles.ts). */
  subjectsDir: string;
  subject: string;
}

// Per-trial sensor noise of the order of MNE's sample data (about 150 fT, 50 fT/cm, 4 µV), so the
// true sources need realistic strengths (tens of nA·m) for the default SNR.
export const NOISE_VARIANCE = { mag: (150e-15) ** 2, grad: (5e-12) ** 2, eeg: (4e-6) ** 2 } as const;
export const DEMO_NAVE = 60;
export const DEMO_CONDITION = 'Demo';
/** Default SNR: each true source's whitened RMS over channels at its peak (noise of the average, σ²/nave). */
export const DEFAULT_SNR = 6;

function check(name: string, v: number | undefined, ok: (x: number) => boolean, expected: string): void {
  if (v !== undefined && !ok(v)) throw new InputError(name, expected, String(v));
}

/** The demo's noise covariance: diagonal, per channel type, with the info's projectors. */
export function demoCovariance(info: Info, nfree = 1000): Covariance {
  const n = info.nchan;
  const data = new Matrix(n, n);
  info.chs.forEach((c, i) => data.set(i, i, NOISE_VARIANCE[c.type as 'mag' | 'grad' | 'eeg']));
  return { names: [...info.chNames], data, diag: true, bads: [], projs: info.projs.map((p) => ({ ...p })), nfree, eig: null, eigvec: null };
}

export async function generateDemo(o: { outDir: string; nSources?: number; seed?: number; snr?: number; eeg?: boolean; conditions?: number }): Promise<DemoDataset> {
  check('nSources', o.nSources, (x) => Number.isInteger(x) && x >= 20 && x <= 200000, 'an integer in [20, 200000]');
  check('seed', o.seed, (x) => Number.isInteger(x), 'an integer');
  check('snr', o.snr, (x) => Number.isFinite(x) && x > 0, 'a positive number');
  check('conditions', o.conditions, (x) => Number.isInteger(x) && x >= 1 && x <= 100, 'an integer in [1, 100]');
  const nConditions = o.conditions ?? 1;
  const nSources = o.nSources ?? 2000;
  const seed = o.seed ?? 42;
  const snr = o.snr ?? DEFAULT_SNR;
  const dir = path.resolve(o.outDir);
  try {
    await makeFolders(dir);
  } catch (e) {
    throw new InputError('outDir', 'a folder that can be created', dir, (e as Error).message);
  }

  const info = makeDemoInfo({ eeg: o.eeg ?? true });
  const src = makeCortex(nSources, seed);
  const fwd = makeForward(info, src, 'accurate');
  const rng = makeRng(seed);
  const truth = pickTruth(src, rng);

  // Noise of the average: σ²/nave per channel.
  const nch = info.nchan;
  const sigma = info.chs.map((c) => Math.sqrt(NOISE_VARIANCE[c.type as 'mag' | 'grad' | 'eeg'] / DEMO_NAVE));
  const first = Math.round(-0.1 * info.sfreq);
  const nTimes = Math.round(0.3 * info.sfreq) - first + 1;
  /** One condition: the sources' fields at the SNR asked for, plus sensor noise (the rng goes on). */
  const simulate = (sources: DemoSource[], comment: string): Evoked => {
    const data = new Matrix(nch, nTimes);
    for (const s of sources) {
      const topo = new Float64Array(nch);
      let w2 = 0;
      for (let i = 0; i < nch; i++) {
        for (let d = 0; d < 3; d++) topo[i] += fwd.sol.get(i, 3 * s.sourceIndex + d) * s.ori[d];
        w2 += (topo[i] / sigma[i]) ** 2;
      }
      s.amplitude = snr / Math.sqrt(w2 / nch);
      for (let k = 0; k < nTimes; k++) {
        const a = s.amplitude * waveform((first + k) / info.sfreq, s.peakTime);
        for (let i = 0; i < nch; i++) data.data[i + k * nch] += a * topo[i];
      }
    }
    for (let k = 0; k < nTimes; k++) for (let i = 0; i < nch; i++) data.data[i + k * nch] += sigma[i] * rng.normal();
    return new Evoked(info, data, first, DEMO_NAVE, comment).applyBaseline([null, 0]);
  };
  // Further conditions (a cohort's) draw their own sources and noise after the first's.
  const evokeds = [simulate(truth, DEMO_CONDITION)];
  const truths = [truth];
  for (let c = 1; c < nConditions; c++) {
    truths.push(pickTruth(src, rng));
    evokeds.push(simulate(truths[c], `${DEMO_CONDITION} ${c + 1}`));
  }

  const files = { fwd: path.join(dir, 'demo-fwd.fif'), evoked: path.join(dir, 'demo-ave.fif'), cov: path.join(dir, 'demo-cov.fif') };
  await writeForward(files.fwd, fwd, { commandLine: `mxne demo (seed ${seed}, ${nSources} sources)` });
  await writeEvoked(files.evoked, evokeds);
  await writeCov(files.cov, demoCovariance(info));
  const subjectsDir = await writeDemoSubjects(dir, src);
  return { dir, ...files, condition: DEMO_CONDITION, truth, conditions: evokeds.map((e) => e.comment), truths, nSources: fwd.nsource, nChannels: nch, subjectsDir, subject: DEMO_SUBJECT };
}
