/** writeCov on MNE's noise covariance: read, written, read again by mxne and by MNE with the same numbers. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCov } from '../../lib/io/fiff/readCov.js';
import { writeCov } from '../../lib/io/fiff/writeCov.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';
import { haveMne, runPythonJson } from '../helpers/python.js';

describe('writeCov: MNE covariance round trip', function () {
  requireFixtures(this);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-cov-rt-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const src = fixture('inputs', 'noise-cov.fif');
  const out = path.join(tmp, 'rt-cov.fif');

  it('mxne reads back the same matrix, names, projectors, bads and degrees of freedom', async () => {
    const a = await readCov(src);
    await writeCov(out, a);
    const b = await readCov(out);
    assert.deepEqual(b.data.data, a.data.data);
    assert.deepEqual([b.names, b.bads, b.nfree, b.diag], [a.names, a.bads, a.nfree, a.diag]);
    assert.deepEqual(b.projs.map((p) => [p.desc, p.kind, p.active, p.colNames]), a.projs.map((p) => [p.desc, p.kind, p.active, p.colNames]));
    b.projs.forEach((p, k) => assert.deepEqual(p.data.data, a.projs[k].data.data));
  });

  it('MNE reads the written covariance with the original numbers', function () {
    if (!haveMne()) { console.log('      [skip] MNE-Python not importable'); this.skip(); }
    const r = runPythonJson<Record<string, boolean>>(`
import json, numpy as np, mne
mne.set_log_level('ERROR')
a = mne.read_cov(${JSON.stringify(src)})
b = mne.read_cov(${JSON.stringify(out)})
print(json.dumps(dict(data=bool(np.array_equal(a.data, b.data)), names=a.ch_names == b.ch_names, bads=a['bads'] == b['bads'], nfree=a['nfree'] == b['nfree'],
  projs=[p['desc'] for p in a['projs']] == [p['desc'] for p in b['projs']] and all(np.array_equal(p['data']['data'], q['data']['data']) for p, q in zip(a['projs'], b['projs'])))))
`);
    assert.deepEqual(r, { data: true, names: true, bads: true, nfree: true, projs: true });
  });
});
