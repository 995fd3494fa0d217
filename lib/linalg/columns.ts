/** Passes over the columns (and rows) of a large matrix, in the native core and off the main thread. */
import { addon, callAsync, callSync } from '../native.js';
import { INLINE_FLOPS } from './blas.js';
import { Matrix } from './matrix.js';

/** ‖A[:, j]‖² for every column j. */
export async function columnNorms2(A: Matrix): Promise<Float64Array> {
  const out = new Float64Array(A.cols);
  await callAsync(() => addon.columnNorms2Async(A.rows, A.cols, A.data, out));
  return out;
}

/** A[:, j] *= s[j], in place; inline when small (irMxNE's reweighted active columns), as gemmAsync. */
export async function scaleColumns(A: Matrix, s: Float64Array): Promise<Matrix> {
  if (A.rows * A.cols < INLINE_FLOPS) callSync(() => addon.scaleColumns(A.rows, A.cols, A.data, s));
  else await callAsync(() => addon.scaleColumnsAsync(A.rows, A.cols, A.data, s));
  return A;
}

/** A[i, :] *= s[i], in place. */
export async function scaleRows(A: Matrix, s: Float64Array): Promise<Matrix> {
  await callAsync(() => addon.scaleRowsAsync(A.rows, A.cols, A.data, s));
  return A;
}

/** Σ_j (A[i, j]·s[j])² for every row i: the squared row norms of A·diag(s), without forming it. */
export async function rowNorms2Scaled(A: Matrix, s: Float64Array): Promise<Float64Array> {
  const out = new Float64Array(A.rows);
  await callAsync(() => addon.rowNorms2ScaledAsync(A.rows, A.cols, A.data, s, out));
  return out;
}

/** rowNorms2Scaled on the calling thread (a synchronous API; one pass over A). */
export function rowNorms2ScaledSync(A: Matrix, s: Float64Array): Float64Array {
  const out = new Float64Array(A.rows);
  callSync(() => addon.rowNorms2Scaled(A.rows, A.cols, A.data, s, out));
  return out;
}

/** A's columns `cols` (in that order) as a new matrix; the copy (and its page faults) off the main thread. */
export async function gatherColumns(A: Matrix, cols: ArrayLike<number>): Promise<Matrix> {
  const out = new Matrix(A.rows, cols.length);
  if (A.rows > 0 && cols.length > 0) await callAsync(() => addon.gatherColumnsAsync(A.rows, A.data, Float64Array.from(cols), out.data));
  return out;
}

/** A /= d elementwise, in place (a division, as A / d gives it, not a product with 1/d). */
export async function divide(A: Matrix, d: number): Promise<Matrix> {
  if (A.data.length > 0) await callAsync(() => addon.divideAsync(A.data, d));
  return A;
}
