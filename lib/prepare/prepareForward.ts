/**
 * MNE 1.3's `_prepare_forward`, shared by the minimum-norm operator and the sparse solvers:
 * orientation (fixed / loose / free), channel selection, depth and orientation priors, the
 * whitened gain G̃ = W·G·diag(sourceStd), scaled so that ‖G̃‖²_F equals the whitened dimension.
 * The forward's gain is never copied row by row: the whitener is spread over the forward's row
 * order instead, so one GEMM gives the whitened gain, and the 'whiten' depth prior comes from it.
 */
import { awaitedLater } from '../awaitedLater.js';
import { InputError } from '../errors.js';
import { gemmAsync } from '../linalg/blas.js';
import { columnNorms2, gatherColumns, scaleColumns } from '../linalg/columns.js';
import { Matrix } from '../linalg/matrix.js';
import { addon, callAsync } from '../native.js';
import type { Covariance } from '../records/covariance.js';
import type { Forward } from '../records/forward.js';
import type { Info } from '../records/info.js';
import { optionsKey, type Memo } from './preparationCache.js';
import { pickInfo, selectChannels } from './pickChannels.js';
import { depthChannels, depthPrior, depthWeights, orientPrior, type DepthOptions } from './priors.js';
import type { RankOption } from './rank.js';
import { rotateColumnsInPlace, rotatedColumns, surfaceBasis, toSurfaceOrientation } from './surfaceOrientation.js';
import { computeWhitener, prepareNoiseCov, whitenerRows, type PreparedNoiseCov } from './whitener.js';
import { spread, whitenPlan, type WhitenPlan } from './whitenPlan.js';
import { nameIndex, positionsOf } from '../records/nameIndex.js';

export interface PrepareForwardOptions {
  /** 0 fixed, 1 free, in between loose (surface spaces only). */
  loose: number;
  depth: DepthOptions | null;
  /**
   * Replaces the depth computation (same place, same orientation): one value per source from the
   * forward gain over `rows` (free orientation when a fixed inverse starts from a free forward).
   */
  depthPerSource?: (sol: Matrix, rows: Int32Array, info: Info) => Promise<Float64Array>;
  rank: RankOption;
  /** true: whitener rows only for non-zero eigenvalues (sparse solvers); 'white': all rows (MNE inverse). */
  pca: true | 'white';
  useCps: boolean;
  /** Fixed orientation first, then the depth prior (sparse); or depth from the free gain first (MNE inverse). */
  allowFixedDepth: boolean;
  /**
   * Shares the prepared noise covariance with other preparations of the same inputs (the dSPM
   * operator and the sparse gain of one solve): it depends on the covariance, the info, the
   * channels and the rank only.
   */
  memo?: Memo;
  /**
   * Called once the whitener is made, before the gain is whitened: work that needs only the
   * whitener (a solver's data) can start then and run beside the gain's whitening.
   */
  onWhitener?: (W: Matrix, chNames: string[]) => void;
  /**
   * prepareForwardColumns: hold the whitened (rotated) gain it makes for the column norms, so that
   * `whitenSources` copies columns instead of whitening them again. For a preparation shared by
   * several solves (a batch's subject, SolvePool's kept preparation), each of which whitens the
   * sources its weights keep: at 3,000 free sources, 26 MB held per subject saves each row a
   * GEMM of ~0.34 GFlop (its ~600 kept sources). The columns are the same products either way.
   */
  keepWhitened?: boolean;
}

/** Everything prepareForward makes but the whitened gain itself (prepareForwardColumns). */
export interface PreparedColumns {
  /**
   * Oriented (surface / fixed) geometry. Its gain keeps all the forward's rows (see `rows`); for a
   * loose orientation it is the gain as read (x/y/z): the rotation is applied after whitening,
   * and `gainColumns` gives unwhitened columns in the prepared basis.
   */
  forward: Forward;
  /** Unwhitened gain columns in the prepared basis, over `chNames` (e.g. the active set for the residual). */
  gainColumns(cols: ArrayLike<number>): Matrix;
  /** Row of `forward.sol` holding each of `chNames`. */
  rows: Int32Array;
  info: Info;
  chNames: string[];
  nOrient: 1 | 3;
  /** Over `chNames` (for the data). */
  whitener: Matrix;
  noiseCov: PreparedNoiseCov;
  depthPrior: Float64Array | null;
  orientPrior: Float64Array | null;
  sourceStd: Float64Array;
  traceGRGT: number;
  /**
   * W·G in the prepared basis (not scaled by `sourceStd`) for the given sources' columns (nOrient
   * each, in order): whitened from the forward's columns when asked, so only what is kept is held.
   */
  whitenSources(sources: ArrayLike<number>): Promise<Matrix>;
  /** With keepWhitened: the whitened gain whitenSources copies from (a field, so that a PreparationCache counts its bytes). */
  whitenedGain?: Matrix;
}

export interface PreparedForward extends PreparedColumns {
  /** Whitened, source-weighted, scaled gain: whitened dimension × (nsource · nOrient). */
  gain: Matrix;
}

/** The whitened, scaled gain in full (the minimum-norm operator's SVD needs all of it). */
export async function prepareForward(fwd: Forward, info: Info, cov: Covariance, o: PrepareForwardOptions): Promise<PreparedForward> {
  const s = await setUp(fwd, info, cov, o);
  // Not zeroed: the plan writes every row (zero rows of W included).
  const gain = Matrix.uninitialized(s.W.rows, s.forward.sol.cols);
  await s.plan.whiten(s.forward.sol, 0, gain.cols, gain.data);
  const colNorm2 = s.rotation ? await rotateColumnsInPlace(gain, s.rotation) : await columnNorms2(gain);
  const p = await finish(s, colNorm2, gain);
  await scaleColumns(gain, p.sourceStd);
  return { ...p, gain };
}

/**
 * prepareForward without the full whitened gain (the sparse solvers, which keep the columns their
 * weights select): the forward's columns go through the whitening in blocks, each block giving
 * its columns' norms (depth prior, trace) before the next reuses its buffer, so the whitened gain
 * (360 × 17,880 doubles = 52 MB at 5,960 sources) is never held; `whitenSources` makes the columns
 * kept. Same products column by column as prepareForward's.
 */
export async function prepareForwardColumns(fwd: Forward, info: Info, cov: Covariance, o: PrepareForwardOptions): Promise<PreparedColumns> {
  const s = await setUp(fwd, info, cov, o);
  const sol = s.forward.sol, n = sol.cols, rows = s.W.rows;
  const colNorm2 = new Float64Array(n);
  const blocks = Math.ceil(n / BLOCK_COLUMNS);
  const held = o.keepWhitened ? new Matrix(rows, n) : null;
  // Two lanes, each with its own buffer (or the held gain's columns), so that two blocks run at once when two cores are free.
  const lane = async (first: number) => {
    const buf = held === null ? new Float64Array(rows * Math.min(BLOCK_COLUMNS, n)) : null;
    for (let b = first; b < blocks; b += 2) {
      const c0 = b * BLOCK_COLUMNS, c1 = Math.min(n, c0 + BLOCK_COLUMNS);
      const out = held === null ? buf!.subarray(0, rows * (c1 - c0)) : held.data.subarray(rows * c0, rows * c1);
      await s.plan.whiten(sol, c0, c1, out, false);
      const norms = colNorm2.subarray(c0, c1);
      if (s.rotation) await callAsync(() => addon.rotateSourcesInPlaceAsync(rows, (c1 - c0) / 3, out, s.rotation!.subarray(3 * c0, 3 * c1), norms));
      else await callAsync(() => addon.columnNorms2Async(rows, c1 - c0, out, norms));
    }
  };
  await Promise.all([lane(0), lane(1)]);
  return finish(s, colNorm2, null, held);
}

/** What both preparations share: orientation, channels, noise covariance, whitener. */
interface SetUp {
  o: PrepareForwardOptions;
  depth: DepthOptions | null;
  /** Oriented forward whose `sol` the whitening reads (x/y/z for a loose orientation: see `rotation`). */
  forward: Forward;
  nOrient: 1 | 3;
  /** Per-source rotation applied after whitening (loose orientation), 9 values per source. */
  rotation: Float64Array | null;
  rows: Int32Array;
  chNames: string[];
  infoPicked: Info;
  noiseCov: PreparedNoiseCov;
  W: Matrix;
  plan: WhitenPlan;
  /** Depth prior taken from the free gain before fixing the orientation (MNE's fixed inverse). */
  dPrior: Float64Array | null;
  depthBeforeFixing: boolean;
}

async function setUp(fwd: Forward, info: Info, cov: Covariance, o: PrepareForwardOptions): Promise<SetUp> {
  if (!(o.loose >= 0 && o.loose <= 1)) throw new InputError('loose', 'a number in [0, 1]', String(o.loose));
  const hasVolume = fwd.src.some((s) => s.type === 'vol');
  if (hasVolume && o.loose < 1) throw new InputError('loose', '1 for a volume source space (orientations are free there)', String(o.loose));
  if (o.depth && !(o.depth.exp >= 0)) throw new InputError('depth', 'an exponent ≥ 0', String(o.depth.exp));
  const fixed = o.loose === 0;
  const depth = o.depth && o.depth.exp > 0 ? o.depth : null;
  if (!fixed && fwd.sourceOri === 1) throw new InputError('forward', 'a free-orientation forward for a loose or free inverse (loose > 0)', 'a fixed-orientation forward');

  // One surface basis per solve with a memo: the dSPM operator's fixed orientation and the sparse
  // gain's loose one share it (`fixed` changes it only without CPS normals, or refuses a volume).
  const basisOf = (fixed: boolean, useCps: boolean) => {
    const make = () => surfaceBasis(fwd, { fixed, useCps });
    return o.memo ? o.memo(`surfaceBasis|${optionsKey([useCps, fixed && (!useCps || hasVolume)])}`, make) : make();
  };
  // The channels and the noise covariance do not depend on the orientation (the forward's channels
  // and sensors stay): the covariance's eigendecompositions start now and run while the surface
  // basis is made, and are awaited after it, whose errors come first.
  const chNames = selectChannels(info, fwd, cov);
  const makeNoiseCov = () => prepareNoiseCov(cov, info, chNames, o.rank);
  const noiseCovPrepared = awaitedLater(o.memo ? o.memo(`noiseCov|${optionsKey([o.rank, chNames])}`, makeNoiseCov) : makeNoiseCov());
  let forward = fwd;
  let nOrient: 1 | 3 = 3;
  // MNE inverse with a fixed orientation: the depth prior comes from the free gain, then fixed.
  const depthBeforeFixing = fixed && !o.allowFixedDepth && fwd.sourceOri !== 1;
  if (fixed && !depthBeforeFixing) {
    forward = await toSurfaceOrientation(fwd, { fixed: true, useCps: true }, fwd.sourceOri === 1 ? undefined : basisOf(true, true));
    nOrient = 1;
  }
  let rotation: Float64Array | null = null;
  if (!fixed && o.loose < 1) {
    const b = await basisOf(false, o.useCps);
    forward = { ...fwd, sourceNn: b.sourceNn, surfOri: true };
    rotation = b.basis;
  }
  const rows = Int32Array.from(positionsOf(nameIndex(forward.chNames), chNames));
  const infoPicked = pickInfo(info, chNames);
  const noiseCov = await noiseCovPrepared;
  const W = computeWhitener(noiseCov, { pca: o.pca });
  const s: SetUp = { o, depth, forward, nOrient, rotation, rows, chNames, infoPicked, noiseCov, W, plan: null!, dPrior: null, depthBeforeFixing };
  if (depthBeforeFixing) {
    s.dPrior = await priorOf(s, forward, 3, null);
    if (s.dPrior) s.dPrior = everyThird(s.dPrior);
    s.forward = await toSurfaceOrientation(fwd, { fixed: true, useCps: o.useCps }, fwd.sourceOri === 1 ? undefined : basisOf(true, o.useCps));
    s.nOrient = 1;
  }
  s.plan = whitenPlan(W, whitenerRows(noiseCov, o.pca), noiseCov, rows, s.forward.sol.rows);
  o.onWhitener?.(W, chNames);
  return s;
}

async function priorOf(s: SetUp, f: Forward, no: 1 | 3, whitened: Matrix | null): Promise<Float64Array | null> {
  const { o, depth, rows } = s;
  if (o.depthPerSource) return expand(await o.depthPerSource(f.sol, rows, s.infoPicked), no);
  if (!depth) return null;
  if (depth.limitDepthChs === 'whiten') {
    // MNE whitens for the depth prior with pca=True; only an MNE-style inverse (pca 'white') needs its own product.
    const W = o.pca === true ? s.W : computeWhitener(s.noiseCov, { pca: true });
    return depthPrior(whitened ?? await gemmAsync(spread(W, rows, f.sol.rows), f.sol), no, depth);
  }
  return depthPrior(f.sol.pickRows(Array.from(depthChannels(s.infoPicked), (k) => rows[k])), no, depth);
}

/** Priors, source_std and the trace scaling from the whitened columns' squared norms. */
/**
 * source_std = √(depth prior · orientation prior) per column and trace(G·R·Gᵀ) from the column
 * norms, then source_std scaled so that ‖gain‖²_F is `nNonzero` (the whitened dimension, as MNE).
 * Its own function: the loops inside finish made V8 recompile all of finish per subject.
 */
function sourceStdOf(colNorm2: Float64Array, dPrior: Float64Array | null, oPrior: Float64Array | null, nNonzero: number): { sourceStd: Float64Array; traceGRGT: number } {
  const n = colNorm2.length;
  const sourceStd = new Float64Array(n).fill(1);
  let traceGRGT = 0;
  for (let k = 0; k < n; k++) {
    if (dPrior) sourceStd[k] *= dPrior[k];
    if (oPrior) sourceStd[k] *= oPrior[k];
    sourceStd[k] = Math.sqrt(sourceStd[k]);
    traceGRGT += colNorm2[k] * sourceStd[k] * sourceStd[k];
  }
  if (!(traceGRGT > 0) || !Number.isFinite(traceGRGT)) throw new InputError('forward.sol', 'a finite, non-zero gain over the chosen channels', String(traceGRGT));
  const scale = Math.sqrt(nNonzero / traceGRGT);
  for (let k = 0; k < n; k++) sourceStd[k] *= scale;
  return { sourceStd, traceGRGT };
}

async function finish(s: SetUp, colNorm2: Float64Array, gain: Matrix | null, held: Matrix | null = null): Promise<PreparedColumns> {
  const { o, depth, forward, nOrient, rows, noiseCov, rotation } = s;
  let dPrior = s.dPrior;
  if (!s.depthBeforeFixing) {
    // The sparse prior ('whiten', 'fro') is the column norms of W·G with W's non-zero rows: the gain's own when pca.
    const fromNorms = depth !== null && depth.limitDepthChs === 'whiten' && depth.combineXyz === 'fro' && o.pca === true && !o.depthPerSource;
    if (fromNorms) dPrior = depthWeights(blockSums(colNorm2, nOrient), nOrient, depth);
    else if (gain === null && depth !== null && depth.limitDepthChs === 'whiten' && !o.depthPerSource) {
      throw new InputError('depth', "the sparse solvers' depth prior (whitened, 'fro') when the gain is whitened in blocks", depth.combineXyz);
    } else dPrior = await priorOf(s, forward, nOrient, o.pca === true ? gain : null);
  }
  const fixed = o.loose === 0;
  const oPrior = fixed ? null : orientPrior(forward.src, o.loose);

  const { sourceStd, traceGRGT } = sourceStdOf(colNorm2, dPrior, oPrior, noiseCov.nNonzero);
  const sol = forward.sol;
  const gainColumns = rotation
    ? (cols: ArrayLike<number>) => rotatedColumns(sol, rotation, cols, rows)
    : (cols: ArrayLike<number>) => sol.pickCols(cols).pickRows(rows);
  const whitenSources = async (sources: ArrayLike<number>): Promise<Matrix> => {
    // All of them (no weights): straight from the forward, no gathered copy.
    const every = sources.length * nOrient === sol.cols && isIdentity(sources);
    const cols = every ? null : sourceColumns(sources, nOrient);
    // Held (keepWhitened): a copy of its columns, which the caller may scale in place.
    if (held !== null) return cols === null ? new Matrix(held.rows, held.cols, held.data.slice()) : gatherColumns(held, cols);
    // The gathered copy (kept columns × all forward rows) is made off the main thread.
    const G = cols === null ? sol : await gatherColumns(sol, cols);
    const out = new Matrix(s.W.rows, G.cols);
    await s.plan.whiten(G, 0, G.cols, out.data);
    if (rotation) {
      const basis = every ? rotation : new Float64Array(9 * sources.length);
      if (!every) for (let j = 0; j < sources.length; j++) basis.set(rotation.subarray(9 * sources[j], 9 * sources[j] + 9), 9 * j);
      await rotateColumnsInPlace(out, basis);
    }
    return out;
  };
  return {
    forward, gainColumns, rows, info: s.infoPicked, chNames: s.chNames, nOrient, whitener: s.W, noiseCov, depthPrior: dPrior, orientPrior: oPrior, sourceStd, traceGRGT, whitenSources,
    ...(held === null ? {} : { whitenedGain: held }),
  };
}

function blockSums(v: Float64Array, nOrient: number): Float64Array {
  const out = new Float64Array(v.length / nOrient);
  for (let k = 0; k < v.length; k++) out[Math.floor(k / nOrient)] += v[k];
  return out;
}

/**
 * Columns per block of prepareForwardColumns (a multiple of 3: whole sources): 360 × 1,536 doubles
 * is 4.4 MB per buffer, large enough for GEMM to run at its full rate.
 */
const BLOCK_COLUMNS = 1536;

function expand(perSource: Float64Array, nOrient: number): Float64Array {
  const out = new Float64Array(perSource.length * nOrient);
  for (let k = 0; k < out.length; k++) out[k] = perSource[Math.floor(k / nOrient)];
  return out;
}

// Element loops that were callbacks in place (Int32Array.from, filter, flatMap): a callback made
// per call loses its optimised code at each full collection, so a pool worker recompiled them on
// every row or two of a batch; these keep theirs (lib/records/nameIndex.ts says the same).

/** The gain columns of `sources` (nOrient each, in order). */
export function sourceColumns(sources: ArrayLike<number>, nOrient: number): Int32Array {
  const cols = new Int32Array(sources.length * nOrient);
  for (let j = 0, c = 0; j < sources.length; j++) for (let o = 0; o < nOrient; o++, c++) cols[c] = sources[j] * nOrient + o;
  return cols;
}

/** Whether sources[j] = j for every j. */
function isIdentity(sources: ArrayLike<number>): boolean {
  for (let j = 0; j < sources.length; j++) if (sources[j] !== j) return false;
  return true;
}

/** Values 2, 5, 8, …: the normal component of each free source's x/y/z triple. */
function everyThird(a: Float64Array): Float64Array {
  const out = new Float64Array(Math.floor(a.length / 3));
  for (let k = 0; k < out.length; k++) out[k] = a[3 * k + 2];
  return out;
}
