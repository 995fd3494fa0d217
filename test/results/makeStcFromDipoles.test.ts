import * as assert from 'node:assert/strict';
import { Matrix } from '../../lib/linalg/matrix.js';
import { makeStcFromDipoles } from '../../lib/results/makeStcFromDipoles.js';
import type { Dipole } from '../../lib/records/dipole.js';

const src = [
  { rr: Matrix.fromRows([[0, 0, 0], [0.01, 0.02, 0.03], [1, 1, 1]]), vertno: Int32Array.from([1, 2]), subjectHisId: 'sample' },
  { rr: Matrix.fromRows([[0.05, 0, 0], [0.04, 0.01, 0.02]]), vertno: Int32Array.from([0, 1]), subjectHisId: 'sample' },
];

function dipole(pos: number[], amplitude: number[]): Dipole {
  return {
    times: Float64Array.from([0.1, 0.2]), pos: Float64Array.from(pos), ori: new Matrix(2, 3),
    amplitude: Float64Array.from(amplitude), gof: new Float64Array(2), sourceIndex: 0, hemi: 'lh', vertno: 0,
  };
}

describe('results: makeStcFromDipoles (MNE make_stc_from_dipoles)', function () {
  it('finds vertices by exact position, one row per dipole, tstep = times[1] − times[0]', function () {
    const stc = makeStcFromDipoles([dipole([0.01, 0.02, 0.03], [1, -2]), dipole([0.04, 0.01, 0.02], [3, 4])], src);
    assert.deepEqual(stc.vertices.map((v) => Array.from(v)), [[1], [1]]);
    assert.deepEqual(stc.data.toRows(), [[1, -2], [3, 4]]);
    assert.equal(stc.tmin, 0.1);
    assert.equal(stc.tstep, 0.2 - 0.1);
    assert.equal(stc.subject, 'sample');
  });

  it('rejects a position that is not a used vertex (an unused one included) and an empty list', function () {
    assert.throws(() => makeStcFromDipoles([dipole([0, 0, 0], [1, 1])], src), /dipoles\[0\]\.pos/);
    assert.throws(() => makeStcFromDipoles([dipole([0.01, 0.02, 0.030000001], [1, 1])], src), /used source-space vertex/);
    assert.throws(() => makeStcFromDipoles([], src), /at least one Dipole/);
  });
});
