/**
 * writeForward on MNE-made forwards: read by mxne, written back, read again (by mxne, and by MNE
 * when installed) with the same gain, channels, transforms and source spaces (patch information
 * and used triangles included). Skips visibly without ../shared/fixtures or MNE.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readForward } from '../../lib/io/fiff/readForward.js';
import { encodeForward, writeForward } from '../../lib/io/fiff/writeForward.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';
import { haveMne, runPythonJson } from '../helpers/python.js';

describe('writeForward: MNE forwards round trip', function () {
  requireFixtures(this);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-fwd-rt-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const src = fixture('inputs', 'surf-small-fwd.fif');
  const out = path.join(tmp, 'rt-fwd.fif');

  it('mxne reads back the gain bit for bit, the channels, transforms and source spaces', async () => {
    const a = await readForward(src);
    await writeForward(out, a);
    const b = await readForward(out);
    assert.deepEqual(b.sol.data, a.sol.data);
    assert.deepEqual(b.chNames, a.chNames);
    assert.deepEqual(b.info.chNames, a.info.chNames);
    assert.deepEqual(b.info.bads, a.info.bads);
    assert.deepEqual(b.info.devHeadT?.trans.data, a.info.devHeadT?.trans.data);
    assert.deepEqual(b.mriHeadT.trans.data, a.mriHeadT.trans.data);
    assert.equal(b.sourceOri, a.sourceOri);
    a.src.forEach((s, k) => {
      const t = b.src[k];
      assert.deepEqual([t.np, t.nuse, t.ntri, t.nuseTri, t.id], [s.np, s.nuse, s.ntri, s.nuseTri, s.id]);
      assert.deepEqual(t.vertno, s.vertno);
      assert.deepEqual(t.tris, s.tris);
      assert.deepEqual(t.useTris, s.useTris);
      assert.deepEqual(t.nearest, s.nearest);
      // Positions go head → MRI (float32 on disk) → head: equal within float32 rounding.
      let d = 0;
      for (let i = 0; i < s.rr.data.length; i++) d = Math.max(d, Math.abs(t.rr.data[i] - s.rr.data[i]));
      assert.ok(d < 1e-7, `positions differ by ${d} m`);
    });
  });

  it('rejects a forward whose gain does not match its channels', async () => {
    const a = await readForward(src);
    assert.throws(() => encodeForward({ ...a, chNames: a.chNames.slice(1) }), { name: 'InputError', field: 'forward.sol' });
  });

  it('MNE reads the written forward with the original numbers', function () {
    if (!haveMne()) { console.log('      [skip] MNE-Python not importable'); this.skip(); }
    const r = runPythonJson<{ sol: boolean; names: boolean; rr: number; vertno: boolean; nearest: boolean; trans: number }>(`
import json, numpy as np, mne
mne.set_log_level('ERROR')
a = mne.read_forward_solution(${JSON.stringify(src)})
b = mne.read_forward_solution(${JSON.stringify(out)})
pairs = list(zip(a['src'], b['src']))
print(json.dumps(dict(sol=bool(np.array_equal(a['sol']['data'], b['sol']['data'])), names=a['sol']['row_names'] == b['sol']['row_names'],
  rr=float(max(np.abs(x['rr'] - y['rr']).max() for x, y in pairs)), vertno=all(np.array_equal(x['vertno'], y['vertno']) for x, y in pairs),
  nearest=all(np.array_equal(x['nearest'], y['nearest']) for x, y in pairs),
  trans=float(np.abs(a['info']['dev_head_t']['trans'] - b['info']['dev_head_t']['trans']).max() + np.abs(a['mri_head_t']['trans'] - b['mri_head_t']['trans']).max()))))
`);
    assert.deepEqual(r, { ...r, sol: true, names: true, vertno: true, nearest: true, trans: 0 });
    assert.ok(r.rr < 1e-7, `positions differ by ${r.rr} m`);
  });
});
