import * as assert from 'node:assert/strict';
import { gemm } from '../../lib/linalg/blas.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { readNpyMatrix } from '../../lib/io/npy.js';
import { makeDipoles, sparseTimes } from '../../lib/results/makeDipoles.js';
import { makeSparseStc } from '../../lib/results/makeSparseStc.js';
import { makeStcFromDipoles, type DipoleSourceSpace } from '../../lib/results/makeStcFromDipoles.js';
import { explainedVariance } from '../../lib/results/explainedVariance.js';
import type { PhysicalSolution } from '../../lib/results/physicalSolution.js';
import type { SourceGeometry } from '../../lib/results/sourceGeometry.js';
import { assertClose } from '../helpers/assert.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';
import { arrayOf, geometryOf, loadResult, readJson, type Json } from './referenceCase.js';

const CASES = ['seed-rv-surf-small', 'mxne-rv-surf-small', 'fixed-rv-surf-small', 'free-rv-surf-small', 'mxne-free-rv-vol'];

function physicalOf(r: Json): PhysicalSolution {
  return {
    X: arrayOf(r.final.X_final),
    gainActive: arrayOf(r.final.gain_active),
    activeColumns: Int32Array.from(r.final.active_columns),
    nOrient: r.internals.n_orient,
  };
}

function whitenedData(): Matrix {
  const dir = (f: string) => fixture('reference', 'seed-rv-surf-small', f);
  return gemm(readNpyMatrix(dir('M_solver.npy')), readNpyMatrix(dir('Vh.npy')));
}

/** The forward's src with rr (head coordinates) known at the used vertices, as make_stc_from_dipoles reads it. */
function srcOf(geometry: SourceGeometry): DipoleSourceSpace[] {
  const rb = readJson('inputs', 'readback', 'readback.json')['surf-small'];
  let offset = 0;
  return geometry.vertices.map((vertno, space) => {
    const rr = new Matrix(rb.src[space].np, 3);
    vertno.forEach((v, k) => { for (let d = 0; d < 3; d++) rr.set(v, d, geometry.sourceRr.get(offset + k, d)); });
    offset += vertno.length;
    return { rr, vertno, subjectHisId: 'sample' };
  });
}

describe('results: sparse source estimates and explained variance (fixtures §3 steps 8–10)', function () {
  requireFixtures(this);

  for (const name of CASES) {
    const r = loadResult(name);
    if (r.stc_direct) {
      // §4.1: stc_direct rows equal the dipole amplitudes; 1e-6 relative to the largest value (§4.3).
      it(`${name}: makeSparseStc equals MNE's stc_direct`, function () {
        const stc = makeSparseStc(physicalOf(r), geometryOf(r), r.stc_direct.tmin, r.stc_direct.tstep);
        assert.deepEqual(stc.vertices.map((v) => Array.from(v)), r.stc_direct.vertices);
        assert.equal(stc.kind, r.stc_direct.kind === 'VolSourceEstimate' ? 'volume' : 'surface');
        assertClose(stc.data.data, arrayOf(r.stc_direct.data).data, 1e-6, 'stc data');
      });
    }
    if (r.stc_from_dipoles) {
      it(`${name}: makeStcFromDipoles equals MNE's stc_from_dipoles`, function () {
        const geometry = geometryOf(r);
        const times = sparseTimes(r.times.tmin, r.times.tstep, r.times.n_times);
        const dipoles = makeDipoles(physicalOf(r), whitenedData(), geometry, times);
        const stc = makeStcFromDipoles(dipoles, srcOf(geometry));
        assert.deepEqual(Array.from(stc.vertices[0]), r.stc_from_dipoles.vertices_lh);
        assert.deepEqual(Array.from(stc.vertices[1]), r.stc_from_dipoles.vertices_rh);
        assert.equal(stc.tmin, r.stc_from_dipoles.tmin);
        assert.equal(stc.tstep, r.stc_from_dipoles.tstep);
        assertClose(stc.data.data, Matrix.fromRows(r.stc_from_dipoles.data).data, 1e-6, 'stc_from_dipoles data');
      });
    }
    // MNE prints "%5.1f"; we must print the same digits (|ours − printed| < 0.05 before rounding).
    it(`${name}: explained variance prints as MNE's ${r.log_summary.explained_variance_percent_printed[0]} %`, function () {
      const ev = explainedVariance(whitenedData(), physicalOf(r));
      assert.ok(Math.abs(Number(ev.toFixed(1)) - r.log_summary.explained_variance_percent_printed[0]) < 0.01, `${ev}`);
    });
  }

  it('pickOri vector: rotated rows have the dipoles\' moments and the combined norms', function () {
    const r = loadResult('seed-rv-surf-small');
    const geometry = geometryOf(r);
    const phys = physicalOf(r);
    const vec = makeSparseStc(phys, geometry, r.times.tmin, r.times.tstep, { pickOri: 'vector' });
    const norm = makeSparseStc(phys, geometry, r.times.tmin, r.times.tstep);
    assert.equal(vec.vector, true);
    assert.equal(vec.data.rows, 3 * norm.data.rows);
    r.dipoles.forEach((d: Json, i: number) => {
      const moment = new Float64Array(3 * d.amplitude.length);
      const rows = new Float64Array(3 * d.amplitude.length);
      d.amplitude.forEach((a: number, t: number) => {
        for (let c = 0; c < 3; c++) {
          moment[3 * t + c] = a * d.ori[t][c];
          rows[3 * t + c] = vec.data.get(3 * i + c, t);
        }
      });
      assertClose(rows, moment, 1e-6, `vector rows of dipole ${i}`);
    });
    assert.throws(() => makeSparseStc({ ...phys, nOrient: 1 }, geometry, 0, 1, { pickOri: 'vector' }), /pickOri/);
  });
});
