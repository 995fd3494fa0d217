/**
 * One inner solve of the L21 problem on an active set, in the native core (binding/kernels.cc),
 * off the main thread. The problem is in Gram form: on an active set of a columns the solver only
 * needs GᵀG (a × a) and GᵀM, so a block update costs O(a·o·T) instead of O(m·o·T), and the
 * duality gap needs no residual: ‖R‖² = ‖M‖² − ⟨X, GᵀM⟩ − ⟨X, GᵀR⟩ and ⟨R, GX⟩ = ⟨X, GᵀR⟩.
 *
 * 'bcd' is MNE 1.3's `_mixed_norm_solver_bcd` step for step: cyclic proximal block updates with
 * per-block Lipschitz constants, the gap every `dgapFreq` epochs against the best dual so far,
 * Anderson acceleration (K = 5; refused when s_min ≤ 1e-6 s_max; kept only if the objective
 * drops). Two MNE quirks are reproduced because MNE's numbers depend on them: a block counts as
 * non-zero when its first entry is (Mathurin's trick), and the Anderson candidate is squared
 * elementwise before it is evaluated (MNE's groups_norm2 squares its argument in place).
 * 'cd' is scikit-learn's multi-task coordinate descent (MNE's fixed-orientation path): no
 * acceleration, its own gap formula, checked only after an epoch whose largest change is below
 * tol/‖M‖² of the largest coefficient.
 */
import { addon, callAsync } from '../native.js';
import { Matrix } from '../linalg/matrix.js';
import { groupsNorm2 } from './groupNorms.js';

export interface GramProblem {
  /** a × a, G_Aᵀ G_A. */
  GtG: Matrix;
  /** T × a, (G_Aᵀ M)ᵀ: source rows stored contiguously. */
  GtMt: Matrix;
  /** ‖M‖²_F. */
  normM2: number;
  nOrient: number;
}

export interface ActiveSetSolveOptions {
  solver: 'bcd' | 'cd';
  alpha: number;
  /** One Lipschitz constant per block, ‖G_jᵀG_j‖₂ (bcd). */
  lipschitz: Float64Array;
  maxit: number;
  tol: number;
  dgapFreq: number;
  /** Warm start (T × a), or null for zeros. */
  init: Matrix | null;
}

export interface ActiveSetSolution {
  /** T × a; rows of inactive blocks are zero. */
  Xt: Matrix;
  /** Per column: 1 when its block is non-zero. */
  active: Uint8Array;
  /** Primal objective at each gap check (bcd). */
  E: number[];
  gap: number;
  converged: boolean;
  epochs: number;
}

export async function activeSetSolve(p: GramProblem, o: ActiveSetSolveOptions): Promise<ActiveSetSolution> {
  const a = p.GtG.rows, T = p.GtMt.rows;
  const Xt = o.init ? o.init.clone() : new Matrix(T, a);
  const E = new Float64Array(Math.floor(o.maxit / o.dgapFreq) + 1);
  const stats = new Float64Array(4);
  await callAsync(() => addon.l21SolveAsync(o.solver === 'cd', a, T, p.nOrient, p.GtG.data, p.GtMt.data, p.normM2,
    o.lipschitz, o.alpha, o.tol, o.maxit, o.dgapFreq, o.solver === 'bcd', Xt.data, E, stats));
  const norms = groupsNorm2(Xt, p.nOrient);
  const active = new Uint8Array(a);
  for (let k = 0; k < a; k++) active[k] = norms[Math.floor(k / p.nOrient)] !== 0 ? 1 : 0;
  return { Xt, active, E: Array.from(E.subarray(0, stats[3])), gap: stats[0], converged: stats[1] === 1, epochs: stats[2] };
}
