/**
 * Forward files of other shapes than the fixtures, written by MNE-Python from surf-small: fixed
 * orientation on disk, and MEG-only. mxne reads the gain bit-identically (both widen the same
 * float32 values) and source_rr / source_nn within 1e-12 (README §1: float64 transforms).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readForward } from '../../../lib/index.js';
import { readNpyMatrix } from '../../../lib/io/npy.js';
import { assertClose } from '../../helpers/assert.js';
import { fixture, requireFixtures } from '../../helpers/fixtures.js';
import { requireMne, runPythonJson } from '../../helpers/python.js';

describe('readForward: fixed orientation and MEG-only files written by MNE', function () {
  requireMne(this);
  requireFixtures(this);
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-fwd-')); });
  // A skip in an earlier before hook leaves dir unset; after hooks still run.
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  for (const variant of ['fixed', 'meg']) {
    it(variant, async () => {
      const file = path.join(dir, `${variant}-fwd.fif`);
      const npy = (what: string) => path.join(dir, `${variant}-${what}.npy`);
      const make = variant === 'fixed'
        ? 'fwd = mne.convert_forward_solution(fwd, surf_ori=True, force_fixed=True, use_cps=True)'
        : 'fwd = mne.pick_types_forward(fwd, meg=True, eeg=False)';
      const want = runPythonJson<{ names: string[]; ori: number; surf_ori: boolean; nsource: number; info_names: string[]; bads: string[]; dev_head_t: number[][] }>(`
import json, numpy as np, mne
mne.set_log_level('error')
fwd = mne.read_forward_solution(${JSON.stringify(fixture('inputs', 'surf-small-fwd.fif'))})
${make}
mne.write_forward_solution(${JSON.stringify(file)}, fwd, overwrite=True)
fwd = mne.read_forward_solution(${JSON.stringify(file)})
for k in ('sol', 'rr', 'nn'):
    a = dict(sol=fwd['sol']['data'], rr=fwd['source_rr'], nn=fwd['source_nn'])[k]
    np.save(${JSON.stringify(path.join(dir, variant))} + '-' + k + '.npy', np.asarray(a, dtype='<f8'))
print(json.dumps(dict(names=fwd['sol']['row_names'], ori=int(fwd['source_ori']), surf_ori=bool(fwd['surf_ori']), nsource=int(fwd['nsource']),
  info_names=fwd['info']['ch_names'], bads=fwd['info']['bads'], dev_head_t=fwd['info']['dev_head_t']['trans'].tolist())))`);
      const fwd = await readForward(file);
      assert.deepEqual([fwd.chNames, fwd.sourceOri, fwd.surfOri, fwd.nsource], [want.names, want.ori, want.surf_ori, want.nsource]);
      assert.deepEqual([fwd.info.chNames, fwd.info.bads], [want.info_names, want.bads]);
      assert.deepEqual(Array.from({ length: 4 }, (_, i) => Array.from(fwd.info.devHeadT!.trans.row(i))), want.dev_head_t);
      const sol = readNpyMatrix(npy('sol'));
      assert.deepEqual([fwd.sol.rows, fwd.sol.cols], [sol.rows, sol.cols]);
      assertClose(fwd.sol.data, sol.data, 0, 'gain');
      assertClose(fwd.sourceRr.data, readNpyMatrix(npy('rr')).data, 1e-12, 'source_rr');
      assertClose(fwd.sourceNn.data, readNpyMatrix(npy('nn')).data, 1e-12, 'source_nn');
    });
  }
});
