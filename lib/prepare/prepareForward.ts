/**
 * MNE 1.3's `_prepare_forward`, shared by the minimum-norm operator and the sparse solvers:
 * orientation (fixed / loose / free), channel selection, depth and orientation priors, the
 * whitened gain G̃ = W·G·diag(sourceStd), scaled so that ‖G̃‖²_F equals the whitened dimension.
 * The forward's gain is never copied row by row: the whitener is spread over the forward's row
 * order instead, so one GEMM gives the whitened gain, and the 'whiten' depth prior comes from it.
 */
import { InputError } from '../errors.js';
import { gemmAsync } from '../linalg/blas.js';
import { columnNorms2, scaleColumns } from '../linalg/columns.js';
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
   * false: `gain` is returned as W·G only and the caller applies `sourceStd` itself (to just the
   * columns it keeps, saving a pass over the full gain). @default true
   */
  scaleGain?: boolean;
  /**
   * Shares the prepared noise covariance with other preparations of the same inputs (the dSPM
   * operator and the sparse gain of one solve): it depends on the covariance, the info, the
   * channels and the rank only.
   */
  memo?: Memo;
}

export interface PreparedForward {
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
  /** Whitened, source-weighted, scaled gain: whitened dimension × (nsource · nOrient). */
  gain: Matrix;
  /** Over `chNames` (for the data). */
  whitener: Matrix;
  noiseCov: PreparedNoiseCov;
  depthPrior: Float64Array | null;
  orientPrior: Float64Array | null;
  sourceStd: Float64Array;
  traceGRGT: number;
}

export async function prepareForward(fwd: Forward, info: Info, cov: Covariance, o: PrepareForwardOptions): Promise<PreparedForward> {
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
  let forward = fwd;
  let nOrient: 1 | 3 = 3;
  // MNE inverse with a fixed orientation: the depth prior comes from the free gain, then fixed.
  const depthBeforeFixing = fixed && !o.allowFixedDepth && fwd.sourceOri !== 1;
  if (fixed && !depthBeforeFixing) {
    forward = await toSurfaceOrientation(fwd, { fixed: true, useCps: true }, fwd.sourceOri === 1 ? undefined : basisOf(true, true));
    nOrient = 1;
  }
  let rotateAfterWhitening: Float64Array | null = null;
  if (!fixed && o.loose < 1) {
    const b = await basisOf(false, o.useCps);
    forward = { ...fwd, sourceNn: b.sourceNn, surfOri: true };
    rotateAfterWhitening = b.basis;
  }
  const chNames = selectChannels(info, forward, cov);
  const rowOf = new Map(forward.chNames.map((n, k) => [n, k] as const));
  const rows = Int32Array.from(chNames, (n) => rowOf.get(n)!);
  const infoPicked = pickInfo(info, chNames);
  const makeNoiseCov = () => prepareNoiseCov(cov, info, chNames, o.rank);
  const noiseCov = await (o.memo ? o.memo(`noiseCov|${optionsKey([o.rank, chNames])}`, makeNoiseCov) : makeNoiseCov());
  const whitener = computeWhitener(noiseCov, { pca: o.pca });

  let dPrior: Float64Array | null = null;
  const priorOf = async (f: Forward, no: 1 | 3, whitened: Matrix | null): Promise<Float64Array | null> => {
    if (o.depthPerSource) return expand(await o.depthPerSource(f.sol, rows, infoPicked), no);
    if (!depth) return null;
    if (depth.limitDepthChs === 'whiten') {
      // MNE whitens for the depth prior with pca=True; only an MNE-style inverse (pca 'white') needs its own product.
      const W = o.pca === true ? whitener : computeWhitener(noiseCov, { pca: true });
      return depthPrior(whitened ?? await gemmAsync(spread(W, rows, f.sol.rows), f.sol), no, depth);
    }
    return depthPrior(f.sol.pickRows(Array.from(depthChannels(infoPicked), (k) => rows[k])), no, depth);
  };
  if (depthBeforeFixing) {
    dPrior = await priorOf(forward, 3, null);
    if (dPrior) dPrior = dPrior.filter((_, k) => k % 3 === 2);
    forward = await toSurfaceOrientation(fwd, { fixed: true, useCps: o.useCps }, fwd.sourceOri === 1 ? undefined : basisOf(true, o.useCps));
    nOrient = 1;
  }
  const gain = await whiten(whitener, whitenerRows(noiseCov, o.pca), noiseCov, rows, forward.sol);
  const colNorm2 = rotateAfterWhitening ? await rotateColumnsInPlace(gain, rotateAfterWhitening) : await columnNorms2(gain);
  if (!depthBeforeFixing) {
    // The sparse prior ('whiten', 'fro') is the column norms of W·G with W's non-zero rows: the gain's own when pca.
    dPrior = depth && depth.limitDepthChs === 'whiten' && depth.combineXyz === 'fro' && o.pca === true && !o.depthPerSource
      ? depthWeights(blockSums(colNorm2, nOrient), nOrient, depth)
      : await priorOf(forward, nOrient, o.pca === true ? gain : null);
  }
  const oPrior = fixed ? null : orientPrior(forward.src, o.loose);

  const n = gain.cols;
  const sourceStd = new Float64Array(n).fill(1);
  let traceGRGT = 0;
  for (let k = 0; k < n; k++) {
    if (dPrior) sourceStd[k] *= dPrior[k];
    if (oPrior) sourceStd[k] *= oPrior[k];
    sourceStd[k] = Math.sqrt(sourceStd[k]);
    traceGRGT += colNorm2[k] * sourceStd[k] * sourceStd[k];
  }
  if (!(traceGRGT > 0) || !Number.isFinite(traceGRGT)) throw new InputError('forward.sol', 'a finite, non-zero gain over the chosen channels', String(traceGRGT));
  // MNE scales gain and source_std so that ‖gain‖²_F is the whitened dimension: one pass here.
  const scale = Math.sqrt(noiseCov.nNonzero / traceGRGT);
  for (let k = 0; k < n; k++) sourceStd[k] *= scale;
  if (o.scaleGain !== false) await scaleColumns(gain, sourceStd);
  const sol = forward.sol;
  const gainColumns = rotateAfterWhitening
    ? (cols: ArrayLike<number>) => rotatedColumns(sol, rotateAfterWhitening!, cols, rows)
    : (cols: ArrayLike<number>) => sol.pickCols(cols).pickRows(rows);
  return { forward, gainColumns, rows, info: infoPicked, chNames, nOrient, gain, whitener, noiseCov, depthPrior: dPrior, orientPrior: oPrior, sourceStd, traceGRGT };
}


function blockSums(v: Float64Array, nOrient: number): Float64Array {
  const out = new Float64Array(v.length / nOrient);
  for (let k = 0; k < v.length; k++) out[Math.floor(k / nOrient)] += v[k];
  return out;
}

/**
 * W·G for W over the chosen channels and G over all forward rows. The whitener is block-diagonal
 * by channel group (MEG, EEG: cross terms ignored, as MNE), so when each group's whitener rows and
 * forward rows form ranges, one GEMM per group skips the zero blocks (~28 % of the flops with
 * 306 MEG + 60 EEG channels). Otherwise one GEMM with W spread over the forward's rows.
 */
async function whiten(W: Matrix, wRowChannel: number[], nc: PreparedNoiseCov, rows: Int32Array, G: Matrix): Promise<Matrix> {
  const Ws = spread(W, rows, G.rows);
  const blocks = nc.groups.map(({ picks }) => {
    const inGroup = new Set(picks);
    const wr = wRowChannel.flatMap((c, r) => (inGroup.has(c) ? [r] : []));
    const fr = picks.map((c) => rows[c]);
    return { w0: Math.min(...wr), w1: Math.max(...wr) + 1, wn: wr.length, f0: Math.min(...fr), f1: Math.max(...fr) + 1 };
  });
  const ranges = blocks.every((b) => b.wn === 0 || b.w1 - b.w0 === b.wn)
    && blocks.every((a, i) => blocks.every((b, j) => i === j || a.f1 <= b.f0 || b.f1 <= a.f0));
  if (!ranges || blocks.some((b) => b.wn === 0)) return gemmAsync(Ws, G);
  const out = new Matrix(W.rows, G.cols);
  // The large (MEG) block also in two column halves, so that it runs on two cores when they are
  // free (a lone mixedNorm call; one BLAS thread per job). Each column's arithmetic is unchanged.
  const halves = G.cols >= 2 * SPLIT_COLUMNS ? [[0, G.cols >> 1], [G.cols >> 1, G.cols]] : [[0, G.cols]];
  const big = blocks.reduce((a, b) => ((b.w1 - b.w0) * (b.f1 - b.f0) > (a.w1 - a.w0) * (a.f1 - a.f0) ? b : a));
  await Promise.all(blocks.flatMap((b) => (b === big ? halves : [[0, G.cols]]).map(([c0, c1]) => callAsync(() => addon.gemmBlockAsync(b.w1 - b.w0, c1 - c0, b.f1 - b.f0, 1,
    Ws.data, b.w0 + b.f0 * Ws.rows, Ws.rows, G.data, b.f0 + c0 * G.rows, G.rows, 0, out.data, b.w0 + c0 * out.rows, out.rows)))));
  return out;
}

/** Below this many columns per half a split whitening GEMM costs more in thread hand-over than it saves. */
const SPLIT_COLUMNS = 1000;

/** W over chosen channels → the same rows over all `nRows` forward rows (zero columns elsewhere). */
function spread(W: Matrix, rows: Int32Array, nRows: number): Matrix {
  const out = new Matrix(W.rows, nRows);
  rows.forEach((r, c) => out.data.set(W.col(c), r * W.rows));
  return out;
}

function expand(perSource: Float64Array, nOrient: number): Float64Array {
  const out = new Float64Array(perSource.length * nOrient);
  for (let k = 0; k < out.length; k++) out[k] = perSource[Math.floor(k / nOrient)];
  return out;
}
