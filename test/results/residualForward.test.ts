import * as assert from 'node:assert/strict';
import { readEvoked } from '../../lib/io/fiff/readEvoked.js';
import { readForward } from '../../lib/io/fiff/readForward.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import type { Forward } from '../../lib/records/forward.js';
import { computeResidual } from '../../lib/results/computeResidual.js';
import { makeDipoles, sparseTimes } from '../../lib/results/makeDipoles.js';
import { makeStcFromDipoles } from '../../lib/results/makeStcFromDipoles.js';
import { assertMatrixClose } from '../helpers/assert.js';
import { fixture, haveFixtures, requireFixtures } from '../helpers/fixtures.js';
import { arrayOf, geometryOf, loadResult, whitenedDataOf, type Json } from './referenceCase.js';

/**
 * The active columns of the forward in the prepared basis (column = G_xyz(source) · sourceNn row),
 * rows in the inverse's channel order. MNE's convert_forward_solution rounds a fixed-orientation
 * gain to float32 (`.astype('float32')`), so we do too.
 */
function preparedActiveGain(fwd: Forward, r: Json): Matrix {
  const nn = geometryOf(r).sourceNn;
  const nOrient: number = r.internals.n_orient;
  const rows = (r.internals.channels_used as string[]).map((n) => fwd.chNames.indexOf(n));
  const cols: number[] = r.final.active_columns;
  const G = new Matrix(rows.length, cols.length);
  cols.forEach((col, k) => {
    const source = Math.floor(col / nOrient);
    rows.forEach((row, i) => {
      let v = 0;
      for (let d = 0; d < 3; d++) v += fwd.sol.get(row, 3 * source + d) * nn.get(col, d);
      G.set(i, k, nOrient === 1 ? Math.fround(v) : v);
    });
  });
  return G;
}

describe('results: residual and stc from dipoles on the FIF inputs (readEvoked, readForward)', function () {
  requireFixtures(this);
  if (!haveFixtures) return;
  let fwd: Forward;
  before(async () => { fwd = await readForward(fixture('inputs', 'surf-small-fwd.fif')); });

  for (const name of ['seed-rv-surf-small', 'fixed-rv-surf-small', 'free-rv-surf-small']) {
    // §4.3: residual 1e-6 relative; vertices identical.
    it(`${name}: residual from the read evoked and forward; vertices matched in the read src`, async function () {
      const r = loadResult(name);
      const evoked = (await readEvoked(fixture(r.inputs.evoked), { condition: 0, baseline: [null, 0] })).crop(0, 0.3);
      assert.equal(evoked.tmin, r.times.tmin, 'MNE\'s time axis (dipole times start there)');
      const residual = computeResidual({
        evoked, chNames: r.internals.channels_used, gainActive: preparedActiveGain(fwd, r), X: arrayOf(r.final.X_final),
      });
      assert.equal(residual.tmin, r.times.tmin);
      assertMatrixClose(residual.data, arrayOf(r.residual.data), 1e-6, 'residual');
      const times = sparseTimes(evoked.tmin, 1 / evoked.info.sfreq, evoked.nTimes);
      const dipoles = makeDipoles({
        X: arrayOf(r.final.X_final), gainActive: arrayOf(r.final.gain_active),
        activeColumns: Int32Array.from(r.final.active_columns), nOrient: r.internals.n_orient,
      }, whitenedDataOf(r), geometryOf(r), times);
      const stc = makeStcFromDipoles(dipoles, fwd.src);
      assert.deepEqual(stc.vertices.map((v) => Array.from(v)), [r.stc_from_dipoles.vertices_lh, r.stc_from_dipoles.vertices_rh]);
      assert.equal(stc.tstep, r.stc_from_dipoles.tstep);
    });
  }
});
