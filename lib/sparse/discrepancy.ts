/**
 * alpha = 'discrepancy' (Morozov's discrepancy principle), for data whitened by the covariance of
 * the noise of the average (unit noise variance; autoMixedNorm passes cov/nave):
 *   1) down the grid from the largest alpha, keep the first solution whose whitened residual looks
 *      like noise — mean square per channel and sample ≤ tau, optionally plus the model's relative
 *      error (the smallest alpha's if none does). Descending is the cheap direction: large alphas
 *      have small active sets, while one solve at a small alpha (where a bisection starts) costs
 *      more than all the larger ones together.
 *   2) prune: where the model cannot fit the data to the noise level, step 1 lowers alpha until
 *      weak dipoles fit the leftovers — mostly a satellite of a true source, carrying its time
 *      course: the penalty (depth weighting, loose orientation) placed the source a grid step from
 *      where it fits, and at high SNR that misfit is larger than noise. Pruning drops what the data
 *      do not need:
 *      'refit' (default): move each source to the best-fitting of its neighbours in field
 *        (lib/sparse/relocateSources.ts), then the likelihood-ratio test of
 *        lib/sparse/dipoleSignificance.ts — a source stays when leaving it out of the least-squares
 *        refit of the others raises the residual by more than the best of the source space's
 *        noise-only sources would (χ² at 1 − level/P); the result is the survivors' least-squares
 *        refit (without relocation: the survivors solved again at the same alpha); with `merge`
 *        (after relocation), each pair of survivors is replaced by the best single source of their
 *        joint neighbourhood unless two explain the data significantly better than one
 *        (lib/sparse/mergeSources.ts: one off-grid source split between two grid sources), or
 *        when two explain at most `mergeMisfit` of the pair's energy more than one;
 *      'residual': a source stays when removing it from the solution as it is (the others fixed)
 *        raises the residual by more than d + 4√(2d), d = nOrient·K its degrees of freedom; the
 *        survivors are solved again at the same alpha;
 *      'none': no pruning.
 */
import { gemm } from '../linalg/blas.js';
import { lstsq } from '../linalg/decomp.js';
import { Matrix } from '../linalg/matrix.js';
import { significantSources } from './dipoleSignificance.js';
import { mergeSources } from './mergeSources.js';
import { relocateSources } from './relocateSources.js';
import { dot } from './groupNorms.js';
import { solveIrMxne } from './iterativeMixedNormSolver.js';
import type { DiscrepancySettings, MixedNormSettings } from './mixedNormOptions.js';
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

/** 'residual': blocks of the active set whose removal (the others fixed) raises ‖R‖² by more than noise could. */
function residualSignificant(G: Matrix, r: SolvedAlpha, R: Matrix, nOrient: number): Set<number> {
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

function keptSources(M: Matrix, G: Matrix, r: SolvedAlpha, R: Matrix, nOrient: number, d: DiscrepancySettings): Set<number> {
  const active = Array.from(new Set(Array.from(r.activeSet, (c) => Math.floor(c / nOrient))));
  if (d.prune === 'none') return new Set(active);
  if (d.prune === 'residual') return residualSignificant(G, r, R, nOrient);
  const significant = significantSources(M, G, active, nOrient, G.cols / nOrient, d.level);
  if (!d.relocate) return new Set(significant);
  const relocated = significantSources(M, G, relocateSources(M, G, significant, nOrient), nOrient, G.cols / nOrient, d.level);
  return new Set(d.merge ? mergeSources(M, G, relocated, nOrient, G.cols / nOrient, { level: d.level, misfit: d.mergeMisfit }) : relocated);
}

export async function solveByDiscrepancy(M: Matrix, G: Matrix, d: DiscrepancySettings, s: MixedNormSettings, nOrient: number, tol: number, nSamples: number, energyOutside: number): Promise<DiscrepancyOutcome> {
  const alphas = Float64Array.from(d.grid).sort().reverse();
  const path = new Float64Array(alphas.length).fill(Number.NaN);
  let epochs = 0;
  let chosen: SolvedAlpha | null = null, R: Matrix | null = null;
  // 1) the largest alpha whose residual is at the noise level (plus the model's error, relative to the signal)
  const n = M.rows * nSamples;
  const signalMeanSquare = Math.max(0, (dot(M.data, M.data) + energyOutside) / n - 1);
  const target = (Math.sqrt(d.tau) + d.modelError * Math.sqrt(signalMeanSquare)) ** 2;
  for (let j = 0; j < alphas.length; j++) {
    chosen = await solveForAlpha(M, G, alphas[j], s, nOrient, tol);
    epochs += chosen.epochs;
    R = residual(M, G, chosen);
    path[j] = (dot(R.data, R.data) + energyOutside) / n;
    if (path[j] <= target) break;
  }
  // 2) prune the sources noise could explain, solve the rest again
  const before = new Set(Array.from(chosen!.activeSet, (c) => Math.floor(c / nOrient)));
  const keep = keptSources(M, G, chosen!, R!, nOrient, d);
  if (d.prune === 'refit' && d.relocate) {
    // Relocated sources need not solve the penalised problem at this alpha (the penalty is what
    // misplaced them): their amplitudes are the least-squares refit the test was computed on.
    const cols = [...keep].sort((a, b) => a - b).flatMap((b) => Array.from({ length: nOrient }, (_, o) => b * nOrient + o));
    const X = cols.length === 0 ? new Matrix(0, M.cols) : lstsq(G.pickCols(cols), M);
    return { ...chosen!, X, activeSet: Int32Array.from(cols), epochs, discrepancyPath: path, discrepancyPruned: before.size - keep.size };
  }
  if (keep.size === before.size && [...keep].every((b) => before.has(b))) return { ...chosen!, epochs, discrepancyPath: path, discrepancyPruned: 0 };
  const weightInit = new Float64Array(G.cols);
  for (const b of keep) weightInit.fill(1, b * nOrient, (b + 1) * nOrient);
  const { o, warnings } = solverOptions(s, nOrient, tol);
  const r = await solveIrMxne(M, G, chosen!.alpha, s.nMxneIter, o, weightInit);
  return {
    X: r.X, activeSet: r.activeSet, alpha: chosen!.alpha, objective: r.E, activeSetHistory: r.activeSetHistory, dualGap: r.gap, converged: r.converged,
    nIterations: r.nIterations, epochs: epochs + r.epochs, warnings: [...warnings, ...r.warnings], discrepancyPath: path, discrepancyPruned: before.size - keep.size,
  };
}
