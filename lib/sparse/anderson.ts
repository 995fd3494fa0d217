/**
 * Anderson extrapolation weights as in MNE's BCD: with U_k = X_{k+1} − X_k over the last K + 1
 * iterates, c = C⁻¹1 / 1ᵀC⁻¹1 for C = U Uᵀ, solved through C's eigendecomposition (numpy's
 * hermitian SVD) and refused, like MNE, when C is too ill-conditioned (s_min ≤ 1e-6 s_max).
 */
import { eigh } from '../linalg/decomp.js';
import { Matrix } from '../linalg/matrix.js';

export function andersonWeights(iterates: Float64Array[]): Float64Array | null {
  const K = iterates.length - 1;
  const n = iterates[0].length;
  const C = new Matrix(K, K);
  const U = Array.from({ length: K }, (_, k) => {
    const u = new Float64Array(n);
    const a = iterates[k + 1], b = iterates[k];
    for (let q = 0; q < n; q++) u[q] = a[q] - b[q];
    return u;
  });
  for (let i = 0; i < K; i++) for (let j = i; j < K; j++) {
    let s = 0;
    const ui = U[i], uj = U[j];
    for (let q = 0; q < n; q++) s += ui[q] * uj[q];
    C.set(i, j, s); C.set(j, i, s);
  }
  if (!C.data.every(Number.isFinite)) return null;
  const { values, vectors } = eigh(C);
  const s = Array.from(values, Math.abs);
  const smax = Math.max(...s), smin = Math.min(...s);
  if (!(smin > 1e-6 * smax)) return null;
  // z = Σ_e u_e (u_eᵀ 1) / λ_e, i.e. C⁻¹ 1.
  const z = new Float64Array(K);
  for (let e = 0; e < K; e++) {
    let u1 = 0;
    for (let i = 0; i < K; i++) u1 += vectors.get(i, e);
    for (let i = 0; i < K; i++) z[i] += (vectors.get(i, e) * u1) / values[e];
  }
  let sum = 0;
  for (const v of z) sum += v;
  return z.map((v) => v / sum);
}
