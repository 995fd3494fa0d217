import * as assert from 'node:assert/strict';
import { gemm } from '../../lib/linalg/blas.js';
import { Evoked } from '../../lib/records/evoked.js';
import { computeResidual } from '../../lib/results/computeResidual.js';
import { makeProjector } from '../../lib/prepare/projector.js';
import { assertClose, assertMatrixClose } from '../helpers/assert.js';
import { requireFixtures } from '../helpers/fixtures.js';
import { randn } from '../helpers/random.js';
import { arrayOf, loadResult, projectedGain, rightVisualEvoked } from './referenceCase.js';

describe('results: residual (fixtures §3 step 9)', function () {
  requireFixtures(this);

  it('the projector from the readback projectors annihilates the projected gain (P·pinv(W) = pinv(W))', function () {
    const r = loadResult('seed-rv-surf-small');
    const evoked = rightVisualEvoked();
    const G = projectedGain(arrayOf(r.final.gain_active));
    const { P, nproj } = makeProjector(evoked.info.projs, r.internals.channels_used);
    assert.equal(nproj, 4);
    assertMatrixClose(gemm(P!, G), G, 1e-10, 'P·G');
  });

  it('applies only the active projectors to the estimate; inactive ones are carried, not applied', function () {
    const r = loadResult('seed-rv-surf-small');
    const evoked = rightVisualEvoked();
    const chNames: string[] = r.internals.channels_used;
    const G = randn(chNames.length, 2, 7);
    const X = randn(2, evoked.nTimes, 8);
    const rowIdx = chNames.map((n) => evoked.info.chNames.indexOf(n));
    const data = evoked.data.pickRows(rowIdx);
    const { P } = makeProjector(evoked.info.projs, chNames);
    const GX = gemm(G, X);
    const PGX = gemm(P!, GX);
    const withActive = computeResidual({ evoked, chNames, gainActive: G, X });
    assertClose(withActive.data.data, data.data.map((v, k) => v - PGX.data[k]), 1e-12, 'active projs');
    const inactiveInfo = { ...evoked.info, projs: evoked.info.projs.map((p) => ({ ...p, active: false })) };
    const inactive = new Evoked(inactiveInfo, evoked.data, evoked.first, evoked.nave, evoked.comment);
    const withInactive = computeResidual({ evoked: inactive, chNames, gainActive: G, X });
    assertClose(withInactive.data.data, data.data.map((v, k) => v - GX.data[k]), 1e-12, 'inactive projs');
    assert.deepEqual(withInactive.info.projs.map((p) => p.active), [false, false, false, false]);
  });
});
