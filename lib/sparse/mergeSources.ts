/**
 * The merge test after alpha = 'discrepancy''s pruning: is each pair of surviving sources one
 * source? A true source between grid points is often fitted by two neighbouring grid sources that
 * share its field; each of them passes the pruning test (leaving either out, the other one alone
 * at its grid point leaves a misfit larger than noise), yet a single source elsewhere in their
 * joint neighbourhood may explain the data as well. For every pair (i, j), the one-source model is the
 * best-fitting single source c among i, j and the N_CANDIDATES nearest in field to each
 * (lib/sparse/relocateSources.ts), with every other source refitted by least squares; the pair
 * stays when two explain significantly more than one: ΔRSS = ‖P_A M‖² − ‖P_{A∖{i,j}∪{c}} M‖²
 * against the χ² with K × (the field dimensions the pair adds over c) degrees of freedom at the
 * pruning's family-wise level over the source space (lib/sparse/dipoleSignificance.ts). The pair
 * explained least significantly is merged first and the rest tested again, until every pair passes.
 * The test is never looser than the pruning: c may be i or j, so ΔRSS is at most the pruning's
 * statistic of the pair's weaker member.
 *
 * At high SNR the grid's interpolation error is itself larger than noise — two grid sources
 * straddling a true one fit it significantly better than any one (on the study's volume forward,
 * truths 7 mm from every grid source were fitted by two dipoles 14 mm apart) — so a pair also
 * merges when two explain at most `misfit` of the energy the pair explains more than one does
 * (bench/ACCURACY.md: 0.07 chosen on the study's cases; it also drops a source weaker than that
 * fraction of a partner's energy, the price in recovery).
 */
import type { Matrix } from '../linalg/matrix.js';
import { explainedEnergy, fieldBasis, noiseProbability } from './dipoleSignificance.js';
import { columnEnergies, nearestInField } from './relocateSources.js';

export interface MergeRule {
  /** The family-wise level of the χ² test (the pruning's). */
  level: number;
  /** Also merge when two explain at most this fraction of the pair's refitted energy more than one (the grid's interpolation error); 0: the test alone. */
  misfit: number;
}

export function mergeSources(M: Matrix, G: Matrix, blocks: readonly number[], nOrient: number, nCandidates: number, rule: MergeRule): number[] {
  const columnEnergy = columnEnergies(G);
  const basisOf = new Map<number, Matrix>(), neighboursOf = new Map<number, number[]>();
  const basis = (b: number) => basisOf.get(b) ?? basisOf.set(b, fieldBasis(G, b, nOrient)).get(b)!;
  let current = [...blocks].sort((a, b) => a - b);
  const neighbours = (b: number) => neighboursOf.get(b) ?? neighboursOf.set(b, nearestInField(G, basis(b), nOrient, columnEnergy, new Set([b]))).get(b)!;
  for (;;) {
    const all = explainedEnergy(M, current.map(basis));
    let merge: { i: number; j: number; c: number; p: number } | null = null;
    for (let i = 0; i < current.length; i++) {
      for (let j = i + 1; j < current.length; j++) {
        const others = current.filter((_, k) => k !== i && k !== j);
        const otherBases = others.map(basis), taken = new Set(others);
        const pairEnergy = rule.misfit > 0 ? all - explainedEnergy(M, otherBases) : 0;
        let c = -1, best = -Infinity;
        for (const k of new Set([current[i], current[j], ...neighbours(current[i]), ...neighbours(current[j])])) {
          if (taken.has(k)) continue;
          const e = explainedEnergy(M, [...otherBases, basis(k)]);
          if (e > best) { best = e; c = k; }
        }
        const added = basis(current[i]).cols + basis(current[j]).cols - basis(c).cols;
        // A pair within the misfit merges before any the test merges (probability above 1).
        const p = all - best <= rule.misfit * pairEnergy ? 2 : noiseProbability({ deltaRss: all - best, dof: M.cols * Math.max(0, added) });
        if (p > rule.level / nCandidates && (merge === null || p > merge.p)) merge = { i, j, c, p };
      }
    }
    if (merge === null) return current;
    const { i, j, c } = merge;
    current = [...current.filter((_, k) => k !== i && k !== j), c].sort((a, b) => a - b);
  }
}
