/**
 * The L2,1 penalty over orientation blocks, P(X) = Σ_j ‖X_j‖_F (MxNE; Gramfort et al. 2012), as
 * skglm's L2_1: value, the block prox (soft-thresholding of the block norm), the dual norm that
 * certifies optimality (max_j ‖·_j‖_F: alpha_max, the dual point's scaling), and the distance of a
 * gradient to the subdifferential. Sources are stored transposed (Xt: T × n, column j is source
 * row j), so block j is nOrient·T contiguous values. The native BCD runs the same prox in its epochs.
 */
import type { Matrix } from '../../linalg/matrix.js';
import { groupsNorm2 } from '../groupNorms.js';

/** Σ_j ‖X_j‖_F of Xt (T × n); `norms2`: its block norms² when the caller has them. */
export function l21Value(Xt: Matrix, nOrient: number, norms2 = groupsNorm2(Xt, nOrient)): number {
  let s = 0;
  for (const v of norms2) s += Math.sqrt(v);
  return s;
}

/** max_j ‖A_j‖_F of At (T × n): the dual norm (alpha_max when A = GᵀM). */
export function l21DualNorm(At: Matrix, nOrient: number): number {
  let m = 0;
  for (const v of groupsNorm2(At, nOrient)) m = Math.max(m, v);
  return Math.sqrt(m);
}

/** prox of step·P on one block (len values, in place): block soft-thresholding. */
export function l21ProxBlock(block: Float64Array, step: number): Float64Array {
  let n2 = 0;
  for (const v of block) n2 += v * v;
  const norm = Math.sqrt(n2);
  const shrink = norm <= step ? 0 : 1 - step / norm;
  for (let k = 0; k < block.length; k++) block[k] *= shrink;
  return block;
}

/**
 * Distance of −grad_j (one block of −∇f, len values) to α·∂‖·‖ at X_j: ‖−grad_j − α X_j/‖X_j‖‖
 * on a non-zero block, max(0, ‖grad_j‖ − α) on a zero block. Zero at an optimum.
 */
export function l21SubdiffDistance(Xj: Float64Array, minusGrad: Float64Array, alpha: number): number {
  let nx2 = 0, ng2 = 0;
  for (let k = 0; k < Xj.length; k++) { nx2 += Xj[k] * Xj[k]; ng2 += minusGrad[k] * minusGrad[k]; }
  if (nx2 === 0) return Math.max(0, Math.sqrt(ng2) - alpha);
  const nx = Math.sqrt(nx2);
  let d2 = 0;
  for (let k = 0; k < Xj.length; k++) d2 += (minusGrad[k] - (alpha * Xj[k]) / nx) ** 2;
  return Math.sqrt(d2);
}
