/**
 * The solver step of mixed_norm for one alpha: MxNE (nMxneIter = 1) or irMxNE, with MNE's
 * solver choice ('auto': coordinate descent for fixed orientation, else BCD).
 */
import type { ConvergenceWarning } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { iterativeMixedNormSolver } from './iterativeMixedNormSolver.js';
import { mixedNormSolver, prepareL21, type L21Options } from './mixedNormSolver.js';
import type { MixedNormSettings } from './mixedNormOptions.js';
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
  nIterations: number;
  warnings: ConvergenceWarning[];
}

export function solverOptions(s: MixedNormSettings, nOrient: number, tol: number): L21Options {
  // MNE: 'auto' and 'cd' use coordinate descent only for fixed orientation (it warns and uses BCD otherwise).
  const solver = s.solver === 'bcd' || nOrient > 1 ? 'bcd' : 'cd';
  return { maxit: s.maxit, tol, activeSetSize: s.activeSetSize, debias: s.debias, nOrient, solver, dgapFreq: s.dgapFreq };
}

export async function solveForAlpha(M: Matrix, G: Matrix, alpha: number, s: MixedNormSettings, nOrient: number, tol: number): Promise<SolvedAlpha> {
  const o = solverOptions(s, nOrient, tol);
  if (s.nMxneIter === 1) {
    const r = await mixedNormSolver(await prepareL21(M, G), alpha, o);
    return {
      X: r.X, activeSet: r.activeSet, alpha, objective: r.E, activeSetHistory: [r.activeSet], dualGap: r.gap,
      converged: r.converged, nIterations: r.epochs, warnings: r.converged ? [] : [convergenceWarning('mxne', r.gap, tol, r.epochs)],
    };
  }
  const r = await iterativeMixedNormSolver(M, G, alpha, s.nMxneIter, o);
  return {
    X: r.X, activeSet: r.activeSet, alpha, objective: r.E, activeSetHistory: r.activeSetHistory, dualGap: r.gap,
    converged: r.converged, nIterations: r.epochs, warnings: r.converged ? [] : [convergenceWarning('irmxne', r.gap, tol, r.epochs)],
  };
}

/** alpha = 'sure': the grid's best alpha by SURE (MNE's _compute_mxne_sure, sigma = 1 on whitened data). */
export async function solveBySure(M: Matrix, G: Matrix, grid: Float64Array, randomState: number | null, s: MixedNormSettings, nOrient: number, tol: number): Promise<SolvedAlpha & { surePath: Float64Array }> {
  const r = await sureAlpha(M, G, grid, s.nMxneIter, solverOptions(s, nOrient, tol), randomState);
  return {
    X: r.X, activeSet: r.activeSet, alpha: r.bestAlpha, objective: [], activeSetHistory: [r.activeSet],
    dualGap: Number.NaN, converged: true, nIterations: 0, warnings: [], surePath: r.surePath,
  };
}

function convergenceWarning(stage: string, gap: number, tol: number, iterations: number): ConvergenceWarning {
  // The gap is computed every dgapFreq iterations; it is still infinite when maxit came first.
  const where = Number.isFinite(gap)
    ? `the duality gap was ${gap.toPrecision(2)}, above the tolerance ${tol.toPrecision(2)}`
    : 'before the first duality-gap check';
  const name = stage === 'irmxne' ? 'irMxNE' : 'MxNE';
  return { code: 'ECONVERGENCE', stage, gap, tol, iterations,
    message: `${name} did not converge: it stopped at maxit after ${iterations} iterations, ${where}; raise maxit (--maxit) or tol (--tol)` };
}
