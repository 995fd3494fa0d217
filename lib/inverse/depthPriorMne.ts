/**
 * MNE 1.3's minimum-norm depth prior (`compute_depth_prior` with limit_depth_chs=True,
 * combine_xyz='spectral', limit=10) in the precision MNE computes it when the forward's gain is
 * the float32 array read from file (fixed and free inverses; a loose inverse rotates the gain
 * into float64 first): every step runs in float32, as numpy does on a float32 array —
 *   Gram_k = einsum('svj,svk->vjk', G, G) (sequential float32 accumulation over channels),
 *   d_k = ‖Gram_k‖₂ (float32 LAPACK: the correctly rounded largest eigenvalue),
 *   w = 1/d, limited, and w ** exp, all rounded to float32.
 * Computing it in float64 instead moves the prior by ~5e-7 relative, and MNE's dSPM by ~4e-8.
 */
import type { Matrix } from '../linalg/matrix.js';

const f32 = Math.fround;
const YIELD_SOURCES = 1024;

/**
 * One value per source position (float32 values held in float64). `G` has 3 columns per source;
 * `rows` are the rows of MNE's depth channels (priors.ts depthChannels, mapped to G's rows).
 */
export async function depthPriorFloat32(G: Matrix, rows: ArrayLike<number>, exp: number, limit: number | null = 10): Promise<Float64Array> {
  const ns = G.cols / 3;
  const n = G.rows;
  const d = new Float64Array(ns);
  const m = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let k = 0; k < ns; k++) {
    // float32 arithmetic has no BLAS; yield now and then so the event loop is never held long.
    if (k % YIELD_SOURCES === YIELD_SOURCES - 1) await new Promise((resolve) => setImmediate(resolve));
    const x = 3 * k * n;
    const cols = [x, x + n, x + 2 * n];
    for (let i = 0; i < 3; i++) {
      for (let j = i; j < 3; j++) {
        let acc = 0;
        const a = cols[i], b = cols[j];
        for (let q = 0; q < rows.length; q++) { const r = rows[q]; acc = f32(acc + f32(f32(G.data[a + r]) * f32(G.data[b + r]))); }
        m[i][j] = m[j][i] = acc;
      }
    }
    d[k] = f32(largestEigenvalue(m));
  }
  const w = d.map((v) => f32(1 / v));
  if (limit !== null) {
    const ws = Float64Array.from(w).sort();
    const cap = f32(limit * limit * ws[0]);
    let lim = ws[ws.length - 1];
    if (ws[ws.length - 1] > cap) lim = ws.find((v) => v > cap)!;
    for (let k = 0; k < ns; k++) w[k] = Math.min(f32(w[k] / lim), 1);
  }
  const e = f32(exp);
  return w.map((v) => f32(Math.pow(v, e)));
}


/**
 * Largest eigenvalue of a symmetric positive semi-definite 3×3 matrix to full double precision:
 * the trigonometric closed form, then Newton steps on the characteristic polynomial (the closed
 * form alone loses digits when the smaller eigenvalues are close).
 */
function largestEigenvalue(m: number[][]): number {
  const [a, b, c] = [m[0][0], m[1][1], m[2][2]];
  const [p, q, r] = [m[0][1], m[0][2], m[1][2]];
  const p1 = p * p + q * q + r * r;
  if (p1 === 0) return Math.max(a, b, c);
  const t = (a + b + c) / 3;
  const p2 = (a - t) ** 2 + (b - t) ** 2 + (c - t) ** 2 + 2 * p1;
  const s = Math.sqrt(p2 / 6);
  const B = m.map((row, i) => row.map((v, j) => (v - (i === j ? t : 0)) / s));
  const detB = B[0][0] * (B[1][1] * B[2][2] - B[1][2] * B[2][1]) - B[0][1] * (B[1][0] * B[2][2] - B[1][2] * B[2][0]) + B[0][2] * (B[1][0] * B[2][1] - B[1][1] * B[2][0]);
  let x = t + 2 * s * Math.cos(Math.acos(Math.min(1, Math.max(-1, detB / 2))) / 3);
  // det(xI − M) = x³ − tr·x² + c2·x − det
  const tr = a + b + c;
  const c2 = a * b + a * c + b * c - p * p - q * q - r * r;
  const det = a * (b * c - r * r) - p * (p * c - r * q) + q * (p * r - b * q);
  for (let it = 0; it < 3; it++) {
    const f = ((x - tr) * x + c2) * x - det;
    const df = (3 * x - 2 * tr) * x + c2;
    if (!(df > 0)) break;
    const step = f / df;
    x -= step;
    if (Math.abs(step) <= 1e-17 * Math.abs(x)) break;
  }
  return x;
}
