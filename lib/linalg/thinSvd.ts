/**
 * Thin SVD of a tall, narrow matrix (n × k, k small: projection vectors) by one-sided
 * Jacobi rotations, for MNE's `_make_projector`, where the small components of U matter:
 * one-sided Jacobi gives the left singular vectors to high relative accuracy, which projecting a
 * covariance spanning ten orders of magnitude needs; it costs O(n·k²) per sweep.
 */
import { Matrix } from './matrix.js';

export interface ThinSvd {
  /** n × k, orthonormal columns (columns of zero singular value are zero). */
  U: Matrix;
  /** k singular values, descending. */
  s: Float64Array;
}

const MAX_SWEEPS = 60;

/** A = U·diag(s)·Vᵀ; V is not formed (no caller needs it). Singular vectors are defined up to sign. */
export function thinSvd(A: Matrix): ThinSvd {
  const n = A.rows;
  const k = A.cols;
  const W = A.clone();
  const w = W.data;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        const op = p * n;
        const oq = q * n;
        for (let i = 0; i < n; i++) {
          const x = w[op + i];
          const y = w[oq + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        // Columns already orthogonal to working precision: skip (the standard convergence test).
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < n; i++) {
          const x = w[op + i];
          const y = w[oq + i];
          w[op + i] = c * x - s * y;
          w[oq + i] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  return sortedFactors(W);
}

function sortedFactors(W: Matrix): ThinSvd {
  const n = W.rows;
  const k = W.cols;
  const norms = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    const col = W.col(j);
    for (let i = 0; i < n; i++) s += col[i] * col[i];
    norms[j] = Math.sqrt(s);
  }
  const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => norms[b] - norms[a]);
  const U = new Matrix(n, k);
  const s = new Float64Array(k);
  order.forEach((j, r) => {
    s[r] = norms[j];
    if (norms[j] === 0) return;
    const src = W.col(j);
    const dst = U.col(r);
    for (let i = 0; i < n; i++) dst[i] = src[i] / norms[j];
  });
  return { U, s };
}
