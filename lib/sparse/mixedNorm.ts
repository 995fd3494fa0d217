/**
 * mixedNorm(): MNE 1.3's `mixed_norm` (MxNE, irMxNE) on evoked data — policy only. Prepare the
 * gain (channels, whitener, depth, orientation, weights), whiten the data, time-PCA, scale alpha
 * and tol to alpha_max, call the solver, and hand over to lib/results for dipoles, the sparse
 * source estimate and the residual. Glossary: G gain (nSensors × nColumns), M data (nSensors × T),
 * X sources (nActiveColumns × T), alpha regularisation in % of alpha_max.
 */
import { setImmediate as immediate } from 'node:timers/promises';
import { getNumThreads } from '../native.js';
import { InputError } from '../errors.js';
import type { ConvergenceWarning } from '../errors.js';
import type { SolverChoiceWarning } from './solverOptions.js';
import { gemmAsync } from '../linalg/blas.js';
import { divide, scaleColumns } from '../linalg/columns.js';
import { svdAsync } from '../linalg/decomp.js';
import { Matrix } from '../linalg/matrix.js';
import { prepareGain } from '../prepare/prepareGain.js';
import { needsEegAverageReference } from '../prepare/picksByType.js';
import type { Covariance } from '../records/covariance.js';
import type { Dipole } from '../records/dipole.js';
import type { Evoked } from '../records/evoked.js';
import type { Forward } from '../records/forward.js';
import type { SourceEstimate } from '../records/sourceEstimate.js';
import { makeSparseResult, type NoActiveSourceWarning } from '../results/makeSparseResult.js';
import { nextTurn } from '../eventLoop.js';
import { awaitedLater } from '../awaitedLater.js';
import { sourceGeometry } from '../results/sourceGeometry.js';
import { normalizeMixedNormOptions, resolveLoose, type MixedNormOptions, type Weights } from './mixedNormOptions.js';
import { dot } from './groupNorms.js';
import { jointScales, scaleEvoked, unscaleCondition } from './jointConditions.js';
import { l21DualNorm } from './penalties/l21.js';
import { solveByDiscrepancy } from './discrepancy.js';
import { solveBySure, solveForAlpha } from './solveForAlpha.js';
import { optionsKey, stepMemo, type Preparation } from '../prepare/preparationCache.js';
import { nameIndex, positionsOf } from '../records/nameIndex.js';

export interface MixedNormDiagnostics {
  /** max over sources of ‖(GᵀM)_source‖_F of the prepared, whitened problem (MNE's alpha_max before ×0.01). */
  alphaMax: number;
  /** The alpha used, in % of alpha_max (the SURE choice when alpha = 'sure'). */
  alpha: number;
  /** tol·‖M‖²_F: the absolute duality-gap tolerance the solver used. */
  tolScaled: number;
  nPcaComponents: number;
  /** Active sources (forward source indices) after each irMxNE reweighting (one entry for MxNE). */
  activeSetHistory: Int32Array[];
  /** Objective after each reweighting (irMxNE) or active-set iteration (MxNE). */
  objective: number[];
  /** Final duality gap (with alpha = 'sure': of the chosen alpha's solve). */
  dualGap: number;
  /** alpha = 'sure': the risk estimate per alpha of the grid. */
  surePath?: Float64Array;
  /** alpha = 'discrepancy': whitened residual mean square per alpha, largest alpha first (NaN: not tried). */
  discrepancyPath?: Float64Array;
  /** alpha = 'discrepancy': sources dropped as explainable by noise (lib/sparse/discrepancy.ts). */
  discrepancyPruned?: number;
  converged: boolean;
  /** Active-set iterations (MxNE), reweightings (irMxNE) or grid points (SURE). */
  nIterations: number;
  /** BCD / CD sweeps in all. */
  epochs: number;
  blasThreads: number;
  /** Seconds per stage. */
  timings: Record<string, number>;
}

export interface MixedNormCondition {
  dipoles: Dipole[];
  stc: SourceEstimate;
  residual: Evoked;
  times: Float64Array;
}

export interface MixedNormResult extends MixedNormCondition {
  /** Percent of the whitened data variance explained, as MNE logs it. */
  explainedVariance: number;
  /** One entry per evoked when a list was given (the top-level fields are the first). */
  conditions: MixedNormCondition[];
  diagnostics: MixedNormDiagnostics;
  warnings: Array<ConvergenceWarning | NoActiveSourceWarning | SolverChoiceWarning>;
}

function dataMatrix(evokeds: Evoked[], chNames: readonly string[]): Matrix {
  const rows = positionsOf(nameIndex(evokeds[0].info.chNames), chNames);
  const T = evokeds.reduce((s, e) => s + e.nTimes, 0);
  const M = new Matrix(rows.length, T);
  let t0 = 0;
  for (const e of evokeds) {
    M.data.set(e.data.pickRows(rows).data, t0 * rows.length);
    t0 += e.nTimes;
  }
  return M;
}

function checkSameChannels(evokeds: Evoked[]): void {
  const names = evokeds[0].info.chNames.join('\u0000');
  evokeds.forEach((e, k) => {
    if (e.info.chNames.join('\u0000') !== names) throw new InputError(`evoked[${k}].info.chNames`, 'the channels of evoked[0]', 'different channels');
  });
}

/** Time PCA (MNE: U, s, Vh = svd(M); M = U·s, optionally truncated). */
async function timePca(M: Matrix, timePcaSetting: boolean | number): Promise<{ M: Matrix; Vh: Matrix | null }> {
  if (timePcaSetting === false) return { M, Vh: null };
  const { U, s, Vt } = await svdAsync(M);
  const k = timePcaSetting === true ? s.length : Math.min(timePcaSetting, s.length);
  // U·diag(s) natively: the element loop made V8 recompile timePca on every row.
  const Us = await scaleColumns(new Matrix(U.rows, k, U.data.slice(0, U.rows * k)), s.subarray(0, k));
  return { M: Us, Vh: Vt.pickRows(Array.from({ length: k }, (_, j) => j)) };
}

/**
 * MNE's weights: a per-source array, or max |value| over time of each row of an estimate. An
 * estimate is 3.6M values at 20k sources: a turn of the event loop after every 2^19 of them.
 */
async function weightsPerSource(w: Weights | null): Promise<Float64Array | null> {
  if (w === null || w instanceof Float64Array) return w;
  const d = w.data.data, R = w.data.rows, out = new Float64Array(R);
  const step = R * Math.max(1, Math.ceil((1 << 19) / R));
  for (let base = 0; base < d.length; base += step) {
    if (base > 0) await immediate();
    maxAbsByRow(d, R, base, Math.min(base + step, d.length), out);
  }
  return out;
}

/**
 * out[i] = max(out[i], |d[i + t·R]|) over the columns t in [from, to) / R. Its own function: the
 * loop inside weightsPerSource made V8 recompile that (async) function on every row.
 */
function maxAbsByRow(d: Float64Array, R: number, from: number, to: number, out: Float64Array): void {
  for (let base = from; base < to; base += R) {
    for (let i = 0; i < R; i++) {
      const v = Math.abs(d[base + i]);
      if (v > out[i] || v !== v) out[i] = v; // a NaN stays (as with Math.max): prepareGain refuses it
    }
  }
}

/**
 * MxNE / irMxNE on one evoked response or a list of them (same channels, concatenated in time).
 * Returns dipoles, the sparse source estimate, the residual and diagnostics; never prints.
 * `preparation` (batch runs): the prepared gain is taken from, or left in, a cache shared by solves
 * of the same forward, covariance and measurement info; the result is the same. A `single` one
 * (solveSeed's own) only shares the noise covariance with the dSPM operator of the same solve.
 */
export async function mixedNorm(evoked: Evoked | Evoked[], forward: Forward, noiseCov: Covariance, options: MixedNormOptions = {}, preparation?: Preparation): Promise<MixedNormResult> {
  const settings = normalizeMixedNormOptions(options);
  const given = Array.isArray(evoked) ? evoked : [evoked];
  if (given.length === 0) throw new InputError('evoked', 'an Evoked or a non-empty list', 'an empty list');
  checkSameChannels(given);
  // jointConditions: each condition weighed by its nave (jointConditions.ts), scaled back at the end.
  const scales = settings.jointConditions ? jointScales(given) : null;
  const evokeds = scales === null ? given : given.map((e, k) => scaleEvoked(e, scales[k]));
  evokeds.forEach((e, k) => {
    const bad = e.data.firstNonFinite();
    if (bad >= 0) throw new InputError(`evoked${evokeds.length > 1 ? `[${k}]` : ''}.data`, 'finite values', `${e.data.data[bad]} at channel ${e.info.chNames[bad % e.data.rows]}, sample ${Math.floor(bad / e.data.rows)}`);
  });
  if (forward.nsource === 0 || forward.sol.cols === 0) throw new InputError('forward', 'a forward solution with at least one source', '0 sources');
  const clock = new Stopwatch();

  const loose = resolveLoose(settings.loose, forward.src.map((s) => s.type));
  if (needsEegAverageReference(evokeds[0].info)) {
    throw new InputError('evoked.info.projs', 'an average EEG reference projector (MNE requires one for modelling EEG)', 'none');
  }
  const w = settings.weights;
  // Awaited when the prepared gain needs it.
  const weights = w === null ? null : awaitedLater((w instanceof Promise ? w : Promise.resolve(w)).then(weightsPerSource));
  // The data's whitening and time PCA need only the whitener: started as soon as the preparation
  // has it, they run beside the gain's whitening. Their errors are reported after the preparation's.
  const whitenData = async (W: Matrix, chNames: readonly string[]) => {
    const whitened = await gemmAsync(W, dataMatrix(evokeds, chNames));
    return { whitened, ...(await timePca(whitened, settings.timePca)) };
  };
  let dataWhitened: ReturnType<typeof whitenData> | undefined;
  const onWhitener = (W: Matrix, chNames: readonly string[]) => { dataWhitened = awaitedLater(whitenData(W, chNames)); };
  const prep = await prepareGain(forward, evokeds[0].info, noiseCov, {
    depth: settings.depth, loose, rank: settings.rank, weights, weightsMin: settings.weightsMin, onWhitener,
    shared: preparation && !preparation.single ? (make) => preparation.cache.get(`${preparation.key}|sparse|${optionsKey([loose, settings.depth, settings.rank])}`, make) : undefined,
    memo: preparation && stepMemo(preparation),
  });
  if (settings.pickOri === 'vector' && prep.nOrient === 1) {
    throw new InputError('pickOri', "null with a fixed-orientation forward", "'vector'");
  }
  settings.signal?.throwIfAborted();
  clock.lap('prepare');

  // A prepared forward shared by solves (a kept preparation) had its whitener before this solve.
  const { whitened, M, Vh } = await (dataWhitened ?? whitenData(prep.whitener, prep.chNames));
  checkDataScale(M);
  const tolScaled = settings.tol * dot(M.data, M.data);
  const G = prep.gain;
  const alphaMax = l21DualNorm(await gemmAsync(M, G, { transA: true }), prep.nOrient);
  const alphaScale = alphaMax * 0.01;
  // All-zero data: alpha_max is 0 and no source can be active (MNE's answer: none, with a warning).
  if (alphaScale > 0) await divide(G, alphaScale);
  settings.signal?.throwIfAborted();
  clock.lap('whiten');

  const solved = alphaScale === 0 ? noSource(M.cols, settings)
    : settings.alpha.kind === 'sure'
      ? await solveBySure(M, G, settings.alpha.grid, settings.alpha.randomState, settings, prep.nOrient, tolScaled)
      : settings.alpha.kind === 'discrepancy'
        ? await solveByDiscrepancy(M, G, settings.alpha, settings, prep.nOrient, tolScaled, whitened.cols, Math.max(0, dot(whitened.data, whitened.data) - dot(M.data, M.data)))
        : await solveForAlpha(M, G, settings.alpha.percent, settings, prep.nOrient, tolScaled);
  clock.lap('solve');

  // Back to the full gain's columns (MNE undoes the weights_min mask before building results).
  const activeColumns = prep.keptColumns === null ? solved.activeSet : solved.activeSet.map((c) => prep.keptColumns![c]);
  const geometry = sourceGeometry(prep.forward);
  const conditions: MixedNormCondition[] = [];
  const warnings: MixedNormResult['warnings'] = [...solved.warnings];
  // The same for every evoked of a list: the scaled and the unwhitened gain of the active columns.
  const gainActive = G.pickCols(solved.activeSet);
  const residualGain = { chNames: prep.chNames, gainActive: prep.gainColumns(activeColumns) };
  let t0 = 0;
  let explained = 0;
  for (const e of evokeds) {
    // Results are synchronous JavaScript (dipoles, GOF, residual with its projector): a turn of
    // the event loop before each, so they do not add to the stretch that ended the solve.
    await nextTurn();
    const cols = (A: Matrix) => A.colRange(t0, t0 + e.nTimes);
    const r = makeSparseResult({
      solution: { X: Vh === null ? cols(solved.X) : solved.X, activeColumns, gainActive, nOrient: prep.nOrient },
      rescaling: { sourceWeighting: prep.sourceWeighting, alphaScale, Vh: Vh === null ? null : cols(Vh) },
      M: Vh === null ? cols(M) : M,
      geometry,
      evoked: e,
      pickOri: settings.pickOri,
      residualGain,
    });
    const condition = { dipoles: r.dipoles, stc: r.stc, residual: r.residual as Evoked, times: e.times };
    conditions.push(scales === null ? condition : unscaleCondition(condition, scales[conditions.length]));
    if (conditions.length === 1) { explained = r.explainedVariance; warnings.push(...r.warnings); }
    t0 += e.nTimes;
  }
  clock.lap('results');

  const sourcesOf = (a: Int32Array) => Int32Array.from(new Set(Array.from(a, (c) => Math.floor(c / prep.nOrient))));
  return {
    ...conditions[0],
    explainedVariance: explained,
    conditions,
    diagnostics: {
      alphaMax, alpha: solved.alpha, tolScaled, nPcaComponents: M.cols,
      activeSetHistory: solved.activeSetHistory.map((a) => sourcesOf(prep.keptColumns === null ? a : a.map((c) => prep.keptColumns![c]))),
      objective: solved.objective, dualGap: solved.dualGap, ...('surePath' in solved ? { surePath: solved.surePath as Float64Array } : {}), ...('discrepancyPath' in solved ? { discrepancyPath: solved.discrepancyPath as Float64Array, discrepancyPruned: 'discrepancyPruned' in solved ? (solved.discrepancyPruned as number) : 0 } : {}), converged: solved.converged, nIterations: solved.nIterations, epochs: solved.epochs,
      blasThreads: getNumThreads(), timings: clock.laps,
    },
    warnings,
  };
}

/**
 * Whitened data at an extreme scale — an evoked scaled by 1e±300, or whitened by a covariance
 * scaled by 1e280 — over- or underflows ‖M‖², alpha_max, G / alpha_max and the physical
 * amplitudes, and the solve then never ends or fails on non-finite values. Whitened data is in
 * units of the noise's standard deviation, so real data lies far inside 2^±100; outside it the
 * units of the evoked or of the covariance are wrong, and the input is refused. (irMxNE is not
 * scale-invariant either: its L0.5 penalty is not homogeneous, so no rescaling could stand in.)
 */
function checkDataScale(M: Matrix): void {
  let maxAbs = 0;
  for (const v of M.data) maxAbs = Math.max(maxAbs, Math.abs(v));
  if (maxAbs === 0) return;
  const e = Math.floor(Math.log2(maxAbs));
  if (Math.abs(e) > 100) {
    throw new InputError('evoked.data', 'whitened data with max |value| between 2^-100 and 2^100 (check the units of the evoked and of the noise covariance)', `max |value| ${maxAbs.toExponential(3)} after whitening`);
  }
}

/** The solve's answer for all-zero data: no active source, nothing to converge. */
function noSource(K: number, s: ReturnType<typeof normalizeMixedNormOptions>): Awaited<ReturnType<typeof solveForAlpha>> {
  return {
    X: new Matrix(0, K), activeSet: new Int32Array(0), alpha: s.alpha.kind === 'fixed' ? s.alpha.percent : Number.NaN, objective: [0],
    activeSetHistory: [new Int32Array(0)], dualGap: 0, converged: true, nIterations: 0, epochs: 0, warnings: [],
  };
}

class Stopwatch {
  readonly laps: Record<string, number> = {};
  private last = performance.now();
  lap(name: string): void {
    const now = performance.now();
    this.laps[name] = (now - this.last) / 1000;
    this.last = now;
  }
}
