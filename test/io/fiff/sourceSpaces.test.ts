/**
 * readSourceSpaces against MNE's read_source_spaces on surf-small: everything the prepare stage
 * uses for cortical patch statistics (nearest, nearest_dist, pinfo, patch_inds) and the surfaces
 * (rr, nn, tris, use_tris), compared exactly (all come straight from the file or are integer
 * bookkeeping).
 */
import * as assert from 'node:assert/strict';
import { readSourceSpaces } from '../../../lib/index.js';
import { fixture, requireFixtures } from '../../helpers/fixtures.js';
import { requireMne, runPythonJson } from '../../helpers/python.js';

interface Want {
  pinfo: number[][]; patch_inds: number[]; nearest: number[]; nearest_dist: number[];
  nn_first: number[]; tris_first: number[]; use_tris: number[]; inuse_sum: number;
}

describe('readSourceSpaces equals MNE read_source_spaces', function () {
  requireMne(this);
  requireFixtures(this);
  it('surf-small: patch information, nearest vertices and triangulations', async () => {
    const file = fixture('inputs', 'surf-small-fwd.fif');
    const want = runPythonJson<Want[]>(`
import json, numpy as np, mne
src = mne.read_source_spaces(${JSON.stringify(file)}, verbose='error')
print(json.dumps([dict(pinfo=[p.tolist() for p in s['pinfo']], patch_inds=s['patch_inds'].tolist(), nearest=s['nearest'].tolist(),
  nearest_dist=s['nearest_dist'].astype(float).tolist(), nn_first=s['nn'][0].tolist(),
  tris_first=s['tris'][0].tolist(), use_tris=s['use_tris'].ravel().tolist(), inuse_sum=int(s['inuse'].sum())) for s in src]))`);
    const src = await readSourceSpaces(file);
    src.forEach((s, k) => {
      const w = want[k];
      assert.deepEqual(s.pinfo!.map((p) => Array.from(p)), w.pinfo);
      assert.deepEqual(Array.from(s.patchInds!), w.patch_inds);
      assert.deepEqual(Array.from(s.nearest!), w.nearest);
      assert.deepEqual(Array.from(s.nearestDist!), w.nearest_dist);
      assert.deepEqual(Array.from(s.nn.row(0)), w.nn_first);
      assert.deepEqual(Array.from(s.tris!.subarray(0, 3)), w.tris_first);
      assert.deepEqual(Array.from(s.useTris!), w.use_tris);
      assert.equal(s.inuse.reduce((a, b) => a + b, 0), w.inuse_sum);
    });
  });
});
