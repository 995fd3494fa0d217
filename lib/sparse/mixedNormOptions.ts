/**
 * Options of mixedNorm(): names, defaults and meaning follow MNE 1.3's `mixed_norm`, in camelCase.
 * `normalizeMixedNormOptions()` runs once at the top of mixedNorm() and returns a frozen record with
 * every field resolved; nothing below it reads a default again.
 */
import { InputError } from '../errors.js';
import type { SolveProgress } from './solverOptions.js';
import type { RankOption } from '../prepare/rank.js';
import type { SourceEstimate } from '../records/sourceEstimate.js';

export type Weights = SourceEstimate | Float64Array;

export interface MixedNormOptions {
  /**
   * Regularisation in % of alpha_max, in [0, 100), or 'sure' (SURE over `sureAlphaGrid`), or
   * 'discrepancy' (mxne only: the largest alpha of `sureAlphaGrid` whose whitened residual has a
   * mean square per channel and sample of at most 1, i.e. looks like noise; needs a covariance of
   * the average's noise, as `autoMixedNorm` passes). @default 'sure'
   */
  alpha?: number | 'sure' | 'discrepancy';
  /** Orientation constraint: 0 fixed, 1 free, in between loose; 'auto' = 0.2 on a surface source space (two hemispheres), 1 on any other kind (volume, discrete, mixed). @default 'auto' */
  loose?: number | 'auto';
  /** Depth-weighting exponent (sparse defaults: whitened gain of all channels, Frobenius over xyz); null disables. @default 0.8 */
  depth?: number | null;
  /** Maximum BCD iterations per solver call. @default 3000 */
  maxit?: number;
  /** Relative duality-gap tolerance: stop when gap < tol·‖M‖²_F. @default 1e-4 */
  tol?: number;
  /** Sources added per active-set iteration; null solves on all sources at once. @default 10 */
  activeSetSize?: number | null;
  /** Remove the amplitude bias of the L1/L2 penalty (MNE's compute_bias). @default true */
  debias?: boolean;
  /** Reduce time to the data rank with an SVD (true), to at most this many components (integer), or not (false). @default true */
  timePca?: boolean | number;
  /**
   * Per-source weights (e.g. a dSPM estimate: max |value| over time per source), or null. May be a
   * Promise of them: the gain is prepared while it settles (mxne's seed workflow overlaps the dSPM
   * computation with the gain preparation this way). @default null
   */
  weights?: Weights | Promise<Weights> | null;
  /** Sources whose weight is at most this are dropped; must not exceed the largest weight. @default 0 */
  weightsMin?: number;
  /** 'auto' (coordinate descent for fixed orientation, else BCD), 'bcd' or 'cd'. @default 'auto' */
  solver?: 'auto' | 'bcd' | 'cd';
  /** Number of irMxNE reweightings (1 = plain MxNE). @default 1 */
  nMxneIter?: number;
  /** Iterations between duality-gap evaluations. @default 10 */
  dgapFreq?: number;
  /** Rank of the noise covariance per channel type, or null to estimate it. @default null */
  rank?: RankOption;
  /** null: amplitudes (norm over xyz); 'vector': the xyz components. @default null */
  pickOri?: null | 'vector';
  /** Grid of alphas (% of alpha_max) for alpha = 'sure' or 'discrepancy'; 'auto' = 15 values geometrically from 100 to 10. @default 'auto' */
  sureAlphaGrid?: 'auto' | number[];
  /** Seed of the SURE perturbation (numpy RandomState semantics). @default null */
  randomState?: number | null;
  /** Stops the run between stages and between solver epochs; mixedNorm then rejects with the signal's reason. Not MNE's. */
  signal?: AbortSignal;
  /** Called after each active-set iteration (MxNE) or reweighting (irMxNE). Not MNE's. */
  onProgress?: (p: SolveProgress) => void;
  /**
   * mxne only: with a list of evoked responses, solve them jointly under the L2,1,2 penalty (one
   * support shared by all conditions, time courses free per condition, each condition weighed by
   * its nave; lib/sparse/jointConditions.ts). false: MNE's concatenation in time. @default false
   */
  jointConditions?: boolean;
  /**
   * mxne only, with alpha = 'discrepancy' (lib/sparse/discrepancy.ts). `tau`: the residual mean
   * square that counts as noise (Morozov's τ, on the squared norm); `modelError`: a relative error
   * of the forward model added to the target (the generalised discrepancy principle: the residual
   * norm may reach √tau·noise + modelError·signal); `prune`: how the sources the data do not need
   * are dropped — 'refit' (a likelihood-ratio test on a least-squares refit, family-wise `level`
   * over the source space), 'residual' (the rise of the residual with the other sources fixed,
   * above 4σ of its χ²) or 'none'; `relocate` (with 'refit'): move each source to the best-fitting
   * of its neighbours in field before the test, and report the least-squares refit of the survivors;
   * `merge` (with `relocate`): then replace each pair of survivors by the best single source of their
   * joint neighbourhood unless two explain the data significantly better (the same test and level);
   * `mergeMisfit` also merges a pair when two explain at most that fraction of the pair's energy more
   * than one (a tolerance for the grid's interpolation error; 0.07 chosen by the accuracy study).
   * @default { tau: 1, modelError: 0, prune: 'refit', level: 0.05, relocate: true, merge: true, mergeMisfit: 0.07 }
   */
  discrepancy?: { tau?: number; modelError?: number; prune?: DiscrepancyPrune; level?: number; relocate?: boolean; merge?: boolean; mergeMisfit?: number };
}

export const DISCREPANCY_PRUNES = ['refit', 'residual', 'none'] as const;
export type DiscrepancyPrune = (typeof DISCREPANCY_PRUNES)[number];
export interface DiscrepancySettings { kind: 'discrepancy'; grid: Float64Array; tau: number; modelError: number; prune: DiscrepancyPrune; level: number; relocate: boolean; merge: boolean; mergeMisfit: number }

export type MixedNormSettings = Readonly<{
  alpha: { kind: 'fixed'; percent: number } | { kind: 'sure'; grid: Float64Array; randomState: number | null } | DiscrepancySettings;
  loose: number | 'auto';
  depth: number | null;
  maxit: number;
  tol: number;
  activeSetSize: number | null;
  debias: boolean;
  timePca: boolean | number;
  weights: Weights | Promise<Weights> | null;
  weightsMin: number;
  solver: 'auto' | 'bcd' | 'cd';
  nMxneIter: number;
  dgapFreq: number;
  rank: RankOption;
  pickOri: null | 'vector';
  signal?: AbortSignal;
  onProgress?: (p: SolveProgress) => void;
  jointConditions: boolean;
}>;

const DEFAULTS: Required<Omit<MixedNormOptions, 'weights' | 'rank' | 'randomState' | 'signal' | 'onProgress' | 'discrepancy'>> = {
  alpha: 'sure', loose: 'auto', depth: 0.8, maxit: 3000, tol: 1e-4, activeSetSize: 10, debias: true,
  timePca: true, weightsMin: 0, solver: 'auto', nMxneIter: 1, dgapFreq: 10, pickOri: null, sureAlphaGrid: 'auto', jointConditions: false,
};

/** The defaults table, pinned by a test to the mixed_norm signature of MNE 1.3. */
export const MIXED_NORM_DEFAULTS: Readonly<typeof DEFAULTS & { weights: null; rank: null; randomState: null }> =
  Object.freeze({ ...DEFAULTS, weights: null, rank: null, randomState: null });

// The run controls (signal, onProgress) and the discrepancy settings are mxne's, not MNE's: known, but not in MNE's defaults table.
const KNOWN = [...Object.keys(MIXED_NORM_DEFAULTS), 'signal', 'onProgress', 'discrepancy'];

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** `; did you mean "x"?` for the known name closest to `key` (snake_case read as camelCase), or '' when none is close. */
export function didYouMean(key: string, known: readonly string[]): string {
  const snake = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const best = known.map((k) => [k, Math.min(editDistance(key, k), editDistance(snake, k))] as const)
    .sort((x, y) => x[1] - y[1])[0];
  return best !== undefined && best[1] <= Math.max(2, key.length / 3) ? `; did you mean "${best[0]}"?` : '';
}

function rejectUnknown(opts: object): void {
  for (const key of Object.keys(opts)) {
    if (KNOWN.includes(key)) continue;
    throw new InputError(`options.${key}`, `one of ${KNOWN.join(', ')}`, `unknown option "${key}"${didYouMean(key, KNOWN)}`);
  }
}

function num(field: string, v: unknown, ok: (x: number) => boolean, expected: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new InputError(field, expected, String(v));
  return v;
}

const isInt = (x: number) => Number.isInteger(x);

function discrepancySettings(d: NonNullable<MixedNormOptions['discrepancy']>): Omit<DiscrepancySettings, 'kind' | 'grid'> {
  const prune = d.prune ?? 'refit';
  if (!DISCREPANCY_PRUNES.includes(prune)) throw new InputError('discrepancy.prune', DISCREPANCY_PRUNES.join(', '), String(prune));
  return {
    tau: num('discrepancy.tau', d.tau ?? 1, (x) => x > 0, 'a positive number'),
    modelError: num('discrepancy.modelError', d.modelError ?? 0, (x) => x >= 0 && x < 1, 'a number in [0, 1)'),
    prune,
    level: num('discrepancy.level', d.level ?? 0.05, (x) => x > 0 && x < 1, 'a number in (0, 1)'),
    relocate: d.relocate ?? true,
    merge: d.merge ?? true,
    mergeMisfit: num('discrepancy.mergeMisfit', d.mergeMisfit ?? 0.07, (x) => x >= 0 && x < 1, 'a number in [0, 1)'),
  };
}

function resolveAlpha(o: MixedNormOptions): MixedNormSettings['alpha'] {
  const alpha = o.alpha ?? DEFAULTS.alpha;
  if (o.discrepancy !== undefined && alpha !== 'discrepancy') throw new InputError('discrepancy', "no settings unless alpha is 'discrepancy'", JSON.stringify(o.discrepancy));
  if (alpha === 'sure' || alpha === 'discrepancy') {
    const grid = o.sureAlphaGrid ?? 'auto';
    const g = grid === 'auto' ? geomspace(100, 10, 15) : Float64Array.from(grid);
    if (g.length === 0 || g.some((a) => !(a >= 0 && a <= 100))) throw new InputError('sureAlphaGrid', "'auto' or values in [0, 100]", String(grid));
    if (alpha === 'discrepancy') return { kind: 'discrepancy', grid: g, ...discrepancySettings(o.discrepancy ?? {}) };
    const rs = o.randomState ?? null;
    if (rs !== null) num('randomState', rs, (x) => isInt(x) && x >= 0, 'a non-negative integer or null');
    return { kind: 'sure', grid: g, randomState: rs };
  }
  if (o.sureAlphaGrid !== undefined && o.sureAlphaGrid !== 'auto') {
    throw new InputError('sureAlphaGrid', `no grid unless alpha is 'sure' or 'discrepancy'`, 'a grid with a fixed alpha');
  }
  return { kind: 'fixed', percent: num('alpha', alpha, (x) => x >= 0 && x < 100, "a number in [0, 100), 'sure' or 'discrepancy'") };
}

/**
 * MNE's loose='auto' (_triage_loose): 0.2 when the source space's kind is 'surface' — exactly two
 * 'surf' spaces — and 1 for every other kind ('volume', 'discrete', 'mixed', one hemisphere).
 */
export function resolveLoose(loose: number | 'auto', sourceTypes: ReadonlyArray<'surf' | 'vol' | 'discrete'>): number {
  if (loose !== 'auto') return loose;
  return sourceTypes.length === 2 && sourceTypes.every((t) => t === 'surf') ? 0.2 : 1;
}

/** numpy.geomspace(start, stop, n). */
export function geomspace(start: number, stop: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const a = Math.log10(start);
  const b = Math.log10(stop);
  for (let k = 0; k < n; k++) out[k] = 10 ** (a + ((b - a) * k) / (n - 1));
  out[0] = start;
  out[n - 1] = stop;
  return out;
}

/** Validates, applies MNE's defaults, rejects unknown keys; throws InputError naming the field. */
export function normalizeMixedNormOptions(opts: MixedNormOptions = {}): MixedNormSettings {
  rejectUnknown(opts);
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & MixedNormOptions;
  const loose = o.loose === 'auto' ? 'auto' : num('loose', o.loose, (x) => x >= 0 && x <= 1, "a number in [0, 1] or 'auto'");
  const depth = o.depth === null ? null : num('depth', o.depth, (x) => x >= 0 && x <= 1, 'a number in [0, 1] or null');
  const ass = o.activeSetSize === null ? null : num('activeSetSize', o.activeSetSize, (x) => isInt(x) && x >= 1, 'a positive integer or null');
  const timePca = typeof o.timePca === 'boolean' ? o.timePca : num('timePca', o.timePca, (x) => isInt(x) && x >= 1, 'a boolean or a positive integer');
  if (!['auto', 'bcd', 'cd'].includes(o.solver)) throw new InputError('solver', "'auto', 'bcd' or 'cd'", String(o.solver));
  if (o.pickOri !== null && o.pickOri !== 'vector') throw new InputError('pickOri', "null or 'vector'", String(o.pickOri));
  if (typeof o.debias !== 'boolean') throw new InputError('debias', 'a boolean', String(o.debias));
  if (typeof o.jointConditions !== 'boolean') throw new InputError('jointConditions', 'a boolean', String(o.jointConditions));
  const weights = o.weights ?? null;
  if (weights !== null && !(weights instanceof Float64Array) && !(weights instanceof Promise) && !(typeof weights === 'object' && 'data' in weights)) {
    throw new InputError('weights', 'a SourceEstimate, a Float64Array, a Promise of one, or null', typeof weights);
  }
  const rank = o.rank ?? null;
  if (rank !== null && rank !== 'full' && rank !== 'info' && !(typeof rank === 'object' && Object.entries(rank).every(([k, v]) => ['meg', 'eeg', 'mag', 'grad'].includes(k) && isInt(v)))) {
    throw new InputError('rank', "null, 'full', 'info' or integers per channel type ({ meg, eeg, mag, grad })", JSON.stringify(rank));
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new InputError('signal', 'an AbortSignal', typeof o.signal);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new InputError('onProgress', 'a function', typeof o.onProgress);
  return Object.freeze({
    alpha: resolveAlpha(o),
    loose,
    depth,
    maxit: num('maxit', o.maxit, (x) => isInt(x) && x >= 1, 'a positive integer'),
    tol: num('tol', o.tol, (x) => x > 0, 'a positive number'),
    activeSetSize: ass,
    debias: o.debias,
    timePca,
    weights,
    weightsMin: num('weightsMin', o.weightsMin, (x) => x >= 0, 'a non-negative number'),
    solver: o.solver,
    nMxneIter: num('nMxneIter', o.nMxneIter, (x) => isInt(x) && x >= 1, 'a positive integer'),
    dgapFreq: num('dgapFreq', o.dgapFreq, (x) => isInt(x) && x >= 1, 'a positive integer'),
    rank,
    pickOri: o.pickOri,
    signal: o.signal,
    onProgress: o.onProgress,
    jointConditions: o.jointConditions,
  });
}
