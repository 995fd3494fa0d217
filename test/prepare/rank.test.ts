/**
 * Noise-covariance rank per channel group (MNE 1.3 compute_rank on a Covariance): the estimate on
 * the fixture covariance (fixtures README §3 step 2: MEG 302 = 305 − 3 projectors, EEG 58 =
 * 59 − 1), 'info' (channels less projectors), 'full', and ranks given per group.
 */
import * as assert from 'node:assert/strict';
import { InputError, readCov, readEvoked } from '../../lib/index.js';
import { prepareNoiseCov } from '../../lib/prepare/whitener.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';

describe('prepare/rank on the fixture covariance (fixtures §3 step 2)', function () {
  requireFixtures(this);
  const setup = async () => {
    const evoked = await readEvoked(fixture('inputs', 'right_visual-ave.fif'), { condition: 0 });
    const cov = await readCov(fixture('inputs', 'noise-cov.fif'));
    const bads = new Set([...evoked.info.bads, ...cov.bads]);
    const chNames = evoked.info.chs.filter((c) => !bads.has(c.name) && ['mag', 'grad', 'eeg'].includes(c.type)).map((c) => c.name);
    return { evoked, cov, chNames };
  };
  const ranks = (m: Map<string, number>) => Object.fromEntries(m);

  it("estimated, 'info', 'full' and given ranks", async () => {
    const { evoked, cov, chNames } = await setup();
    assert.deepEqual(ranks((await prepareNoiseCov(cov, evoked.info, chNames, null)).rank), { meg: 302, eeg: 58 });
    assert.deepEqual(ranks((await prepareNoiseCov(cov, evoked.info, chNames, 'info')).rank), { meg: 302, eeg: 58 });
    assert.deepEqual(ranks((await prepareNoiseCov(cov, evoked.info, chNames, 'full')).rank), { meg: 305, eeg: 59 });
    const given = await prepareNoiseCov(cov, evoked.info, chNames, { meg: 300, eeg: 50 });
    assert.deepEqual(ranks(given.rank), { meg: 300, eeg: 50 });
    assert.equal(given.nNonzero, 350);
  });

  it('a rank above the channel count is an InputError naming the group', async () => {
    const { evoked, cov, chNames } = await setup();
    await assert.rejects(prepareNoiseCov(cov, evoked.info, chNames, { eeg: 60 }), (e: unknown) => e instanceof InputError && e.field === 'rank.eeg');
  });
});
