/**
 * Goodness of fit split across the active columns: an exact port of MNE 1.3's `_split_gof`
 * (mne/inverse_sparse/mxne_inverse.py). The explained part of the data is expressed in an
 * orthonormal basis U of the active gain; every basis direction hands its fitted power (minus
 * its residual power) to the columns in proportion to ((Uᵀg_j)·x_j)², per time.
 */
import { gemm } from '../linalg/blas.js';
import { Matrix } from '../linalg/matrix.js';
import { svd } from '../linalg/decomp.js';

/** MNE keeps basis directions with s ≥ s[0]·1e-6. */
const RANK_CUTOFF = 1e-6;

/**
 * M: nSensors × T (whitened data), X: nActive × T, gain: nSensors × nActive (whitened, physical
 * units). Returns nActive × T GOF in percent. Depends on the gain's columns themselves, not only
 * their span: a loose-orientation gain must be in MNE's tangential basis to reproduce MNE.
 */
export function splitGof(M: Matrix, X: Matrix, gain: Matrix): Matrix {
  const nT = M.cols;
  const k = X.rows;
  const out = new Matrix(k, nT);
  if (k === 0) return out;
  const norm = sumSquaresByColumn(M);
  const res = gemm(gain, X, { alpha: -1, beta: 1, out: M.clone() });
  const U = significantBasis(gain);
  const UG = gemm(U, gain, { transA: true });
  const fit = squared(gemm(U, M, { transA: true }));
  const rest = squared(gemm(U, res, { transA: true }));
  const p = new Float64Array(k);
  for (let t = 0; t < nT; t++) {
    for (let r = 0; r < U.cols; r++) {
      // MNE's w[r, :, t] = (Uᵀg_j)[r]·X[j, t], normalised over the dipoles j: basis direction r
      // hands its fitted and residual power to the dipoles in proportion to w².
      let den = 0;
      for (let j = 0; j < k; j++) {
        const v = UG.get(r, j) * X.get(j, t);
        p[j] = v * v;
        den += p[j];
      }
      if (den === 0) continue;
      const f = fit.get(r, t) / den;
      const e = rest.get(r, t) / den;
      for (let j = 0; j < k; j++) out.data[j + t * k] += (f - e) * p[j];
    }
    for (let j = 0; j < k; j++) out.data[j + t * k] *= 100 / norm[t];
  }
  return out;
}

function significantBasis(gain: Matrix): Matrix {
  const { U, s } = svd(gain);
  let r = 0;
  while (r < s.length && s[r] >= s[0] * RANK_CUTOFF) r++;
  return U.colRange(0, r);
}

function sumSquaresByColumn(A: Matrix): Float64Array {
  const out = new Float64Array(A.cols);
  for (let t = 0; t < A.cols; t++) {
    const c = A.col(t);
    let s = 0;
    for (let i = 0; i < c.length; i++) s += c[i] * c[i];
    // MNE sets a zero norm to inf, so a silent time point gets GOF 0.
    out[t] = s === 0 ? Infinity : s;
  }
  return out;
}

function squared(A: Matrix): Matrix {
  const out = new Matrix(A.rows, A.cols);
  for (let k = 0; k < A.data.length; k++) out.data[k] = A.data[k] * A.data[k];
  return out;
}
