/**
 * mixedNorm refuses inputs that would give a silently wrong answer, with an InputError naming
 * the field: NaN in the data, a covariance that is not positive semi-definite, a bad option.
 */
import * as assert from 'node:assert/strict';
import { InputError, readCov, readEvoked, readForward } from '../../lib/index.js';
import { mixedNorm } from '../../lib/sparse/mixedNorm.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';

describe('mixedNorm: bad input is an InputError naming the field', function () {
  requireFixtures(this);
  const inputs = async () => ({
    evoked: (await readEvoked(fixture('inputs', 'right_visual-ave.fif'), { condition: 0, baseline: [null, 0] })).crop(0, 0.3),
    fwd: await readForward(fixture('inputs', 'surf-small-fwd.fif')),
    cov: await readCov(fixture('inputs', 'noise-cov.fif')),
  });
  const field = (name: string, re?: RegExp) => (e: unknown) => e instanceof InputError && e.field === name && (!re || re.test(e.message));

  it('NaN in the evoked data', async () => {
    const { evoked, fwd, cov } = await inputs();
    const data = evoked.data.clone();
    data.set(5, 17, Number.NaN);
    await assert.rejects(mixedNorm(evoked.withData(data), fwd, cov, { alpha: 55 }), field('evoked.data', /sample 17/));
  });

  it('a covariance with a negative eigenvalue', async () => {
    const { evoked, fwd, cov } = await inputs();
    const data = cov.data.clone();
    const i = cov.names.indexOf('MEG 0113');
    data.set(i, i, -10 * Math.abs(data.get(i, i)));
    await assert.rejects(mixedNorm(evoked, fwd, { ...cov, data }, { alpha: 55 }), field('noiseCov.data', /positive semi-definite/));
  });

  it('options out of range or misspelt', async () => {
    const { evoked, fwd, cov } = await inputs();
    await assert.rejects(mixedNorm(evoked, fwd, cov, { alpha: 100 }), field('alpha'));
    await assert.rejects(mixedNorm(evoked, fwd, cov, { alpha: 55, rank: 'most' as never }), field('rank'));
    await assert.rejects(mixedNorm(evoked, fwd, cov, { alpha: 55, loose: 0.2, weights: new Float64Array(3) }), field('weights'));
  });
});
