/**
 * The README's seed example, as written there but on the fixture files (fixtures README §3): it
 * must compile against the public API and give MNE's result for seed-rv-surf-small.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { applyInverse, makeInverseOperator, makeStcFromDipoles, mixedNorm, readCov, readEvoked, readForward } from '../lib/index.js';
import { fixture, requireFixtures } from './helpers/fixtures.js';

describe('README: the seed example in the API', function () {
  requireFixtures(this);
  it('runs as written and finds MNE\'s dipoles (seed-rv-surf-small)', async () => {
    const cov = await readCov(fixture('inputs', 'noise-cov.fif'));
    const evoked = (await readEvoked(fixture('inputs', 'right_visual-ave.fif'), { condition: 0, baseline: [null, 0] })).crop(0, 0.3);
    const fwd = await readForward(fixture('inputs', 'surf-small-fwd.fif'));

    const inv = await makeInverseOperator(evoked.info, fwd, cov, { depth: 0.9, fixed: true, useCps: true });
    const stcDspm = await applyInverse(evoked, inv, { lambda2: 1 / 9, method: 'dSPM' });

    const { dipoles, residual, explainedVariance, diagnostics, warnings } = await mixedNorm(evoked, fwd, cov, {
      alpha: 55, loose: 0.2, depth: 0.9, maxit: 3000, tol: 1e-4, activeSetSize: 10, debias: true,
      weights: stcDspm, weightsMin: 8, nMxneIter: 10,
    });
    const stc = makeStcFromDipoles(dipoles, fwd.src);

    const ref = JSON.parse(fs.readFileSync(fixture('reference', 'seed-rv-surf-small', 'result.json'), 'utf8'));
    assert.deepEqual(dipoles.map((d) => d.vertno), ref.dipoles.map((d: { vertno: number }) => d.vertno));
    assert.equal(stc.data.rows, dipoles.length);
    assert.equal(residual.info.chNames.length, 364);
    assert.equal(explainedVariance.toFixed(1), '19.2');
    assert.ok(diagnostics.converged);
    assert.deepEqual(warnings, []);
  });
});
