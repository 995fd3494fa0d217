/** readCov on a diagonal covariance written by MNE (make_ad_hoc_cov), compared with MNE's read_cov. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCov } from '../../../lib/index.js';
import { fixture, requireFixtures } from '../../helpers/fixtures.js';
import { requireMne, runPythonJson } from '../../helpers/python.js';

describe('readCov: diagonal covariance written by MNE', function () {
  requireMne(this);
  requireFixtures(this);
  it('expands the diagonal, keeps names, nfree, bads and projectors', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-cov-'));
    const file = path.join(dir, 'adhoc-cov.fif');
    try {
      const want = runPythonJson<{ names: string[]; diag: number[]; nfree: number; bads: string[]; projs: string[] }>(`
import json, numpy as np, mne
mne.set_log_level('error')
info = mne.io.read_info(${JSON.stringify(fixture('inputs', 'right_visual-ave.fif'))})
cov = mne.make_ad_hoc_cov(info)
cov['projs'] = info['projs']
cov['bads'] = info['bads']
cov.save(${JSON.stringify(file)}, overwrite=True)
cov = mne.read_cov(${JSON.stringify(file)})
print(json.dumps(dict(names=cov['names'], diag=cov['data'].tolist(), nfree=int(cov['nfree']), bads=cov['bads'], projs=[p['desc'] for p in cov['projs']])))`);
      const cov = await readCov(file);
      assert.equal(cov.diag, true);
      assert.deepEqual([cov.names, cov.nfree, cov.bads, cov.projs.map((p) => p.desc)], [want.names, want.nfree, want.bads, want.projs]);
      const n = want.names.length;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(cov.data.get(i, j), i === j ? want.diag[i] : 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
