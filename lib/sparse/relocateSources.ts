/**
 * Relocation on the grid, before the significance test of alpha = 'discrepancy''s pruning: each
 * active source moves to whichever of the sources with the most similar field (its N_CANDIDATES
 * nearest in field, itself included) leaves the smallest residual when refitted by least squares
 * with the others. A sparse solution's source can sit a grid step from the true one — depth
 * weighting and the loose orientation's penalty pull it to where a field is cheap rather than where
 * it fits — and at high SNR the misfit is larger than noise: the discrepancy principle then fits it
 * with a weak satellite carrying the same time course. Refitted at the best point, the source
 * explains its own field and the satellite fails the significance test (lib/sparse/dipoleSignificance.ts).
 * Nearness in field needs no geometry: the fraction of a candidate's gain energy inside the source's field space.
 */
import { gemm } from '../linalg/blas.js';
import type { Matrix } from '../linalg/matrix.js';
import { explainedEnergy, fieldBasis } from './dipoleSignificance.js';

const N_CANDIDATES = 20;

/** Sources nearest in field to the one of basis q (excluding `taken`), most similar first. */
export function nearestInField(G: Matrix, q: Matrix, nOrient: number, columnEnergy: Float64Array, taken: Set<number>): number[] {
  const QtG = gemm(q, G, { transA: true }), p = QtG.data, rows = QtG.rows;
  const nSources = G.cols / nOrient;
  // The N_CANDIDATES best, kept sorted (a full sort of every source's score costs more than the search).
  const best: Array<{ k: number; score: number }> = [];
  for (let k = 0; k < nSources; k++) {
    if (taken.has(k)) continue;
    let inside = 0, all = 0;
    for (let c = k * nOrient; c < (k + 1) * nOrient; c++) {
      for (let r = 0; r < rows; r++) inside += p[r + c * rows] * p[r + c * rows];
      all += columnEnergy[c];
    }
    const score = all === 0 ? 0 : inside / all;
    if (best.length === N_CANDIDATES && score <= best[N_CANDIDATES - 1].score) continue;
    let at = best.length === N_CANDIDATES ? N_CANDIDATES - 1 : best.length;
    best[at] = { k, score };
    for (; at > 0 && best[at - 1].score < score; at--) [best[at - 1], best[at]] = [best[at], best[at - 1]];
  }
  return best.map((b) => b.k);
}

/** `blocks` (sources = blocks of nOrient columns of G) each moved to its best-fitting point, one source at a time, in order. */
/** Each column's squared norm (the denominator of nearestInField's score). */
export function columnEnergies(G: Matrix): Float64Array {
  const columnEnergy = new Float64Array(G.cols), g = G.data, n = G.rows;
  for (let c = 0; c < G.cols; c++) {
    let e = 0;
    for (let r = c * n; r < (c + 1) * n; r++) e += g[r] * g[r];
    columnEnergy[c] = e;
  }
  return columnEnergy;
}

export function relocateSources(M: Matrix, G: Matrix, blocks: readonly number[], nOrient: number): number[] {
  const columnEnergy = columnEnergies(G);
  const current = [...blocks];
  for (let i = 0; i < current.length; i++) {
    const others = current.filter((_, k) => k !== i).map((b) => fieldBasis(G, b, nOrient));
    const own = fieldBasis(G, current[i], nOrient);
    let best = current[i], bestEnergy = explainedEnergy(M, [...others, own]);
    for (const k of nearestInField(G, own, nOrient, columnEnergy, new Set(current))) {
      const e = explainedEnergy(M, [...others, fieldBasis(G, k, nOrient)]);
      if (e > bestEnergy) { best = k; bestEnergy = e; }
    }
    current[i] = best;
  }
  return current.sort((a, b) => a - b);
}
