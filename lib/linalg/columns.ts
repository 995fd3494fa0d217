/** Passes over the columns of a large matrix, in the native core and off the main thread. */
import { addon, callAsync, callSync } from '../native.js';
import { INLINE_FLOPS } from './blas.js';
import type { Matrix } from './matrix.js';

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
