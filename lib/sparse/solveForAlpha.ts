/**
 * The solver step of mixed_norm for one alpha: MxNE (nMxneIter = 1) or irMxNE, with MNE's
 * solver choice ('auto': coordinate descent for fixed orientation, else BCD).
 */
import type { ConvergenceWarning } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { solveIrMxne } from './iterativeMixedNormSolver.js';
import { prepareL21, solveMxne } from './mixedNormSolver.js';
import type { MixedNormSettings } from './mixedNormOptions.js';
import { resolveSolver, type L21Options, type SolverChoiceWarning } from './solverOptions.js';
import { sureAlpha } from './sure.js';

export interface SolvedAlpha {
  X: Matrix;
  /** Active columns of G, ascending. */
  activeSet: Int32Array;
  alpha: number;
  objective: number[];
  /** Active columns after each reweighting (one entry for MxNE). */
  activeSetHistory: Int32Array[];
  dualGap: number;
  converged: boolean;
  /** Active-set iterations (MxNE) or reweightings (irMxNE). */
  nIterations: number;
  /** BCD / CD sweeps in all. */
  epochs: number;
  warnings: Array<ConvergenceWarning | SolverChoiceWarning>;
}

export function solverOptions(s: MixedNormSettings, nOrient: number, tol: number): { o: L21Options; warnings: SolverChoiceWarning[] } {
  // MNE: 'auto' and 'cd' use coordinate descent only for fixed orientation ('cd' warns and uses BCD otherwise).
  const { solver, warning } = resolveSolver(s.solver, nOrient);
  return { o: { maxit: s.maxit, tol, activeSetSize: s.activeSetSize, debias: s.debias, nOrient, solver, dgapFreq: s.dgapFreq, signal: s.signal, onProgress: s.onProgress }, warnings: warning ? [warning] : [] };
}

export async function solveForAlpha(M: Matrix, G: Matrix, alpha: number, s: MixedNormSettings, nOrient: number, tol: number): Promise<SolvedAlpha> {
  const { o, warnings } = solverOptions(s, nOrient, tol);
  const r = s.nMxneIter === 1 ? await solveMxne(await prepareL21(M, G, nOrient, o.signal), alpha, o) : await solveIrMxne(M, G, alpha, s.nMxneIter, o);
  return {
    X: r.X, activeSet: r.activeSet, alpha, objective: r.E, activeSetHistory: 'activeSetHistory' in r ? (r.activeSetHistory as Int32Array[]) : [r.activeSet],
    dualGap: r.gap, converged: r.converged, nIterations: r.nIterations, epochs: r.epochs, warnings: [...warnings, ...r.warnings],
  };
}

/** alpha = 'sure': the grid's best alpha by SURE (MNE's _compute_mxne_sure, sigma = 1 on whitened data). */
export async function solveBySure(M: Matrix, G: Matrix, grid: Float64Array, randomState: number | null, s: MixedNormSettings, nOrient: number, tol: number, sigma = 1): Promise<SolvedAlpha & { surePath: Float64Array }> {
  const { o, warnings } = solverOptions(s, nOrient, tol);
  const r = await sureAlpha(M, G, grid, s.nMxneIter, o, randomState, sigma);
  const unconverged = r.converged.flatMap((c, j) => (c ? [] : [grid[j]]));
  return {
    X: r.X, activeSet: r.activeSet, alpha: r.bestAlpha, objective: [], activeSetHistory: [r.activeSet],
    dualGap: r.gap, converged: unconverged.length === 0, nIterations: grid.length, epochs: r.epochs, surePath: r.surePath,
    warnings: [...warnings, ...(unconverged.length === 0 ? [] : [{
      code: 'ECONVERGENCE' as const, stage: 'sure', gap: Number.NaN, tol, iterations: grid.length,
      message: `sure: the solves at alpha ${unconverged.map((a) => `${Number(a.toPrecision(4))} %`).join(', ')} of alpha_max did not converge`,
    }])],
  };
}

