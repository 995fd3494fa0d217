/**
 * The study's heads: the demo generator's spherical head (lib/demo, written to the run folder so
 * MNE-Python reads the same forward) and, when ../shared exists, the fixture forwards (surface,
 * 5960 sources; volume, 3765) with the fixtures' real noise covariance and measurement info.
 * Each head carries what the simulation needs: gain, source positions and normals in head
 * coordinates, each source's depth, and the square root of its noise covariance.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eighAsync } from '../../lib/linalg/decomp.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { readCov } from '../../lib/io/fiff/readCov.js';
import { readEvoked } from '../../lib/io/fiff/readEvoked.js';
import { readForward } from '../../lib/io/fiff/readForward.js';
import { writeCov } from '../../lib/io/fiff/writeCov.js';
import { writeForward } from '../../lib/io/fiff/writeForward.js';
import { demoCovariance, makeCortex, makeDemoInfo, makeForward } from '../../lib/demo/index.js';
import { pickInfo } from '../../lib/prepare/pickChannels.js';
import type { Covariance } from '../../lib/records/covariance.js';
import type { Forward } from '../../lib/records/forward.js';
import type { Info } from '../../lib/records/info.js';

export type HeadName = 'sphere' | 'surf' | 'vol';

export interface Head {
  name: HeadName;
  forward: Forward;
  /** The forward's channels (with the recording's projectors and bads). */
  info: Info;
  cov: Covariance;
  fwdPath: string;
  covPath: string;
  /** nsource × 3 unit normals in head coordinates (surfaces), or null (volume: any orientation). */
  normals: Matrix | null;
  /** Per source: mm below the outer boundary of the source space (see sourceDepths). */
  depthMm: Float64Array;
  /** nchan × nchan: L with L·Lᵀ = the noise covariance of one trial (rows in info order). */
  noiseRoot: Matrix;
}

/** The demo forward's size: as the README's demo (2,000 sources), fast enough for hundreds of cases. */
export const SPHERE_SOURCES = 2000;

/**
 * Depth of each source: the distance from the source-space centroid at which 95 % of the sources
 * lie, minus the source's own distance. Cortical shells give depths of 0–15 mm (sulci); the volume
 * grid reaches the centre of the head (≈ 60 mm).
 */
export function sourceDepths(rr: Matrix): Float64Array {
  const n = rr.rows, c = [0, 1, 2].map((d) => { let s = 0; for (let i = 0; i < n; i++) s += rr.get(i, d); return s / n; });
  const r = Float64Array.from({ length: n }, (_, i) => Math.hypot(rr.get(i, 0) - c[0], rr.get(i, 1) - c[1], rr.get(i, 2) - c[2]));
  const outer = Float64Array.from(r).sort()[Math.floor(0.95 * (n - 1))];
  return r.map((v) => Math.max(0, outer - v) * 1000);
}

/**
 * The noise root of the covariance as the whitener models it: one block for MEG, one for EEG (MNE
 * whitens the two on their own, so MEG–EEG covariance is not modelled). With the full matrix the
 * whitened noise of the fixtures has mean square 1.14, not 1 (0.99 with the blocks).
 */
async function noiseRoot(info: Info, cov: Covariance): Promise<Matrix> {
  const idx = info.chNames.map((n) => cov.names.indexOf(n));
  const type = info.chs.map((c) => (c.type === 'eeg' ? 'eeg' : 'meg'));
  const C = new Matrix(idx.length, idx.length);
  idx.forEach((a, i) => idx.forEach((b, j) => C.set(i, j, a < 0 || b < 0 || type[i] !== type[j] ? 0 : cov.data.get(a, b))));
  const { values, vectors } = await eighAsync(C);
  const L = new Matrix(C.rows, C.cols);
  for (let j = 0; j < C.cols; j++) {
    const s = Math.sqrt(Math.max(0, values[j]));
    for (let i = 0; i < C.rows; i++) L.data[i + j * C.rows] = vectors.data[i + j * C.rows] * s;
  }
  return L;
}

/** Surface normals of the used vertices, rotated from MRI to head coordinates. */
function headNormals(fwd: Forward): Matrix | null {
  if (fwd.src.some((s) => s.type !== 'surf')) return null;
  const T = fwd.mriHeadT.trans;
  const out = new Matrix(fwd.nsource, 3);
  let k = 0;
  for (const s of fwd.src) {
    for (const v of s.vertno) {
      for (let d = 0; d < 3; d++) out.set(k, d, T.get(d, 0) * s.nn.get(v, 0) + T.get(d, 1) * s.nn.get(v, 1) + T.get(d, 2) * s.nn.get(v, 2));
      k++;
    }
  }
  return out;
}

/**
 * Simulated recordings are sampled at 150 Hz (0–0.3 s: 46 samples; the time courses are 4–12 Hz):
 * a quarter of the recordings' 600 Hz, so hundreds of cases solve in minutes on both sides.
 */
export const STUDY_SFREQ = 150;

async function makeHead(name: HeadName, forward: Forward, recording: Info, cov: Covariance, fwdPath: string, covPath: string): Promise<Head> {
  const info: Info = { ...recording, sfreq: STUDY_SFREQ, lowpass: Math.min(recording.lowpass, STUDY_SFREQ / 3) };
  return { name, forward, info, cov, fwdPath, covPath, normals: headNormals(forward), depthMm: sourceDepths(forward.sourceRr), noiseRoot: await noiseRoot(info, cov) };
}

/** The spherical demo head, written to `dir` (demo-fwd.fif, demo-cov.fif) for the MNE side. */
export async function sphereHead(dir: string): Promise<Head> {
  const info = makeDemoInfo({ eeg: true });
  const forward = makeForward(info, makeCortex(SPHERE_SOURCES, 42), 'accurate');
  const cov = demoCovariance(info);
  const fwdPath = path.join(dir, 'demo-fwd.fif'), covPath = path.join(dir, 'demo-cov.fif');
  await writeForward(fwdPath, forward, { commandLine: 'bench/accuracy sphere head' });
  await writeCov(covPath, cov);
  return makeHead('sphere', forward, info, cov, fwdPath, covPath);
}

/** A fixture forward (surf-fwd.fif or vol-fwd.fif) with noise-cov.fif and left_auditory's info; null without ../shared. */
export async function fixtureHead(name: 'surf' | 'vol', fixtures: string): Promise<Head | null> {
  const fwdPath = path.join(fixtures, 'inputs', `${name}-fwd.fif`), covPath = path.join(fixtures, 'inputs', 'noise-cov.fif');
  if (!fs.existsSync(fwdPath) || !fs.existsSync(covPath)) return null;
  const [forward, cov, evoked] = await Promise.all([readForward(fwdPath), readCov(covPath), readEvoked(path.join(fixtures, 'inputs', 'left_auditory-ave.fif'), { condition: 0 })]);
  return makeHead(name, forward, pickInfo(evoked.info, forward.chNames), cov, fwdPath, covPath);
}
