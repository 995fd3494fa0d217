/**
 * Which sources of a sparse solution the data need (the pruning step of alpha = 'discrepancy'): a
 * likelihood-ratio test per source on data whitened by the covariance of the noise of the average,
 * where the noise has unit variance.
 *
 * The active sources are refitted by least squares — each with a free orientation (least squares
 * does not see the loose weighting's column scale) and free time courses over the K time
 * components. Source j's statistic is the rise of the residual when j is left out and the others
 * refitted, ΔRSS_j = ‖P_A M‖² − ‖P_{A∖j} M‖² (P: projection onto the span of the sources' gain
 * columns), which under noise alone is a χ² with d = K × (the dimensions of field j adds) degrees
 * of freedom. The refit is what separates a second source from a split one: a neighbour that only
 * carries what the penalised orientation or the shrunk amplitude of a true source left over
 * explains nothing the refitted true source cannot.
 *
 * Every source was picked as the best of the P sources of the source space, so the threshold is
 * Bonferroni's: a source stays when noise alone would give its statistic with probability at most
 * level/P (family-wise over the source space: the χ²_d quantile at 1 − level/P). The least
 * significant source goes first and the rest are refitted, until every one passes (backward
 * elimination: two weak neighbours that share one source's field do not shelter each other).
 */
import jStat from 'jstat';
import { gemm } from '../linalg/blas.js';
import { lstsq, svd } from '../linalg/decomp.js';
import { Matrix } from '../linalg/matrix.js';
import { dot } from './groupNorms.js';

/** Directions of a source's gain with singular values below this fraction of its largest carry no field (a radial dipole in a spherical MEG head): not counted. */
const RCOND = 1e-8;

/** An orthonormal basis of the field a source can make (the left singular vectors of its gain columns). */
export function fieldBasis(G: Matrix, b: number, nOrient: number): Matrix {
  const { U, s } = svd(G.pickCols(Array.from({ length: nOrient }, (_, o) => b * nOrient + o)));
  let rank = 0;
  while (rank < s.length && s[rank] > RCOND * s[0]) rank++;
  return U.colRange(0, rank);
}

function sideBySide(bases: readonly Matrix[]): Matrix {
  const Q = new Matrix(bases[0].rows, bases.reduce((n, q) => n + q.cols, 0));
  let at = 0;
  for (const q of bases) { Q.data.set(q.data, at * Q.rows); at += q.cols; }
  return Q;
}

/** ‖P M‖², P the projection onto the span of the field bases: the data energy their least-squares refit explains. */
export function explainedEnergy(M: Matrix, bases: readonly Matrix[]): number {
  if (bases.length === 0) return 0;
  const Q = sideBySide(bases);
  const B = gemm(Q, M, { transA: true });
  return dot(B.data, lstsq(gemm(Q, Q, { transA: true }), B).data);
}

export interface RefitStatistic {
  /** The rise of the least-squares residual when the source is left out. */
  deltaRss: number;
  /** Its degrees of freedom: K × the dimension of the source's field. */
  dof: number;
}

/**
 * The likelihood-ratio statistic of each source of `blocks` (sources = blocks of nOrient columns of
 * G) against the least-squares refit of the others. On each source's field basis Q_j, with
 * S = (QᵀQ)⁺ and X = S QᵀM the refit: ΔRSS_j = tr(X_jᵀ S_jj⁻¹ X_j) (one small inverse for all sources).
 */
export function refitStatistics(M: Matrix, G: Matrix, blocks: readonly number[], nOrient: number): RefitStatistic[] {
  if (blocks.length === 0) return [];
  const bases = blocks.map((b) => fieldBasis(G, b, nOrient));
  const Q = sideBySide(bases);
  // The pseudo-inverse (dgelsd): two sources may be nearly collinear at the grid's spacing.
  const S = lstsq(gemm(Q, Q, { transA: true }), Matrix.identity(Q.cols));
  const X = gemm(S, gemm(Q, M, { transA: true }));
  let at = 0;
  return bases.map((q) => {
    const rows = Array.from({ length: q.cols }, (_, o) => at + o);
    at += q.cols;
    const Xj = X.pickRows(rows);
    return { deltaRss: dot(Xj.data, lstsq(S.pickRows(rows).pickCols(rows), Xj).data), dof: M.cols * q.cols };
  });
}

/** P(χ²_dof > x): how likely noise alone would give a statistic this large (1 when the source adds no dimension). */
export function noiseProbability(s: RefitStatistic): number {
  return s.dof === 0 ? 1 : 1 - jStat.chisquare.cdf(Math.max(0, s.deltaRss), s.dof);
}

/**
 * The sources of `blocks` that survive backward elimination (ascending): while the least
 * significant one has a noise probability above level/nCandidates, it is dropped and the others refitted.
 */
export function significantSources(M: Matrix, G: Matrix, blocks: readonly number[], nOrient: number, nCandidates: number, level: number): number[] {
  let kept = [...blocks].sort((a, b) => a - b);
  while (kept.length > 0) {
    const p = refitStatistics(M, G, kept, nOrient).map(noiseProbability);
    let worst = 0;
    for (let i = 1; i < p.length; i++) if (p[i] > p[worst]) worst = i;
    if (p[worst] <= level / nCandidates) break;
    kept = kept.filter((_, i) => i !== worst);
  }
  return kept;
}
