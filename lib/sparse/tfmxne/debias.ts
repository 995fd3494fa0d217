/**
 * MNE's compute_bias on TF-MxNE's active set: the one implementation (lib/sparse/computeBias.ts,
 * MNE's 1000-iteration cap and tol 1e-6), applied to X's rows in place.
 */
import type { Matrix } from '../../linalg/matrix.js';
import { biasFactors } from '../computeBias.js';

/** X (n × T) multiplied row-wise by the debiasing factors of G (nSensors × n), in place; returns the factors. */
export async function debiasInPlace(M: Matrix, G: Matrix, X: Matrix, nOrient: number, maxIter = 1000, tol = 1e-6): Promise<Float64Array> {
  const n = X.rows, T = X.cols;
  if (n === 0) return new Float64Array(0);
  const D = (await biasFactors(M, G, X, maxIter, tol, nOrient)).weights;
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) X.data[i + t * n] *= D[i];
  return D;
}
