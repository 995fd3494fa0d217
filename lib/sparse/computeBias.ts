/**
 * MNE 1.3's `compute_bias`: amplitude debiasing factors D ≥ 1 (equal within an orientation
 * block) minimising ½‖M − G diag(D) X‖² by FISTA, with MNE's step 1/(1.1·L) where L comes from
 * its seeded power iteration, and MNE's cap of 1000 iterations (tol 1e-6 on ‖D − D₀‖∞). Several
 * reference runs stop at that cap unconverged, so the iteration is reproduced exactly rather
 * than run to convergence. Gram form: GᵀR = GᵀM − GᵀG·diag(Y)·X.
 */
import { gemm } from '../linalg/blas.js';
import type { Matrix } from '../linalg/matrix.js';
import { NumpyRandomState } from './numpyRandom.js';

export async function computeBias(M: Matrix, G: Matrix, X: Matrix, nOrient: number, maxIter = 1000, tol = 1e-6): Promise<Float64Array> {
  const n = X.rows, T = X.cols;
  const GtG = gemm(G, G, { transA: true });
  const GtM = gemm(G, M, { transA: true });
  const L = 1.1 * powerIterationKron(GtG, gemm(X, X, { transB: true }));
  let D = new Float64Array(n).fill(1);
  let Y = new Float64Array(n).fill(1);
  let t = 1;
  const YX = X.clone();
  for (let i = 0; i < maxIter; i++) {
    const D0 = D;
    for (let r = 0; r < n; r++) for (let c = 0; c < T; c++) YX.data[r + c * n] = Y[r] * X.data[r + c * n];
    const GtR = gemm(GtG, YX, { alpha: -1 });
    for (let k = 0; k < GtR.data.length; k++) GtR.data[k] += GtM.data[k];
    D = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let c = 0; c < T; c++) s += GtR.data[r + c * n] * X.data[r + c * n];
      D[r] = Y[r] + s / L;
    }
    if (nOrient !== 1) {
      for (let b = 0; b < n; b += nOrient) {
        let m = 0;
        for (let c = 0; c < nOrient; c++) m += D[b + c];
        m /= nOrient;
        for (let c = 0; c < nOrient; c++) D[b + c] = m;
      }
    }
    for (let r = 0; r < n; r++) D[r] = Math.max(D[r], 1);
    const t0 = t;
    t = 0.5 * (1 + Math.sqrt(1 + 4 * t * t));
    const dt = (t0 - 1) / t;
    Y = new Float64Array(n);
    let diff = 0;
    for (let r = 0; r < n; r++) {
      Y[r] = D[r] + dt * (D[r] - D0[r]);
      diff = Math.max(diff, Math.abs(D[r] - D0[r]));
    }
    if (diff < tol) break;
  }
  return D;
}

/**
 * MNE's power_iteration_kron: the largest singular value of kron(CCᵀ, AᵀA) by power iteration
 * from numpy's RandomState(0) draws, stopping when L changes by less than 1e-3 (absolute).
 */
function powerIterationKron(ATA: Matrix, CCT: Matrix, maxIter = 1000, tol = 1e-3): number {
  const n = CCT.rows;
  const rng = new NumpyRandomState(0);
  // randn(n, n) fills row-major; B[i][j] is the (i·n + j)-th draw.
  const draws = rng.randn(n * n);
  let B = CCT.clone();
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) B.data[i + j * n] = draws[i * n + j];
  const fro = B.frobeniusNorm();
  for (let k = 0; k < B.data.length; k++) B.data[k] /= fro;
  let L0 = Infinity;
  let L = 0;
  for (let it = 0; it < maxIter; it++) {
    const Y = gemm(gemm(ATA, B), CCT);
    L = Y.frobeniusNorm();
    if (Math.abs(L - L0) < tol) break;
    for (let k = 0; k < Y.data.length; k++) Y.data[k] /= L;
    B = Y;
    L0 = L;
  }
  return L;
}
