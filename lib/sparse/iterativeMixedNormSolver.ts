/**
 * MNE 1.3's `iterative_mixed_norm_solver` (irMxNE, L0.5/L2 by reweighted L21): each round
 * solves MxNE on the currently active columns scaled by weights 2·√‖X_j‖ from the previous
 * round, until the active set and X stop changing (|ΔX| < tol) or `nMxneIter` rounds; then
 * debias. The rounds are one native job (binding/solvers.cc); debiasing is computeBias.ts.
 */
import type { ConvergenceWarning } from '../errors.js';
import { InputError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { ComputeBiasResult } from './computeBias.js';
import { convergenceWarning, debiasRows, debiasWarning, l21Solve } from './mixedNormSolver.js';
import { normalizeSolverOptions, type IterativeMixedNormSolverOptions, type L21Options, type SolverChoiceWarning } from './solverOptions.js';

export interface IrMxneResult {
  X: Matrix;
  activeSet: Int32Array;
  /** Objective after each reweighting, ½‖M − GX‖² + α Σ √‖X_j‖. */
  E: number[];
  /** Active columns of G after each reweighting. */
  activeSetHistory: Int32Array[];
  /** Duality gap and convergence of the last MxNE round. */
  gap: number;
  converged: boolean;
  /** Reweightings run. */
  nIterations: number;
  /** BCD / CD sweeps summed over every round. */
  epochs: number;
  debias: ComputeBiasResult | null;
  warnings: Array<ConvergenceWarning | SolverChoiceWarning>;
}

/** irMxNE with settings already resolved (mixedNorm, SURE). */
export async function solveIrMxne(M: Matrix, G: Matrix, alpha: number, nMxneIter: number, o: L21Options, weightInit: Float64Array | null = null): Promise<IrMxneResult> {
  if (weightInit !== null && weightInit.length !== G.cols) throw new InputError('weightInit', `${G.cols} weights (one per column)`, `${weightInit.length}`);
  if (!Number.isInteger(nMxneIter) || nMxneIter < 1) throw new InputError('nMxneIter', 'a positive integer', String(nMxneIter));
  const r = await l21Solve(M, G, alpha, nMxneIter, o, weightInit, null);
  const X = new Matrix(r.active.length, M.cols, r.X);
  const debias = await debiasRows(M, G, r.active, X, o);
  return {
    X, activeSet: r.active, E: Array.from(r.E), activeSetHistory: r.history, gap: r.gap, converged: r.converged,
    nIterations: r.outer, epochs: r.epochs, debias,
    warnings: [...(r.converged ? [] : [convergenceWarning('irmxne', r.gap, o.tol, r.outer)]), ...debiasWarning(debias)],
  };
}

/**
 * MNE's `iterative_mixed_norm_solver(M, G, alpha, n_mxne_iter, ...)` on plain matrices (shapes as
 * mixedNormSolver). Non-convergence and a solver fallback are reported in `warnings`.
 */
export async function iterativeMixedNormSolver(M: Matrix, G: Matrix, alpha: number, nMxneIter: number, options: IterativeMixedNormSolverOptions = {}): Promise<IrMxneResult> {
  const { settings, warnings } = normalizeSolverOptions(M, G, alpha, options);
  const w = options.weightInit ?? null;
  if (w !== null && (!(w instanceof Float64Array) || w.some((v) => !(v >= 0) || !Number.isFinite(v)))) {
    throw new InputError('weightInit', 'a Float64Array of finite weights >= 0', String(w));
  }
  const r = await solveIrMxne(M, G, alpha, nMxneIter, settings, w);
  return { ...r, warnings: [...warnings, ...r.warnings] };
}
