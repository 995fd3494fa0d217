/** Channel names longer than 15 characters (FIFFB_CH_INFO blocks), in a file written by MNE-Python. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readEvoked, writeEvoked } from '../../../lib/index.js';
import { requireMne, runPythonJson } from '../../helpers/python.js';

describe('FIF extended channel info', function () {
  requireMne(this);
  it('long names, bads and projector columns are renamed as MNE reads them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-fiff-'));
    const file = path.join(dir, 'long-ave.fif');
    try {
      const want = runPythonJson<{ ch_names: string[]; bads: string[]; proj_cols: string[]; data: number[][] }>(`
import json, numpy as np, mne
names = ['EEG with a very long name %d' % k for k in range(4)]
info = mne.create_info(names, 100., 'eeg')
info['bads'] = [names[2]]
ev = mne.EvokedArray(np.arange(12.).reshape(4, 3) * 1e-6, info, tmin=-0.01, nave=5, comment='long')
ev.add_proj(mne.Projection(data=dict(nrow=1, ncol=4, row_names=None, col_names=names, data=np.ones((1, 4)) / 2), kind=1, desc='p', active=False))
ev.save(${JSON.stringify(file)}, verbose='error')
ev = mne.read_evokeds(${JSON.stringify(file)}, condition=0, proj=False, verbose='error')
print(json.dumps(dict(ch_names=ev.ch_names, bads=ev.info['bads'], proj_cols=ev.info['projs'][0]['data']['col_names'], data=ev.data.tolist())))`);
      const ev = await readEvoked(file, { proj: false });
      assert.deepEqual(ev.info.chNames, want.ch_names);
      assert.deepEqual(ev.info.bads, want.bads);
      assert.deepEqual(ev.info.projs[0].colNames, want.proj_cols);
      assert.deepEqual(Array.from({ length: 4 }, (_, i) => Array.from(ev.data.row(i))), want.data);
      // mxne writes long names the same way (truncated names + extended blocks): both readers agree.
      const again = path.join(dir, 'again-ave.fif');
      await writeEvoked(again, ev);
      const back = await readEvoked(again, { proj: false });
      assert.deepEqual([back.info.chNames, back.info.bads, back.info.projs[0].colNames], [want.ch_names, want.bads, want.proj_cols]);
      const mne = runPythonJson<{ ch_names: string[]; bads: string[]; proj_cols: string[] }>(`
import json, mne
ev = mne.read_evokeds(${JSON.stringify(again)}, condition=0, proj=False, verbose='error')
print(json.dumps(dict(ch_names=ev.ch_names, bads=ev.info['bads'], proj_cols=ev.info['projs'][0]['data']['col_names'])))`);
      assert.deepEqual([mne.ch_names, mne.bads, mne.proj_cols], [want.ch_names, want.bads, want.proj_cols]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
