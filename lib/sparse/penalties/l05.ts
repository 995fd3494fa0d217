/**
 * The L0.5 penalty over orientation blocks, P(X) = Σ_j √‖X_j‖_F, that irMxNE minimises by
 * reweighted L2,1 (Strohmeier et al. 2016; skglm's L2_05 / IterativeReweightedL1): its value and
 * the reweighting, weights g′ = 2·√‖X_j‖ per column (MNE's gprime), so that the next L2,1 solve on
 * G·diag(w) majorises it; irMxNE (iterativeMixedNormSolver.ts) applies them.
 */
import type { Matrix } from '../../linalg/matrix.js';
import { groupsNorm2 } from '../groupNorms.js';

/** Σ_j √‖X_j‖_F of Xt (T × n); `norms2`: its block norms² when the caller has them. */
export function l05Value(Xt: Matrix, nOrient: number, norms2 = groupsNorm2(Xt, nOrient)): number {
  let s = 0;
  for (const v of norms2) s += Math.sqrt(Math.sqrt(v));
  return s;
}

/** Column weights 2·√‖X_j‖_F of Xt (T × n), the same for the nOrient columns of a block. */
export function l05Reweight(Xt: Matrix, nOrient: number, norms2 = groupsNorm2(Xt, nOrient)): Float64Array {
  const g = norms2;
  const w = new Float64Array(Xt.cols);
  for (let i = 0; i < w.length; i++) w[i] = 2 * Math.sqrt(Math.sqrt(g[Math.floor(i / nOrient)]));
  return w;
}
