/**
 * MNE 1.3's `mixed_norm_solver`: the L21 problem min ½‖M − GX‖² + α Σ_j ‖X_j‖ with the
 * active-set strategy — start from the `activeSetSize` blocks most correlated with M, solve on
 * them (Gram-form BCD), check the duality gap on the full problem with one Gᵀ R product, add
 * the blocks most correlated with the residual, warm-start, repeat — then debias.
 * `activeSetSize: null` solves on all columns at once (irMxNE's small reweighted problems).
 *
 * The loop is TypeScript (activeSet.ts); each inner solve is one native call (binding/solvers.cc
 * around the kernels of kernels_l21.cc; small ones inline, the rest thread-pool jobs). The inner solver is MNE's `_mixed_norm_solver_bcd` step
 * for step in Gram form — on an active set of a columns it needs only GᵀG and GᵀM, so a block
 * update costs O(a·o·T) instead of O(m·o·T), and the gap needs no residual (‖R‖² = ‖M‖² −
 * ⟨X, GᵀM⟩ − ⟨X, GᵀR⟩, ⟨R, GX⟩ = ⟨X, GᵀR⟩) — including two MNE quirks its numbers depend on: a
 * block counts as non-zero when its first entry is (Mathurin's trick), and the Anderson candidate
 * (K = 5) is squared elementwise before it is evaluated (MNE's groups_norm2 squares its argument
 * in place). 'cd' is scikit-learn's multi-task coordinate descent, MNE's fixed-orientation path.
 * Debiasing (computeBias.ts) is its own step.
 */
import type { ConvergenceWarning } from '../errors.js';
import { splitsInTwo } from '../linalg/blas.js';
import { Matrix } from '../linalg/matrix.js';
import { activeSetSolve, type L21Data } from './activeSet.js';
import { biasFactors, type ComputeBiasResult } from './computeBias.js';
import type { L21Solution } from './l21Solution.js';
import { sparseResidual } from './residual.js';
import { checkingM, normalizeSolverOptions, type L21Options, type MixedNormSolverOptions, type SolverChoiceWarning } from './solverOptions.js';

export type { L21Options } from './solverOptions.js';

export interface MixedNormSolverResult extends L21Solution {
  /** Primal objective at each active-set iteration (at each gap check without the active-set strategy). */
  E: number[];
  /** Active-set iterations. */
  nIterations: number;
  /** The debiasing step's outcome; null without debiasing or without active source. */
  debias: ComputeBiasResult | null;
  warnings: Array<ConvergenceWarning | SolverChoiceWarning>;
}

export type { L21Data } from './activeSet.js';

/**
 * GᵀM, its block norms (blocks of nOrient columns) and ‖M‖²: the residual kernel with no columns yet
 * (residual.ts). A large product runs as two jobs on the two halves of G's blocks, on two cores
 * when they are free (linalg/blas.ts splitsInTwo). `normM2`: ‖M‖² as an earlier call on the same
 * M returned it (irMxNE's later rounds), not summed again.
 */
export async function prepareL21(M: Matrix, G: Matrix, nOrient: number, signal?: AbortSignal, normM2?: number): Promise<L21Data> {
  const T = M.cols, nb = G.cols / nOrient;
  const GtMt = new Matrix(T, G.cols), GtMtNorms2 = new Float64Array(nb), Xt = new Matrix(T, 0);
  const halves = splitsInTwo(M.rows * T * G.cols) && nb >= 2 ? [[0, nb >> 1], [nb >> 1, nb]] : [[0, nb]];
  const parts = await Promise.all(halves.map(([b0, b1]) => {
    const c0 = b0 * nOrient, c1 = b1 * nOrient;
    const corr = { GtRt: GtMt.colRange(c0, c1), norms2: GtMtNorms2.subarray(b0, b1), GtMt: null, nOrient };
    // ‖M‖² from the first half only.
    return sparseResidual(M, G.colRange(c0, c1), NO_COLUMNS, Xt, null, corr, signal, normM2 === undefined && b0 === 0);
  }));
  return { M, G, GtMt, GtMtNorms2, normM2: normM2 ?? parts[0].normR2 };
}

const NO_COLUMNS = new Int32Array(0);

/** MNE's debiasing of a solution's active rows (max_iter 1000, tol 1e-6), in place; null when there is nothing to debias. */
export async function debiasRows(M: Matrix, G: Matrix, activeSet: Int32Array, X: Matrix, o: L21Options): Promise<ComputeBiasResult | null> {
  if (!o.debias || activeSet.length === 0) return null;
  const r = await biasFactors(M, G.pickCols(activeSet), X, 1000, 1e-6, o.nOrient, o.signal);
  scaleRowsInPlace(X, r.weights);
  return r;
}

/**
 * X[i, :] *= s[i], in place. A function of its own: a loop inlined in the solvers' async orchestration
 * makes V8 optimise that whole tree (100–250 ms of compiler time on the shared machine during a
 * user's first solves) where this small loop compiles in a fraction of a millisecond.
 */
export function scaleRowsInPlace(X: Matrix, s: Float64Array): Matrix {
  const d = X.data, rows = X.rows;
  for (let k = 0; k < d.length; k++) d[k] *= s[k % rows];
  return X;
}

export function convergenceWarning(stage: string, gap: number, tol: number, iterations: number): ConvergenceWarning {
  // The gap is computed every dgapFreq iterations; it is still infinite when maxit came first.
  const where = Number.isFinite(gap)
    ? `the duality gap was ${gap.toPrecision(2)}, above the tolerance ${tol.toPrecision(2)}`
    : 'before the first duality-gap check';
  const name = stage === 'irmxne' ? 'irMxNE' : stage === 'mxne' ? 'MxNE' : stage;
  return { code: 'ECONVERGENCE', stage, gap, tol, iterations,
    message: `${name} did not converge: it stopped at maxit after ${iterations} iterations, ${where}; raise maxit (--maxit) or tol (--tol)` };
}

/** Debiasing that stopped at its iteration cap, as data (MNE's own reference cases hit the cap). */
export function debiasWarning(d: ComputeBiasResult | null): ConvergenceWarning[] {
  if (d === null || d.converged) return [];
  return [{ code: 'ECONVERGENCE', stage: 'debias', gap: Number.NaN, tol: 1e-6, iterations: d.nIterations, message: `debias: the factors did not settle within 1e-6 after ${d.nIterations} iterations` }];
}

/** MxNE on prepared data (GᵀM computed once, e.g. over SURE's alpha grid). */
export async function solveMxne(d: L21Data, alpha: number, o: L21Options): Promise<MixedNormSolverResult> {
  const r = await activeSetSolve(d, alpha, o);
  const X = r.Xt.transpose();
  const debias = await debiasRows(d.M, d.G, r.active, X, o);
  return {
    X, activeSet: r.active, E: Array.from(r.E), gap: r.gap, converged: r.converged, nIterations: r.outer, epochs: r.epochs, debias,
    warnings: [...(r.converged ? [] : [convergenceWarning('mxne', r.gap, o.tol, r.outer)]), ...debiasWarning(debias)],
  };
}

/**
 * MNE's `mixed_norm_solver(M, G, alpha, ...)` on plain matrices. M: nSensors × T, G: nSensors ×
 * nColumns (column-major), alpha: absolute regularisation. Non-convergence and a solver fallback
 * are reported in `warnings`, never thrown.
 */
export async function mixedNormSolver(M: Matrix, G: Matrix, alpha: number, options: MixedNormSolverOptions = {}): Promise<MixedNormSolverResult> {
  const { settings, warnings } = normalizeSolverOptions(M, G, alpha, options);
  const r = await checkingM(M, async () => solveMxne(await prepareL21(M, G, settings.nOrient, settings.signal), alpha, settings));
  return { ...r, warnings: [...warnings, ...r.warnings] };
}
