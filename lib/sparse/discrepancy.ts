/**
 * alpha = 'discrepancy' (Morozov's discrepancy principle), for data whitened by the covariance of
 * the noise of the average (unit noise variance; autoMixedNorm passes cov/nave):
 *   1) down the grid from the largest alpha, keep the first solution whose whitened residual looks
 *      like noise — mean square per channel and sample ≤ 1 (the smallest alpha's if none does).
 *      Descending is the cheap direction: large alphas have small active sets, while one solve at a
 *      small alpha (where a bisection starts) costs more than all the larger ones together.
 *   2) prune: a source stays only if removing it raises the residual by more than a noise-only
 *      dipole could — ΔE_j = ‖R + G_j X_j‖² − ‖R‖² above d + 4√(2d), d = nOrient·K (its degrees of
 *      freedom, K time components): four standard deviations above a χ²_d, about the best of
 *      thousands of noise dipoles. The survivors are solved again at the same alpha. Where the
 *      model cannot fit the data to the noise level (a source outside the loose orientation cone, a
 *      strong source), step 1 lowers alpha until weak dipoles fit the leftovers; this drops them.
 */
import { gemm } from '../linalg/blas.js';
import type { Matrix } from '../linalg/matrix.js';
import { dot } from './groupNorms.js';
import { solveIrMxne } from './iterativeMixedNormSolver.js';
import type { MixedNormSettings } from './mixedNormOptions.js';
import { solveForAlpha, solverOptions, type SolvedAlpha } from './solveForAlpha.js';

export interface DiscrepancyOutcome extends SolvedAlpha {
  /** Residual mean square per alpha of the grid, largest alpha first (NaN: not tried). */
  discrepancyPath: Float64Array;
  /** Sources (blocks of G's columns) dropped by the pruning step. */
  discrepancyPruned: number;
}

function residual(M: Matrix, G: Matrix, r: SolvedAlpha): Matrix {
  const R = M.clone();
  if (r.activeSet.length > 0) gemm(G.pickCols(r.activeSet), r.X, { alpha: -1, beta: 1, out: R });
  return R;
}

/** Blocks of the active set whose removal raises ‖R‖² by more than noise could. */
function significantBlocks(G: Matrix, r: SolvedAlpha, R: Matrix, nOrient: number): Set<number> {
  const d = nOrient * R.cols, threshold = d + 4 * Math.sqrt(2 * d);
  const rowsOf = new Map<number, number[]>();
  r.activeSet.forEach((col, i) => { const b = Math.floor(col / nOrient); rowsOf.set(b, [...(rowsOf.get(b) ?? []), i]); });
  const keep = new Set<number>();
  for (const [b, rows] of rowsOf) {
    const GX = gemm(G.pickCols(rows.map((i) => r.activeSet[i])), r.X.pickRows(rows));
    if (2 * dot(R.data, GX.data) + dot(GX.data, GX.data) > threshold) keep.add(b);
  }
  return keep;
}

export async function solveByDiscrepancy(M: Matrix, G: Matrix, grid: Float64Array, s: MixedNormSettings, nOrient: number, tol: number, nSamples: number, energyOutside: number): Promise<DiscrepancyOutcome> {
  const alphas = Float64Array.from(grid).sort().reverse();
  const path = new Float64Array(alphas.length).fill(Number.NaN);
  let epochs = 0;
  let chosen: SolvedAlpha | null = null, R: Matrix | null = null;
  // 1) the largest alpha whose residual is at the noise level
  for (let j = 0; j < alphas.length; j++) {
    chosen = await solveForAlpha(M, G, alphas[j], s, nOrient, tol);
    epochs += chosen.epochs;
    R = residual(M, G, chosen);
    path[j] = (dot(R.data, R.data) + energyOutside) / (M.rows * nSamples);
    if (path[j] <= 1) break;
  }
  // 2) prune the sources noise could explain, solve the rest again
  const before = new Set(Array.from(chosen!.activeSet, (c) => Math.floor(c / nOrient)));
  const keep = significantBlocks(G, chosen!, R!, nOrient);
  if (keep.size === before.size) return { ...chosen!, epochs, discrepancyPath: path, discrepancyPruned: 0 };
  const weightInit = new Float64Array(G.cols);
  for (const b of keep) weightInit.fill(1, b * nOrient, (b + 1) * nOrient);
  const { o, warnings } = solverOptions(s, nOrient, tol);
  const r = await solveIrMxne(M, G, chosen!.alpha, s.nMxneIter, o, weightInit);
  return {
    X: r.X, activeSet: r.activeSet, alpha: chosen!.alpha, objective: r.E, activeSetHistory: r.activeSetHistory, dualGap: r.gap, converged: r.converged,
    nIterations: r.nIterations, epochs: epochs + r.epochs, warnings: [...warnings, ...r.warnings], discrepancyPath: path, discrepancyPruned: before.size - keep.size,
  };
}
