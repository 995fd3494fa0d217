import * as assert from 'node:assert/strict';
import { gemm } from '../../lib/linalg/blas.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { makeDipoles, sparseTimes } from '../../lib/results/makeDipoles.js';
import { makePhysicalSolution } from '../../lib/results/physicalSolution.js';
import { assertClose, assertMatrixClose } from '../helpers/assert.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';
import { readNpyMatrix } from '../../lib/io/npy.js';
import { arrayOf, geometryOf, loadResult, vectorOf, type Json } from './referenceCase.js';

// Every rv case shares the seed's time PCA (result.json marks Vh / M_solver identical_to_other_file).
const seedDir = (f: string) => fixture('reference', 'seed-rv-surf-small', f);

function whitenedData(): Matrix {
  return gemm(readNpyMatrix(seedDir('M_solver.npy')), readNpyMatrix(seedDir('Vh.npy')));
}

describe('results: solver output to physical units and dipoles (fixtures §3 steps 7–8)', function () {
  requireFixtures(this);

  // §3: X_final and gain_active follow from X_solver with zero difference in MNE; we allow BLAS rounding.
  for (const name of ['seed-rv-surf-small', 'mxne-rv-surf-small', 'fixed-rv-surf-small']) {
    it(`${name}: X_final and gain_active from X_solver, Vh and the source weighting`, function () {
      const r = loadResult(name);
      const G = arrayOf(r.solver.G);
      const solution = {
        X: arrayOf(r.solver.X_solver),
        activeColumns: Int32Array.from(r.final.active_columns),
        gainActive: G.pickCols(r.solver.active_set_columns),
        nOrient: r.internals.n_orient,
      } as const;
      const phys = makePhysicalSolution(solution, {
        sourceWeighting: vectorOf(r.internals.source_weighting ?? { file: `reference/${name}/source_weighting.npy` }),
        alphaScale: r.solver.alpha_scale,
        Vh: readNpyMatrix(seedDir('Vh.npy')),
      });
      assertMatrixClose(phys.X, arrayOf(r.final.X_final), 1e-12, 'X_final');
      assertMatrixClose(phys.gainActive, arrayOf(r.final.gain_active), 1e-12, 'gain_active');
    });
  }

  // §4.3: amplitude / orientation / position 1e-6 relative to the largest value; GOF 1e-6 in MNE's basis.
  for (const name of ['seed-rv-surf-small', 'mxne-rv-surf-small', 'fixed-rv-surf-small', 'free-rv-surf-small', 'mxne-free-rv-vol']) {
    it(`${name}: dipoles equal MNE's (pos, amplitude, ori, gof)`, function () {
      const r = loadResult(name);
      const phys = {
        X: arrayOf(r.final.X_final),
        gainActive: arrayOf(r.final.gain_active),
        activeColumns: Int32Array.from(r.final.active_columns),
        nOrient: r.internals.n_orient,
      };
      const times = sparseTimes(r.times.tmin, r.times.tstep, r.times.n_times);
      assertClose(times, r.times.values, 1e-15, 'times');
      const dipoles = makeDipoles(phys, whitenedData(), geometryOf(r), times);
      assert.equal(dipoles.length, r.dipoles.length);
      const ampMax = Math.max(...r.dipoles.map((d: Json) => Math.max(...d.amplitude.map(Math.abs))));
      dipoles.forEach((d, k) => {
        const ref = r.dipoles[k];
        assert.equal(d.sourceIndex, ref.source_index);
        assert.equal(d.vertno, ref.vertno);
        assert.equal(d.hemi, ref.hemi);
        assertClose(d.pos, ref.pos, 1e-12, `dipole ${k} pos`);
        assertClose(d.amplitude, ref.amplitude, 0, `dipole ${k} amplitude`, 1e-6 * ampMax);
        assertClose(d.ori.data, Matrix.fromRows(ref.ori).data, 0, `dipole ${k} ori`, 1e-6);
        assertClose(d.gof, ref.gof, 0, `dipole ${k} gof`, 1e-6 * Math.max(...ref.gof.map(Math.abs)));
      });
    });
  }
});
