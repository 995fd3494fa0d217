/**
 * MNE 1.3's `compute_bias`: amplitude debiasing factors D ≥ 1 (equal within an orientation
 * block) minimising ½‖M − G diag(D) X‖² by FISTA, with MNE's step 1/(1.1·L) where L comes from
 * its power iteration started from numpy's RandomState(0) draws, and MNE's cap of 1000 iterations
 * (tol 1e-6 on ‖D − D₀‖∞). Several reference runs stop at that cap unconverged, so the iteration
 * is reproduced exactly rather than run to convergence. The loop runs in C++ (binding/kernels.cc)
 * in Gram form: GᵀR = GᵀM − GᵀG·diag(Y)·X.
 */
import { gemmAsync } from '../linalg/blas.js';
import { Matrix } from '../linalg/matrix.js';
import { addon, callAsync } from '../native.js';
import { NumpyRandomState } from './numpyRandom.js';

export async function computeBias(M: Matrix, G: Matrix, X: Matrix, nOrient: number, maxIter = 1000, tol = 1e-6): Promise<Float64Array> {
  const n = X.rows, T = X.cols;
  const [GtG, GtM, CCT] = await Promise.all([gemmAsync(G, G, { transA: true }), gemmAsync(G, M, { transA: true }), gemmAsync(X, X, { transB: true })]);
  // randn(n, n) fills row-major; B[i][j] is the (i·n + j)-th draw.
  const draws = new NumpyRandomState(0).randn(n * n);
  const B = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) B.data[i + j * n] = draws[i * n + j];
  const D = new Float64Array(n);
  await callAsync(() => addon.computeBiasAsync(n, T, nOrient, GtG.data, GtM.data, X.data, CCT.data, B.data, maxIter, tol, D));
  return D;
}
