/**
 * mixedNorm options the fixtures do not cover, checked against MNE-Python run live: a list of
 * evokeds solved jointly with pickOri 'vector', and an integer timePca. Vector estimates are in
 * head x/y/z, so they do not depend on the tangent basis (fixtures §4.3); 1e-6 of the largest value.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCov, readEvoked, readForward } from '../../lib/index.js';
import { readNpyMatrix } from '../../lib/io/npy.js';
import { mixedNorm } from '../../lib/sparse/mixedNorm.js';
import { assertClose } from '../helpers/assert.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';
import { requireMne, runPythonJson } from '../helpers/python.js';

describe('mixedNorm against MNE-Python run live (lists of evokeds, vector, timePca)', function () {
  requireFixtures(this);
  requireMne(this);
  let dir = '';
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-mn-')); });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('two evokeds, pickOri vector, 3 reweightings: the same vertices and x/y/z time courses', async () => {
    const inp = (f: string) => fixture('inputs', f);
    const mne = runPythonJson<{ vertices: number[][][]; files: string[] }>(`
import json, numpy as np, mne
from mne.inverse_sparse import mixed_norm
mne.set_log_level('ERROR')
ev = mne.read_evokeds(${JSON.stringify(inp('right_visual-ave.fif'))}, condition=0, baseline=(None, 0))
evs = [ev.copy().crop(0, 0.15), ev.copy().crop(0.15, 0.3)]
fwd = mne.read_forward_solution(${JSON.stringify(inp('surf-small-fwd.fif'))})
cov = mne.read_cov(${JSON.stringify(inp('noise-cov.fif'))})
stcs = mixed_norm(evs, fwd, cov, alpha=50, loose=0.2, depth=0.9, n_mxne_iter=3, pick_ori='vector')
files = []
for k, s in enumerate(stcs):
    f = ${JSON.stringify(dir)} + '/stc%d.npy' % k
    np.save(f, s.data.reshape(-1, s.data.shape[-1]))
    files.append(f)
print(json.dumps(dict(vertices=[[v.tolist() for v in s.vertices] for s in stcs], files=files)))
`);
    const ev = await readEvoked(inp('right_visual-ave.fif'), { condition: 0, baseline: [null, 0] });
    const evs = [ev.crop(0, 0.15), ev.crop(0.15, 0.3)];
    const r = await mixedNorm(evs, await readForward(inp('surf-small-fwd.fif')), await readCov(inp('noise-cov.fif')),
      { alpha: 50, loose: 0.2, depth: 0.9, nMxneIter: 3, pickOri: 'vector' });
    assert.equal(r.conditions.length, 2);
    r.conditions.forEach((c, k) => {
      assert.deepEqual(c.stc.vertices.map((v) => Array.from(v)), mne.vertices[k], `condition ${k} vertices`);
      assert.ok(c.stc.vector);
      assertClose(c.stc.data.toRows().flat(), readNpyMatrix(mne.files[k]).toRows().flat(), 1e-6, `condition ${k} x/y/z`);
    });
  });

  it('timePca: 5 components', async () => {
    const inp = (f: string) => fixture('inputs', f);
    const mne = runPythonJson<{ vertices: number[][]; file: string }>(`
import json, numpy as np, mne
from mne.inverse_sparse import mixed_norm
mne.set_log_level('ERROR')
ev = mne.read_evokeds(${JSON.stringify(inp('right_visual-ave.fif'))}, condition=0, baseline=(None, 0)).crop(0, 0.3)
fwd = mne.read_forward_solution(${JSON.stringify(inp('surf-small-fwd.fif'))})
cov = mne.read_cov(${JSON.stringify(inp('noise-cov.fif'))})
s = mixed_norm(ev, fwd, cov, alpha=40, loose=1.0, depth=0.9, time_pca=5)
f = ${JSON.stringify(dir)} + '/pca.npy'
np.save(f, s.data)
print(json.dumps(dict(vertices=[v.tolist() for v in s.vertices], file=f)))
`);
    const ev = (await readEvoked(inp('right_visual-ave.fif'), { condition: 0, baseline: [null, 0] })).crop(0, 0.3);
    const r = await mixedNorm(ev, await readForward(inp('surf-small-fwd.fif')), await readCov(inp('noise-cov.fif')), { alpha: 40, loose: 1, depth: 0.9, timePca: 5 });
    assert.deepEqual(r.stc.vertices.map((v) => Array.from(v)), mne.vertices);
    assert.equal(r.diagnostics.nPcaComponents, 5);
    assertClose(r.stc.data.toRows().flat(), readNpyMatrix(mne.file).toRows().flat(), 1e-6, 'amplitudes');
  });
});
