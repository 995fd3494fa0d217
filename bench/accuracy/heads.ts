/**
 * The study's heads: the demo generator's spherical head (lib/demo, written to the run folder so
 * MNE-Python reads the same forward) and, when ../shared exists, the fixture forwards (surface,
 * 5960 sources; volume, 3765) with the fixtures' real noise covariance and measurement info, less
 * the sources held out as truths (bench/accuracy/truthSites.ts). Each head carries what the
 * simulation needs (where truths lie and their fields, the square root of the noise covariance)
 * and what the solves share (the inverse's forward and one preparation cache).
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
import { PreparationCache, type Preparation } from '../../lib/prepare/preparationCache.js';
import type { Covariance } from '../../lib/records/covariance.js';
import type { Forward } from '../../lib/records/forward.js';
import type { Info } from '../../lib/records/info.js';
import { withoutSources } from './restrictForward.js';
import { HOLD_OUT_MM, heldOutSpace, holdOutSet, sphereSpace, type TruthSpace } from './truthSites.js';

export type HeadName = 'sphere' | 'surf' | 'vol';

export interface Head {
  name: HeadName;
  /** The forward every method inverts (fixtures: without the held-out truth sources). */
  forward: Forward;
  /** The forward's channels (with the recording's projectors and bads). */
  info: Info;
  cov: Covariance;
  /** The file MNE-Python reads, and the sources it takes out of it (the same as `forward`'s). */
  fwdPath: string;
  heldOut: number[];
  covPath: string;
  /** Where the true sources lie (off the inverse's grid) and their fields. */
  truth: TruthSpace;
  /** nchan × nchan: L with L·Lᵀ = the noise covariance of one trial (rows in info order). */
  noiseRoot: Matrix;
  /** The solves' shared preparation (prepared gains, dSPM operator): made once per head, not per case and method. */
  preparation: Preparation;
}

/** The demo forward's size: as the README's demo (2,000 sources), fast enough for hundreds of cases. */
export const SPHERE_SOURCES = 2000;

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

/**
 * Simulated recordings are sampled at 150 Hz (0–0.3 s: 46 samples; the time courses are 4–12 Hz):
 * a quarter of the recordings' 600 Hz, so hundreds of cases solve in minutes on both sides.
 */
export const STUDY_SFREQ = 150;

function studyInfo(recording: Info): Info {
  return { ...recording, sfreq: STUDY_SFREQ, lowpass: Math.min(recording.lowpass, STUDY_SFREQ / 3) };
}

/** Entries per head: the seed's prepared gain and dSPM operator, and one prepared gain per nave for `--auto` (cov/nave). */
const PREPARATIONS_PER_HEAD = 12;

async function makeHead(h: Omit<Head, 'noiseRoot' | 'preparation'>): Promise<Head> {
  return { ...h, noiseRoot: await noiseRoot(h.info, h.cov), preparation: { cache: new PreparationCache(PREPARATIONS_PER_HEAD), key: `accuracy ${h.name}` } };
}

/** The spherical demo head, written to `dir` (demo-fwd.fif, demo-cov.fif) for the MNE side. */
export async function sphereHead(dir: string): Promise<Head> {
  const recording = makeDemoInfo({ eeg: true });
  const forward = makeForward(recording, makeCortex(SPHERE_SOURCES, 42), 'accurate');
  const cov = demoCovariance(recording);
  const fwdPath = path.join(dir, 'demo-fwd.fif'), covPath = path.join(dir, 'demo-cov.fif');
  await writeForward(fwdPath, forward, { commandLine: 'bench/accuracy sphere head' });
  await writeCov(covPath, cov);
  const info = studyInfo(recording);
  return makeHead({ name: 'sphere', forward, info, cov, fwdPath, heldOut: [], covPath, truth: sphereSpace(forward, info) });
}

/** A fixture forward (surf-fwd.fif or vol-fwd.fif) with noise-cov.fif and left_auditory's info, less its held-out truth sources; null without ../shared. */
export async function fixtureHead(name: 'surf' | 'vol', fixtures: string): Promise<Head | null> {
  const fwdPath = path.join(fixtures, 'inputs', `${name}-fwd.fif`), covPath = path.join(fixtures, 'inputs', 'noise-cov.fif');
  if (!fs.existsSync(fwdPath) || !fs.existsSync(covPath)) return null;
  const [full, cov, evoked] = await Promise.all([readForward(fwdPath), readCov(covPath), readEvoked(path.join(fixtures, 'inputs', 'left_auditory-ave.fif'), { condition: 0 })]);
  const info = studyInfo(pickInfo(evoked.info, full.chNames));
  const heldOut = holdOutSet(full.sourceRr, HOLD_OUT_MM[name]);
  return makeHead({ name, forward: withoutSources(full, heldOut), info, cov, fwdPath, heldOut, covPath, truth: heldOutSpace(full, info, heldOut) });
}
