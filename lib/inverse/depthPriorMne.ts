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
import { addon, callAsync } from '../native.js';

const f32 = Math.fround;

/**
 * One value per source position (float32 values held in float64). `G` has 3 columns per source;
 * `rows` are the rows of MNE's depth channels (priors.ts depthChannels, mapped to G's rows).
 */
export async function depthPriorFloat32(G: Matrix, rows: ArrayLike<number>, exp: number, limit: number | null = 10): Promise<Float64Array> {
  const ns = G.cols / 3;
  // The Grams and their largest eigenvalues in C++ (binding/kernels_gain.cc DepthGramsF32), in float32.
  const d = new Float64Array(ns);
  await callAsync(() => addon.depthGramsF32Async(G.rows, ns, G.data, rows.length, Float64Array.from(rows), d));
  const w = new Float64Array(ns);
  for (let k = 0; k < ns; k++) w[k] = f32(1 / d[k]);
  if (limit !== null) {
    const ws = Float64Array.from(w).sort();
    const cap = f32(limit * limit * ws[0]);
    let lim = ws[ws.length - 1];
    if (ws[ws.length - 1] > cap) lim = ws.find((v) => v > cap)!;
    for (let k = 0; k < ns; k++) w[k] = Math.min(f32(w[k] / lim), 1);
  }
  const e = f32(exp);
  for (let k = 0; k < ns; k++) w[k] = f32(Math.pow(w[k], e));
  return w;
}
