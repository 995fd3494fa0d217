import * as assert from 'node:assert/strict';
import { makeSparseStc } from '../../lib/results/makeSparseStc.js';
import { assertClose } from '../helpers/assert.js';
import { haveFixtures, requireFixtures } from '../helpers/fixtures.js';
import { arrayOf, geometryOf, loadResult, okCases, physicalOf, type Json } from './referenceCase.js';

describe('results: sparse source estimates (return_as_dipoles=False)', function () {
  requireFixtures(this);
  if (!haveFixtures) return;

  for (const name of okCases().filter((n) => loadResult(n).stc_direct)) {
    // §4.1: stc_direct rows equal the dipole amplitudes; 1e-6 relative to the largest value (§4.3).
    it(`${name}: makeSparseStc equals MNE's stc_direct`, function () {
      const r = loadResult(name);
      const stc = makeSparseStc(physicalOf(r), geometryOf(r), r.stc_direct.tmin, r.stc_direct.tstep);
      assert.deepEqual(stc.vertices.map((v) => Array.from(v)), r.stc_direct.vertices);
      assert.equal(stc.kind, r.stc_direct.kind === 'VolSourceEstimate' ? 'volume' : 'surface');
      assert.equal(stc.subject, 'sample');
      assertClose(stc.data.data, arrayOf(r.stc_direct.data).data, 1e-6, 'stc data');
    });
  }

  it('pickOri vector: rotated rows are the dipoles\' moments', function () {
    const r = loadResult('seed-rv-surf-small');
    const geometry = geometryOf(r);
    const phys = physicalOf(r);
    const vec = makeSparseStc(phys, geometry, r.times.tmin, r.times.tstep, { pickOri: 'vector' });
    assert.equal(vec.vector, true);
    assert.equal(vec.data.rows, 3 * r.dipoles.length);
    r.dipoles.forEach((d: Json, i: number) => {
      const moment: number[] = [];
      const rows: number[] = [];
      d.amplitude.forEach((a: number, t: number) => {
        for (let c = 0; c < 3; c++) {
          moment.push(a * d.ori[t][c]);
          rows.push(vec.data.get(3 * i + c, t));
        }
      });
      assertClose(rows, moment, 1e-6, `vector rows of dipole ${i}`);
    });
    assert.throws(() => makeSparseStc({ ...phys, nOrient: 1 }, geometry, 0, 1, { pickOri: 'vector' }), /pickOri/);
  });
});
