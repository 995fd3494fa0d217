import * as assert from 'node:assert/strict';
import { readNpyMatrix } from '../../lib/io/npy.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { makePhysicalSolution } from '../../lib/results/physicalSolution.js';
import { assertMatrixClose } from '../helpers/assert.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';
import { arrayOf, loadResult, vectorOf } from './referenceCase.js';

describe('results: solver output to physical units (fixtures §3 step 7)', function () {
  requireFixtures(this);

  // §3: X_final and gain_active follow from X_solver with zero difference in MNE; we allow BLAS rounding.
  // Every rv case shares the seed's time PCA (result.json marks Vh identical_to_other_file).
  for (const name of ['seed-rv-surf-small', 'mxne-rv-surf-small', 'fixed-rv-surf-small']) {
    it(`${name}: X_final and gain_active from X_solver, Vh and the source weighting`, function () {
      const r = loadResult(name);
      const phys = makePhysicalSolution({
        X: arrayOf(r.solver.X_solver),
        activeColumns: Int32Array.from(r.final.active_columns),
        gainActive: arrayOf(r.solver.G).pickCols(r.solver.active_set_columns),
        nOrient: r.internals.n_orient,
      }, {
        sourceWeighting: vectorOf(r.internals.source_weighting ?? { file: `reference/${name}/source_weighting.npy` }),
        alphaScale: r.solver.alpha_scale,
        Vh: readNpyMatrix(fixture('reference', 'seed-rv-surf-small', 'Vh.npy')),
      });
      assertMatrixClose(phys.X, arrayOf(r.final.X_final), 1e-12, 'X_final');
      assertMatrixClose(phys.gainActive, arrayOf(r.final.gain_active), 1e-12, 'gain_active');
    });
  }
});

describe('results: makePhysicalSolution on small inputs', function () {
  it('multiplies X by w/alphaScale, divides the gain by it, and keeps a zero weight\'s gain (MNE sets it to 1)', function () {
    const phys = makePhysicalSolution({
      X: Matrix.fromRows([[1, 2], [3, 4]]), activeColumns: Int32Array.from([1, 2]),
      gainActive: Matrix.fromRows([[10, 20], [30, 40]]), nOrient: 1,
    }, { sourceWeighting: Float64Array.from([9, 0.5, 0]), alphaScale: 0.25, Vh: null });
    assert.deepEqual(phys.X.toRows(), [[2, 4], [0, 0]]);
    assert.deepEqual(phys.gainActive.toRows(), [[5, 20], [15, 40]]);
  });

  it('rejects active columns that are not whole blocks or not ascending', function () {
    const base = { X: new Matrix(3, 1), gainActive: new Matrix(2, 3), nOrient: 3 as const };
    const rescaling = { sourceWeighting: new Float64Array(9), alphaScale: 1, Vh: null };
    assert.throws(() => makePhysicalSolution({ ...base, activeColumns: Int32Array.from([1, 2, 3]) }, rescaling), /whole blocks/);
    assert.throws(() => makePhysicalSolution({ ...base, activeColumns: Int32Array.from([3, 4, 4]) }, rescaling), /ascending/);
  });
});
