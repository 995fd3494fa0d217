import * as assert from 'node:assert/strict';
import { Matrix } from '../../lib/linalg/matrix.js';
import { readNpyMatrix } from '../../lib/io/npy.js';
import { makeSparseResult } from '../../lib/results/makeSparseResult.js';
import { assertClose, assertMatrixClose } from '../helpers/assert.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';
import { arrayOf, geometryOf, loadResult, projectedGain, rightVisualEvoked, vectorOf, type Json } from './referenceCase.js';

const seed = (f: string) => fixture('reference', 'seed-rv-surf-small', f);

/** P·G_active (see projectedGain) spread into a full-width gain. */
function residualGain(r: Json): Matrix {
  const PG = projectedGain(arrayOf(r.final.gain_active));
  const full = new Matrix(PG.rows, 3 * 900);
  r.final.active_columns.forEach((c: number, k: number) => full.col(c).set(PG.col(k)));
  return full;
}

describe('results: makeSparseResult, solver output to every result (fixtures §3 steps 7–10)', function () {
  requireFixtures(this);

  it('seed-rv-surf-small: dipoles, stc, residual and explained variance from X_solver', function () {
    const r = loadResult('seed-rv-surf-small');
    const evoked = rightVisualEvoked();
    const out = makeSparseResult({
      solution: {
        X: arrayOf(r.solver.X_solver),
        activeColumns: Int32Array.from(r.final.active_columns),
        gainActive: arrayOf(r.solver.G).pickCols(r.solver.active_set_columns),
        nOrient: 3,
      },
      rescaling: { sourceWeighting: vectorOf(r.internals.source_weighting), alphaScale: r.solver.alpha_scale, Vh: readNpyMatrix(seed('Vh.npy')) },
      M: readNpyMatrix(seed('M_solver.npy')),
      geometry: geometryOf(r),
      evoked,
      residualGain: { chNames: r.internals.channels_used, gainActive: residualGain(r).pickCols(r.final.active_columns) },
    });
    assert.deepEqual(out.warnings, []);
    assert.equal(evoked.tmin, r.times.tmin);
    assert.equal(out.dipoles.length, 3);
    const ampMax = Math.max(...r.dipoles.map((d: Json) => Math.max(...d.amplitude)));
    out.dipoles.forEach((d, k) => {
      assertClose(d.times, r.times.values, 1e-15, 'times');
      assertClose(d.amplitude, r.dipoles[k].amplitude, 0, `amplitude ${k}`, 1e-6 * ampMax);
      assertClose(d.gof, r.dipoles[k].gof, 1e-6, `gof ${k}`);
    });
    assertClose(out.stc.data.data, arrayOf(r.stc_direct.data).data, 1e-6, 'stc');
    assertMatrixClose(out.residual!.data, arrayOf(r.residual.data), 1e-6, 'residual');
    assert.equal(out.explainedVariance.toFixed(1), '19.2');
  });

  it('no active source: MNE\'s warning, empty dipoles and stc, residual = data, 0 % explained', function () {
    const r = loadResult('seed-rv-surf-small');
    const evoked = rightVisualEvoked();
    const out = makeSparseResult({
      solution: { X: new Matrix(0, 181), activeColumns: new Int32Array(0), gainActive: new Matrix(360, 0), nOrient: 3 },
      rescaling: { sourceWeighting: vectorOf(r.internals.source_weighting), alphaScale: r.solver.alpha_scale, Vh: readNpyMatrix(seed('Vh.npy')) },
      M: readNpyMatrix(seed('M_solver.npy')),
      geometry: geometryOf(r),
      evoked,
      residualGain: { chNames: r.internals.channels_used, gainActive: new Matrix(364, 0) },
    });
    assert.deepEqual(out.warnings, [{ code: 'ENOACTIVE', message: 'No active dipoles found. alpha is too big.' }]);
    assert.deepEqual(out.dipoles, []);
    assert.deepEqual(out.stc.vertices.map((v) => v.length), [0, 0]);
    assert.equal(out.stc.data.rows, 0);
    assert.equal(out.explainedVariance, 0);
    const rows = r.internals.channels_used.map((n: string) => evoked.info.chNames.indexOf(n));
    assertMatrixClose(out.residual!.data, evoked.data.pickRows(rows), 0, 'residual');
  });
});
