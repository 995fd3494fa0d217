/**
 * Writes a solve's files into `out`: result.json, dipoles/dipole-<k>.bdip and .dip, mxne-lh/rh.stc
 * (or mxne-vl.stc), residual-ave.fif. The files are written into a staging folder that then
 * replaces `out` whole (lib/io/outputFolder.ts), so `out` never mixes two runs' files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { atomicWrite } from '../io/atomicWrite.js';
import { writeBdip } from '../io/bdip.js';
import { writeDip } from '../io/dipText.js';
import { writeEvoked } from '../io/fiff/writeEvoked.js';
import { replaceFolder } from '../io/outputFolder.js';
import { writeStc } from '../io/stc.js';
import { Matrix } from '../linalg/matrix.js';
import type { Forward } from '../records/forward.js';
import type { SourceEstimate } from '../records/sourceEstimate.js';
import { makeStcFromDipoles } from '../results/makeStcFromDipoles.js';
import type { MixedNormResult } from '../sparse/mixedNorm.js';
import type { SolveSummary } from './summary.js';

/** `extra` writes further files (morph, report) into the same staging folder, so they appear with the run. */
export async function writeOutputs(out: string, result: MixedNormResult, forward: Forward, summary: SolveSummary,
  extra?: (staging: string) => Promise<string[]>): Promise<string[]> {
  return replaceFolder(out, async (staging) => [...(await writeFiles(staging, result, forward, summary)), ...(extra ? await extra(staging) : [])]);
}

async function writeFiles(out: string, result: MixedNormResult, forward: Forward, summary: SolveSummary): Promise<string[]> {
  const written: string[] = [];
  // One file per dipole, as MNE's mixed_norm returns one Dipole per source: .bdip and .dip have
  // no way to hold several dipoles over the same times (read_dipole would see one long Dipole).
  if (result.dipoles.length > 0) await fs.promises.mkdir(path.join(out, 'dipoles'), { recursive: true });
  for (const [k, dip] of result.dipoles.entries()) {
    const name = dipoleFileName(k, result.dipoles.length);
    await writeBdip(path.join(out, 'dipoles', `${name}.bdip`), dip);
    await writeDip(path.join(out, 'dipoles', `${name}.dip`), dip);
    written.push(`dipoles/${name}.bdip`, `dipoles/${name}.dip`);
  }
  // Surface results go through make_stc_from_dipoles as in the seed example; volumes keep the
  // direct estimate. The .stc format has no x/y/z (MNE writes vector estimates only as .h5), so
  // with pickOri 'vector' the files hold amplitudes; the components are in result.json (ori).
  const surface = forward.src.every((s) => s.type === 'surf');
  const stc = surface && result.dipoles.length > 0 ? makeStcFromDipoles(result.dipoles, forward.src) : amplitudes(result.stc);
  written.push(...(await writeStc(path.join(out, 'mxne'), stc)).map((f) => path.basename(f)));
  if (result.residual !== null) {
    await writeEvoked(path.join(out, 'residual-ave.fif'), result.residual);
    written.push('residual-ave.fif');
  }
  await atomicWrite(path.join(out, 'result.json'), `${JSON.stringify(summary, null, 1)}\n`);
  written.push('result.json');
  return written;
}

/** A vector estimate reduced to amplitudes (the norm over x, y, z), as MNE's magnitude(). */
function amplitudes(stc: SourceEstimate): SourceEstimate {
  if (!stc.vector) return stc;
  const n = stc.data.rows / 3, T = stc.data.cols;
  const data = new Matrix(n, T);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < 3; c++) s += stc.data.get(3 * i + c, t) ** 2;
    data.set(i, t, Math.sqrt(s));
  }
  return { ...stc, vector: false, data };
}

/** dipole-00, dipole-01, …: zero-padded so that sorted names follow result.json's order. */
export function dipoleFileName(k: number, n: number): string {
  return `dipole-${String(k).padStart(Math.max(2, String(n - 1).length), '0')}`;
}
