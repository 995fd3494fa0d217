import * as assert from 'node:assert/strict';
import { Matrix } from '../../lib/linalg/matrix.js';
import { computeResidual } from '../../lib/results/computeResidual.js';
import { makeProjector } from '../../lib/prepare/projector.js';
import { assertMatrixClose } from '../helpers/assert.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';
import { arrayOf, geometryOf, loadResult, rightVisualEvoked, type Json } from './referenceCase.js';
import { requireMne } from '../helpers/python.js';
import { runMne } from './mnePython.js';

// The forward's x, y, z gain columns of the active sources, rows in the inverse's channel order.
const DUMP_GAIN = `
import mne, numpy as np
out = {}
for key, a in args.items():
    fwd = mne.read_forward_solution(a['fwd'], verbose=False)
    rows = [fwd['sol']['row_names'].index(c) for c in a['ch_names']]
    cols = [3 * s + c for s in a['sources'] for c in range(3)]
    out[key] = fwd['sol']['data'][rows][:, cols].tolist()
print(json.dumps(out))
`;

const MNE_PROJECTOR = `
import mne
evoked = mne.read_evokeds(args['evoked'], condition=0, verbose=False)
P, nproj, _ = mne.io.proj.make_projector(evoked.info['projs'], args['ch_names'])
print(json.dumps(dict(P=P.tolist(), nproj=int(nproj))))
`;

/**
 * Prepared-basis gain: column 3i+c (or i for fixed) = G_xyz(source) · sourceNn row. MNE's
 * convert_forward_solution rounds a fixed-orientation gain to float32 (`.astype('float32')`);
 * without that rounding the fixed residual differs by 3.4e-8 relative instead of 1e-14.
 */
function preparedGain(xyz: number[][], r: Json): Matrix {
  const geometry = geometryOf(r);
  const nOrient: number = r.internals.n_orient;
  const cols: number[] = r.final.active_columns;
  const G = new Matrix(xyz.length, cols.length);
  cols.forEach((col, k) => {
    const block = Math.floor(k / nOrient);
    for (let i = 0; i < xyz.length; i++) {
      let v = 0;
      for (let d = 0; d < 3; d++) v += xyz[i][3 * block + d] * geometry.sourceNn.get(col, d);
      G.set(i, k, nOrient === 1 ? Math.fround(v) : v);
    }
  });
  return G;
}

describe('results: residual from the unprojected forward gain (read by MNE-Python)', function () {
  requireFixtures(this);
  requireMne(this);

  it('equals MNE\'s residual for loose, fixed, free and volume cases (1e-6, fixtures §4.3)', function () {
    const names = ['seed-rv-surf-small', 'fixed-rv-surf-small', 'free-rv-surf-small', 'mxne-free-rv-vol'];
    const results = Object.fromEntries(names.map((n) => [n, loadResult(n)]));
    const args = Object.fromEntries(names.map((n) => {
      const r = results[n];
      const nOrient = r.internals.n_orient;
      const sources = r.final.active_columns.filter((_: number, k: number) => k % nOrient === 0).map((c: number) => Math.floor(c / nOrient));
      return [n, { fwd: fixture(r.inputs.forward), ch_names: r.internals.channels_used, sources }];
    }));
    const gains = runMne(DUMP_GAIN, args);
    const evoked = rightVisualEvoked();
    for (const n of names) {
      const r = results[n];
      const G = preparedGain(gains[n], r);
      const residual = computeResidual({ evoked, chNames: r.internals.channels_used, gainActive: G, X: arrayOf(r.final.X_final) });
      assert.equal(residual.data.rows, 364);
      assertMatrixClose(residual.data, arrayOf(r.residual.data), 1e-6, `${n} residual`);
    }
  });

  it('makeProjector equals MNE\'s make_projector on the evoked\'s projectors and the used channels', function () {
    const r = loadResult('seed-rv-surf-small');
    const mne = runMne(MNE_PROJECTOR, { evoked: fixture('inputs', 'right_visual-ave.fif'), ch_names: r.internals.channels_used });
    const ours = makeProjector(rightVisualEvoked().info.projs, r.internals.channels_used);
    assert.equal(ours.nproj, mne.nproj);
    // Readback vectors are the file's float32 values, as MNE reads them: same arithmetic up to the SVD.
    assertMatrixClose(ours.P!, Matrix.fromRows(mne.P), 1e-12, 'P');
  });
});
