/**
 * MNE's compute_bias on an active set (mxne_debiasing.py): the factors D ≥ 1 minimising
 * ½‖M − G·diag(D)·X‖², by FISTA with MNE's 1000-iteration cap and tol 1e-6, the power iteration
 * started from numpy's RandomState(0) draws (the project's one port, numpyRandom.ts). The iterations
 * run natively (binding/kernels_debias.cc).
 */
import { gemm } from '../../linalg/blas.js';
import { Matrix } from '../../linalg/matrix.js';
import { addon, callAsync } from '../../native.js';
import { NumpyRandomState } from '../numpyRandom.js';

/** X (n × T) multiplied row-wise by the debiasing factors of G (nSensors × n), in place; returns the factors. */
export async function debiasInPlace(M: Matrix, G: Matrix, X: Matrix, nOrient: number, maxIter = 1000, tol = 1e-6): Promise<Float64Array> {
  const n = X.rows, T = X.cols;
  const D = new Float64Array(n);
  if (n === 0) return D;
  const GtG = gemm(G, G, { transA: true });
  const GtM = gemm(G, M, { transA: true });
  const CCT = gemm(X, X, { transB: true });
  // randn(n, n) fills row-major.
  const draws = new NumpyRandomState(0).randn(n * n);
  const B = Matrix.fromRowMajor(n, n, draws);
  await callAsync(() => addon.computeBiasAsync(n, T, nOrient, GtG.data, GtM.data, X.data, CCT.data, B.data, maxIter, tol, D));
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) X.data[i + t * n] *= D[i];
  return D;
}
