import * as assert from 'node:assert/strict';
import { gemm } from '../../lib/linalg/blas.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { Evoked } from '../../lib/records/evoked.js';
import { readNpyMatrix } from '../../lib/io/npy.js';
import { computeResidual } from '../../lib/results/computeResidual.js';
import { makeProjector } from '../../lib/results/makeProjector.js';
import { assertClose, assertMatrixClose } from '../helpers/assert.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';
import { randn } from '../helpers/random.js';
import { arrayOf, loadResult, rightVisualEvoked } from './referenceCase.js';

/**
 * P·G_active from the whitened gain: the whitener's rows are orthogonal and span range(P)
 * (fixtures §3 step 2), so Wᵀ·diag(1/‖w_r‖²)·W = P and pinv(W)·gain_active = P·G_active.
 * The residual only sees P·G_active, so this reproduces MNE's exactly without the FIF forward.
 */
function projectedGain(gainActive: Matrix): Matrix {
  const W = readNpyMatrix(fixture('reference', 'seed-rv-surf-small', 'whitener.npy'));
  const scaled = W.clone();
  for (let r = 0; r < W.rows; r++) {
    let s = 0;
    for (let c = 0; c < W.cols; c++) s += W.get(r, c) ** 2;
    for (let c = 0; c < W.cols; c++) scaled.set(r, c, W.get(r, c) / s);
  }
  return gemm(scaled, gainActive, { transA: true });
}

describe('results: residual (fixtures §3 step 9)', function () {
  requireFixtures(this);

  for (const name of ['seed-rv-surf-small', 'mxne-rv-surf-small', 'fixed-rv-surf-small', 'free-rv-surf-small', 'mxne-free-rv-vol']) {
    // §4.3: residual 1e-6 relative to its largest value.
    it(`${name}: residual equals MNE's`, function () {
      const r = loadResult(name);
      const evoked = rightVisualEvoked();
      const residual = computeResidual({
        evoked,
        chNames: r.internals.channels_used,
        gainActive: projectedGain(arrayOf(r.final.gain_active)),
        X: arrayOf(r.final.X_final),
      });
      assert.deepEqual(residual.info.chNames, r.residual.ch_names);
      assert.equal(residual.nave, r.residual.nave);
      assert.deepEqual(residual.info.projs.map((p) => [p.desc, p.active]), r.residual.projs);
      assertMatrixClose(residual.data, arrayOf(r.residual.data), 1e-6, 'residual');
    });
  }

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
