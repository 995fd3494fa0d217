/**
 * The noise whitener of MNE 1.3's `prepare_noise_cov` + `compute_whitener`: the covariance over
 * the chosen channels is projected (C' = P C Pᵀ with the info's and the covariance's projectors),
 * eigendecomposed per channel group (MEG block, EEG block; cross terms ignored), the smallest
 * n − rank eigenvalues of each group set to zero, and W = diag(1/√λ) Vᵀ over the non-zero ones.
 */
import { awaitedLater } from '../awaitedLater.js';
import { ChannelMismatchError, InputError } from '../errors.js';
import { gemmAsync } from '../linalg/blas.js';
import { eighAsync } from '../linalg/decomp.js';
import { Matrix } from '../linalg/matrix.js';
import type { Covariance } from '../records/covariance.js';
import type { Info } from '../records/info.js';
import { pickInfo } from './pickChannels.js';
import { picksByType, type PickGroup, type TypePicks } from './picksByType.js';
import { makeProjector } from './projector.js';
import { computeRank, type RankOption } from './rank.js';
import { nameIndex, namesMissing, positionsOf } from '../records/nameIndex.js';

export interface PreparedNoiseCov {
  chNames: string[];
  /** The covariance over chNames as given (not projected). */
  data: Matrix;
  /** Per channel, the eigenvalue of its group's eigenvector in that row (zeros below the rank). */
  eig: Float64Array;
  /** Rows are eigenvectors (MNE's `eigvec`), block-diagonal by group. */
  eigvec: Matrix;
  rank: Map<PickGroup, number>;
  /** The channel groups eigendecomposed separately (indices into chNames). */
  groups: TypePicks[];
  /** Number of non-zero eigenvalues: the whitened dimension. */
  nNonzero: number;
}

export async function prepareNoiseCov(cov: Covariance, info: Info, chNames: readonly string[], rank: RankOption): Promise<PreparedNoiseCov> {
  const where = nameIndex(cov.names);
  const missing = namesMissing(chNames, where);
  if (missing.length > 0) throw new ChannelMismatchError('Not all channels are present in the noise covariance', missing);
  const idx = positionsOf(where, chNames);
  const data = cov.data.pickRows(idx).pickCols(idx);
  const bad = data.firstNonFinite();
  if (bad >= 0) throw new InputError('noiseCov.data', 'finite values', String(data.data[bad]));
  const picked = pickInfo(info, chNames);
  const { P } = makeProjector([...picked.projs, ...cov.projs], chNames);
  const C = P === null ? data : await gemmAsync(await gemmAsync(P, data), P, { transB: true });
  // compute_rank resets bads: the chosen channels are all good.
  const groups = picksByType({ ...picked, bads: [] }, { megCombined: true, excludeBads: false });
  // The rank (an SVD per group) and the groups' eigendecompositions do not depend on each other: they
  // run at once, on two cores when two are free. The rank's errors are reported first, as before.
  const ranked = computeRank(C, { ...picked, bads: [] }, groups, rank);
  const decomposed = awaitedLater(Promise.all(groups.map(({ picks }) => eighAsync(C.pickRows(picks).pickCols(picks)))));
  const ranks = await ranked;
  const decompositions = await decomposed;
  const n = chNames.length;
  const eig = new Float64Array(n);
  const eigvec = new Matrix(n, n);
  for (const [g, { type, picks }] of groups.entries()) {
    const r = ranks.get(type)!;
    const { values, vectors } = decompositions[g];
    // Projection leaves eigenvalues of order −eps·max; a clearly negative one means the matrix is
    // not a covariance, and MNE would silently drop it from the whitener.
    const top = values[values.length - 1];
    if (values[0] < -1e-8 * Math.abs(top)) {
      throw new InputError('noiseCov.data', `a positive semi-definite covariance (the ${type} block)`, `an eigenvalue of ${values[0].toPrecision(3)} (largest ${top.toPrecision(3)})`);
    }
    placeGroup(eig, eigvec, picks, values, vectors, picks.length - r);
  }
  const nNonzero = eig.reduce((k, v) => (v > 0 ? k + 1 : k), 0);
  if (nNonzero === 0) throw new InputError('noiseCov', 'a covariance with at least one positive eigenvalue over the chosen channels', 'none');
  return { chNames: [...chNames], data, eig, eigvec, rank: ranks, groups, nNonzero };
}

/**
 * One group's eigenpairs into the whole-channel eig and eigvec (rows `picks`), the smallest `zero`
 * eigenvalues set to 0. Its own function, as the element loops of this file: inside
 * prepareNoiseCov, V8 would recompile all of it on every call (on-stack replacement).
 */
function placeGroup(eig: Float64Array, eigvec: Matrix, picks: number[], values: Float64Array, vectors: Matrix, zero: number): void {
  const n = eigvec.rows, m = picks.length;
  // eigvec[picks[e], picks[c]] = vectors[c, e]: column e of `vectors` is contiguous.
  for (let e = 0; e < m; e++) {
    const row = picks[e];
    eig[row] = e < zero ? 0 : values[e];
    for (let c = 0; c < m; c++) eigvec.data[row + picks[c] * n] = vectors.data[c + e * m];
  }
}

/**
 * W = diag(1/√λ)·eigvec. `pca: true` keeps the non-zero rows (nNonzero × n, MNE's pca=True, used
 * by the sparse solvers); 'white' keeps all n rows, zero where λ = 0 (make_inverse_operator).
 * `nave` scales the covariance by 1/nave first (MNE's prepare_inverse_operator).
 */
export function computeWhitener(nc: PreparedNoiseCov, o: { pca: true | 'white'; nave?: number }): Matrix {
  const n = nc.chNames.length;
  const rows = whitenerRows(nc, o.pca);
  const m = rows.length;
  const W = new Matrix(m, n);
  const nave = o.nave ?? 1;
  const f: number[] = [];
  for (const i of rows) {
    const lam = nc.eig[i] / nave;
    f.push(lam > 0 ? 1 / Math.sqrt(lam) : 0);
  }
  scaledRowsInto(W, nc.eigvec, rows, f);
  return W;
}

/** W[r, c] = f[r]·E[rows[r], c]; its own function, as the loops of prepareNoiseCov (placeGroup). */
function scaledRowsInto(W: Matrix, E: Matrix, rows: number[], f: number[]): void {
  const m = W.rows, n = E.rows;
  // Column by column (both column-major).
  for (let c = 0; c < W.cols; c++) for (let r = 0; r < m; r++) W.data[r + c * m] = f[r] * E.data[rows[r] + c * n];
}

/** The channel (index into chNames) whose eigenvector each row of computeWhitener's W holds. */
export function whitenerRows(nc: PreparedNoiseCov, pca: true | 'white'): number[] {
  const rows: number[] = [];
  for (let i = 0; i < nc.chNames.length; i++) if (nc.eig[i] > 0 || pca === 'white') rows.push(i);
  return rows;
}
