/**
 * The seed workflow on files (MNE's plot_mixed_norm_inverse.py): read covariance, evoked and
 * forward; baseline and crop; dSPM weights; irMxNE; write every result into one folder. Shared by
 * `mxne solve`, `mxne demo` and (later) batch runs. Inputs are all validated before anything is
 * written, and the output folder appears whole (one run's files) or not at all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { readCov } from '../io/fiff/readCov.js';
import { readEvoked } from '../io/fiff/readEvoked.js';
import { readForward } from '../io/fiff/readForward.js';
import { awaitedLater } from '../awaitedLater.js';
import { InputError } from '../errors.js';
import { checkOutputFolder, replaceFolder } from '../io/outputFolder.js';
import type { Covariance } from '../records/covariance.js';
import type { Evoked } from '../records/evoked.js';
import type { Forward } from '../records/forward.js';
import type { SourceEstimate } from '../records/sourceEstimate.js';
import { mixedNorm, type MixedNormResult } from '../sparse/mixedNorm.js';
import { normalizeMixedNormOptions, type MixedNormOptions } from '../sparse/mixedNormOptions.js';
import { autoMixedNorm, type AutoStrategy } from './autoSolve.js';
import { dspmWeights } from './dspmWeights.js';
import { infoDigest, PreparationCache, type Preparation } from '../prepare/preparationCache.js';
import { sha256File } from './sha256File.js';
import { buildSummary, type SolveSummary } from './summary.js';
import type { FigureThread } from '../viz/figureThread.js';
import { checkExtras, extraOutputs, morphRun } from './extraOutputs.js';
import { writeOutputs } from './writeOutputs.js';

export interface SolveJob {
  fwd: string;
  evoked: string;
  cov: string;
  out: string;
  condition: string | number;
  baseline: [number | null, number | null] | null;
  tmin: number | null;
  tmax: number | null;
  /** 'dspm': weights from a dSPM solution as in the seed example; 'none': plain (ir)MxNE. */
  weights: 'dspm' | 'none';
  mixedNorm: MixedNormOptions;
  /** Pictures and morph (lib/workflow/extraOutputs.ts): FreeSurfer subjects folder, subject, morph target, report.html (only when true). */
  subjectsDir?: string | null;
  subject?: string | null;
  morphTo?: string | null;
  report?: boolean;
  /** `--auto`: alpha and weighting from the data (autoSolve.ts); alpha, weights and weightsMin are then not used. */
  auto?: AutoStrategy | null;
  /** Two or more conditions solved together (`condition` is then the first): concatenated in time as MNE's list, or jointly with `joint`. */
  conditions?: Array<string | number>;
  /** With `conditions`: the joint L2,1,2 solve (mixedNorm's jointConditions). */
  joint?: boolean;
  /**
   * The inputs' names in result.json when they are not to be their absolute paths (a service's
   * clients see the names they gave, never a host path); `mxne report` then cannot reopen them.
   */
  inputNames?: { fwd: string; evoked: string; cov: string };
}

export type StageListener = (stage: 'read' | 'weights' | 'solve' | 'write', detail?: string) => void;

export interface SeedInputs {
  evoked: Evoked; forward: Forward; cov: Covariance;
  /** Every condition of a multi-condition job (evoked is the first). */
  conditions?: Evoked[];
  /** What the crop changed of the request (a limit beyond the data), said in the result's warnings. */
  notes?: string[];
}

/** MNE's crop warns when a limit lies outside the data and uses the data's edge; so do we, in words. */
function cropNotes(full: Evoked, tmin: number | null, tmax: number | null): string[] {
  // Within half a sample of the edge is on it (crop snaps limits to the nearest sample).
  const t = full.times, half = t.length > 1 ? (t[1] - t[0]) / 2 : 0, first = t[0], last = t[t.length - 1];
  const s = (x: number) => `${Number(x.toPrecision(4))} s`;
  const notes: string[] = [];
  if (tmin !== null && tmin < first - half) notes.push(`tmin ${s(tmin)} is before the data, which start at ${s(first)}: cropped from there`);
  if (tmax !== null && tmax > last + half) notes.push(`tmax ${s(tmax)} is beyond the data, which end at ${s(last)}: cropped there`);
  return notes;
}

/**
 * With `shared` (a cache and the files' SHA-256), the forward and the covariance are read once per
 * content and shared by the solves that use them.
 */
export async function readSeedInputs(job: Pick<SolveJob, 'fwd' | 'evoked' | 'cov' | 'condition' | 'baseline' | 'tmin' | 'tmax' | 'conditions'>, shared?: { cache: PreparationCache; fwd: string; cov: string }): Promise<SeedInputs> {
  // Read side by side: file I/O and the native gain widening overlap the parsing of the others.
  const names = job.conditions ?? [job.condition];
  const [cov, forward, ...fulls] = await Promise.all([
    shared ? shared.cache.get(`cov:${shared.cov}`, () => readCov(job.cov)) : readCov(job.cov),
    shared ? shared.cache.get(`fwd:${shared.fwd}`, () => readForward(job.fwd)) : readForward(job.fwd),
    ...names.map((condition) => readEvoked(job.evoked, { condition, baseline: job.baseline })),
  ] as const);
  const evokeds = (fulls as Evoked[]).map((e) => e.crop(job.tmin, job.tmax));
  return { evoked: evokeds[0], forward, cov, notes: cropNotes(fulls[0] as Evoked, job.tmin, job.tmax), ...(job.conditions ? { conditions: evokeds } : {}) };
}

/**
 * Runs the seed workflow in memory: dSPM weights (if any), then mixedNorm. The weights are handed
 * over as a Promise, so the dSPM and the sparse gain preparation run side by side on the thread
 * pool (each with its own BLAS thread).
 */
export async function solveSeed(inputs: SeedInputs, job: Pick<SolveJob, 'weights' | 'mixedNorm' | 'auto' | 'joint'>, onStage: StageListener = () => {}, preparation?: Preparation): Promise<MixedNormResult> {
  const { evoked, forward, cov } = inputs;
  if (job.auto) {
    if (inputs.conditions) throw new InputError('--auto', 'one condition', `${inputs.conditions.length} conditions`);
    onStage('solve', `irMxNE, --auto ${job.auto}, ${forward.nsource} sources`);
    const { alpha: _a, weights: _w, weightsMin: _m, randomState: _r, sureAlphaGrid: _g, ...shared } = job.mixedNorm;
    return autoMixedNorm(evoked, forward, cov, { strategy: job.auto, mixedNorm: shared });
  }
  if (inputs.conditions) return solveConditions(inputs.conditions, forward, cov, job, onStage);
  // Without a batch cache, one for this solve: the dSPM operator and the sparse gain then prepare the noise covariance once.
  const shared = preparation ?? { cache: new PreparationCache(), key: 'solve', single: true };
  let weights: Promise<SourceEstimate> | null = null;
  if (job.weights === 'dspm') {
    onStage('weights', 'dSPM');
    weights = dspmWeights(evoked, forward, cov, job.mixedNorm, shared);
  }
  onStage('solve', `irMxNE, ${forward.nsource} sources`);
  return mixedNorm(evoked, forward, cov, { ...job.mixedNorm, weights }, shared);
}

/**
 * Several conditions in one solve. dSPM weights: per source, the largest over the conditions (a
 * source strong in any condition passes the weightsMin mask).
 */
async function solveConditions(evokeds: Evoked[], forward: Forward, cov: Covariance, job: Pick<SolveJob, 'weights' | 'mixedNorm' | 'joint'>, onStage: StageListener): Promise<MixedNormResult> {
  let weights: Promise<Float64Array> | null = null;
  if (job.weights === 'dspm') {
    onStage('weights', `dSPM of ${evokeds.length} conditions`);
    weights = Promise.all(evokeds.map((e) => dspmWeights(e, forward, cov, job.mixedNorm))).then((stcs) => {
      const out = new Float64Array(stcs[0].data.rows);
      for (const s of stcs) for (let t = 0; t < s.data.cols; t++) for (let i = 0; i < out.length; i++) out[i] = Math.max(out[i], Math.abs(s.data.data[i + t * s.data.rows]));
      return out;
    });
  }
  onStage('solve', `irMxNE, ${evokeds.length} conditions${job.joint ? ' (joint L2,1,2)' : ' (concatenated in time)'}, ${forward.nsource} sources`);
  return mixedNorm(evokeds, forward, cov, { ...job.mixedNorm, weights, jointConditions: !!job.joint });
}

/**
 * `cache` (batch runs, one per pool task): rows that share a forward and a covariance read them,
 * prepare the gain and make the dSPM operator once; each row's results are the same as without.
 */
export async function solveFiles(job: SolveJob, onStage: StageListener = () => {}, cache?: PreparationCache): Promise<SolveSummary> {
  // On the main thread, the report's figures draw in a worker thread, the evoked's while the solve
  // runs (figures.ts). A pool worker (batch, service) draws them itself: it is off the main thread
  // already, and a thread per row would load vega again for every recording.
  // Loaded only then: piscina and the figure code are no part of a run without a report.
  const figureThread = job.report === true && job.conditions === undefined && isMainThread ? new (await import('../viz/figureThread.js')).FigureThread() : null;
  try {
    return await solveAndWrite(job, onStage, cache, figureThread);
  } finally {
    await figureThread?.close();
  }
}

async function solveAndWrite(job: SolveJob, onStage: StageListener, cache: PreparationCache | undefined, figureThread: FigureThread | null): Promise<SolveSummary> {
  const t0 = performance.now();
  normalizeMixedNormOptions(job.mixedNorm); // bad options fail before any file is read
  checkExtras(job);
  await checkOutputFolder(job.out); // creates nothing: the folder appears only with a run's files
  onStage('read', path.basename(job.evoked));
  let inputs: SeedInputs, hashing: Promise<string[]>, preparation: Preparation | undefined;
  if (cache) {
    // Content first: it is the cache's key. A file unchanged since it was hashed (same inode,
    // size and modification time) is not read again for it: one forward serves a subject's rows.
    const hashOnce = async (file: string) => {
      const st = await fs.promises.stat(file);
      return cache.get(`sha256:${path.resolve(file)}:${st.ino}:${st.size}:${st.mtimeMs}`, () => sha256File(file));
    };
    // A file that cannot be hashed cannot be read either: the readers say so as they always do (typed, naming it).
    const hashes = await Promise.all([job.fwd, job.evoked, job.cov].map(hashOnce)).catch(async (e: unknown) => { await readSeedInputs(job); throw e; });
    hashing = Promise.resolve(hashes);
    inputs = await readSeedInputs(job, { cache, fwd: hashes[0], cov: hashes[2] });
    preparation = { cache, key: `${hashes[0]}|${hashes[2]}|${infoDigest(inputs.evoked.info)}` };
  } else {
    inputs = await readSeedInputs(job);
    // Hashed while the solve runs (the main thread waits on native work most of that time).
    hashing = awaitedLater(Promise.all([job.fwd, job.evoked, job.cov].map(sha256File)));
  }
  const drawing = figureThread && { render: figureThread.render, evoked: (await import('../viz/figures.js')).evokedButterflies(inputs.evoked, figureThread.render) };
  const tRead = performance.now();
  const result = await solveSeed(inputs, job, onStage, preparation);
  const tSolve = performance.now();
  const hashes = await hashing;
  onStage('write', job.out);
  // Several conditions: the summary returned (and condition-0's) is the first condition's.
  const morph = await morphRun(job, inputs, job.conditions === undefined ? result : { ...result, ...result.conditions[0] });
  const summary = buildSummary({
    job, result, forward: inputs.forward,
    inputs: {
      fwd: { path: job.inputNames?.fwd ?? path.resolve(job.fwd), sha256: hashes[0] },
      evoked: { path: job.inputNames?.evoked ?? path.resolve(job.evoked), sha256: hashes[1] },
      cov: { path: job.inputNames?.cov ?? path.resolve(job.cov), sha256: hashes[2] },
    },
    timings: { readSeconds: (tRead - t0) / 1000, solveSeconds: (tSolve - tRead) / 1000 },
    notes: inputs.notes, morph: morph?.summary,
  });
  if (job.conditions === undefined) {
    await writeOutputs(job.out, result, inputs.forward, summary, extraOutputs(job, inputs, result, summary, morph, drawing ?? undefined));
    return summary;
  }
  // One folder per condition (condition-0, condition-1, …), all appearing together in --out.
  await replaceFolder(job.out, async (staging) => {
    for (const [k, c] of result.conditions.entries()) {
      const one = { ...result, ...c };
      const m = k === 0 ? morph : await morphRun(job, inputs, one);
      const s = k === 0 ? summary : buildSummary({ job, result: one, forward: inputs.forward, inputs: summary.inputs, timings: summary.timings, notes: inputs.notes, morph: m?.summary });
      const evoked = inputs.conditions![k];
      await writeOutputs(path.join(staging, `condition-${k}`), one, inputs.forward, s, extraOutputs(job, { ...inputs, evoked }, one, s, m));
    }
  });
  return summary;
}
