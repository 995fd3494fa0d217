/**
 * What the solvers on plain matrices return (MxNE, irMxNE, TF-MxNE, after MNE's `*_solver`
 * functions): the solution on its active columns and the solve's outcome as data. Each solver's
 * result extends it; what `E` and `nIterations` count is said there.
 */
import type { Matrix } from '../linalg/matrix.js';

export interface L21Solution {
  /** nActive × T: the rows of the active columns, ascending. */
  X: Matrix;
  /** Active columns of G, ascending, in whole blocks of nOrient (MNE returns the same set as a boolean mask). */
  activeSet: Int32Array;
  /** Primal objective history. */
  E: number[];
  /** Final duality gap (of the last problem solved, when reweighting). */
  gap: number;
  converged: boolean;
  /** Outer iterations: active-set iterations, or reweightings. */
  nIterations: number;
  /** BCD / CD sweeps in all. */
  epochs: number;
}
