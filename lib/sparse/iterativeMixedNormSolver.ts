/**
 * MNE 1.3's `iterative_mixed_norm_solver` (irMxNE, L0.5/L2 by reweighted L21): each round
 * solves MxNE on the currently active columns scaled by weights 2·√‖X_j‖ from the previous
 * round, until the active set and X stop changing (|ΔX| < tol) or `nMxneIter` rounds; then debias.
 * One native job (binding/solvers.cc).
 */
import { InputError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { l21Driver, type L21Options } from './mixedNormSolver.js';

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
  reweightings: number;
  epochs: number;
}

/** `weightInit`: initial column weights (MNE's weight_init; columns with weight 0 are dropped), default ones. */
export async function iterativeMixedNormSolver(M: Matrix, G: Matrix, alpha: number, nMxneIter: number, o: L21Options, weightInit: Float64Array | null = null): Promise<IrMxneResult> {
  if (weightInit !== null && weightInit.length !== G.cols) throw new InputError('weightInit', `${G.cols} weights (one per column)`, `${weightInit.length}`);
  if (!Number.isInteger(nMxneIter) || nMxneIter < 1) throw new InputError('nMxneIter', 'a positive integer', String(nMxneIter));
  const r = await l21Driver(M, G, alpha, nMxneIter, o, weightInit, null);
  return {
    X: new Matrix(r.active.length, M.cols, r.X), activeSet: r.active, E: Array.from(r.E), activeSetHistory: r.history,
    gap: r.gap, converged: r.converged, reweightings: r.history.length, epochs: r.epochs,
  };
}
