/** Passes over the columns of a large matrix, in the native core and off the main thread. */
import { addon, callAsync } from '../native.js';
import type { Matrix } from './matrix.js';

/** ‖A[:, j]‖² for every column j. */
export async function columnNorms2(A: Matrix): Promise<Float64Array> {
  const out = new Float64Array(A.cols);
  await callAsync(() => addon.columnNorms2Async(A.rows, A.cols, A.data, out));
  return out;
}

/** A[:, j] *= s[j], in place. */
export async function scaleColumns(A: Matrix, s: Float64Array): Promise<Matrix> {
  await callAsync(() => addon.scaleColumnsAsync(A.rows, A.cols, A.data, s));
  return A;
}
