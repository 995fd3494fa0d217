/**
 * The seed example's weights: a dSPM solution (lambda2 = 1/9) of the same evoked, with the
 * minimum-norm operator made with the same depth, CPS normals and a fixed orientation on surface
 * source spaces when the sparse solve is constrained (loose < 1); free orientation (the norm over
 * x/y/z) when loose = 1 or the space is a volume. mixedNorm takes max |dSPM| over time per source.
 */
import { applyInverse } from '../inverse/applyInverse.js';
import { makeInverseOperator } from '../inverse/makeInverseOperator.js';
import type { Covariance } from '../records/covariance.js';
import type { Evoked } from '../records/evoked.js';
import type { Forward } from '../records/forward.js';
import type { SourceEstimate } from '../records/sourceEstimate.js';
import { resolveLoose, type MixedNormOptions } from '../sparse/mixedNormOptions.js';
import { optionsKey, stepMemo, type Preparation } from '../prepare/preparationCache.js';

export async function dspmWeights(evoked: Evoked, forward: Forward, cov: Covariance, o: Pick<MixedNormOptions, 'loose' | 'depth' | 'rank'>, preparation?: Preparation): Promise<SourceEstimate> {
  const volume = forward.src.some((s) => s.type === 'vol');
  const loose = resolveLoose(o.loose ?? 'auto', forward.src.map((s) => s.type));
  const fixed = !volume && loose < 1;
  const options = {
    depth: o.depth === undefined ? 0.8 : o.depth, useCps: true, rank: o.rank ?? null,
    ...(fixed ? { fixed: true } : { loose: 1, fixed: false }),
  };
  const make = () => makeInverseOperator(evoked.info, forward, cov, options, preparation && stepMemo(preparation));
  // The operator depends on the info, forward, covariance and options, not on the data: shared by
  // a subject's conditions, and so is its preparation for one nave.
  const key = `dspm|${optionsKey([options])}`;
  const inv = await (preparation ? stepMemo(preparation)(key, make) : make());
  return applyInverse(evoked, inv, { lambda2: 1 / 9, method: 'dSPM' }, preparation && stepMemo({ ...preparation, key: `${preparation.key}|${key}` }));
}
