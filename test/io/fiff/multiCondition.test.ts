/**
 * A gzipped -ave.fif.gz holding two conditions, written by MNE's write_evokeds: mxne picks each by
 * name and by index and reads what MNE reads (data from the same float32 values: identical).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readEvoked } from '../../../lib/index.js';
import { readNpyMatrix } from '../../../lib/io/npy.js';
import { assertClose } from '../../helpers/assert.js';
import { fixture, requireFixtures } from '../../helpers/fixtures.js';
import { requireMne, runPythonJson } from '../../helpers/python.js';

describe('readEvoked: two conditions in a .fif.gz written by MNE', function () {
  requireMne(this);
  requireFixtures(this);
  it('by name and by index, with a baseline', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-multi-'));
    const file = path.join(dir, 'two-ave.fif.gz');
    try {
      const want = runPythonJson<{ comments: string[]; nave: number[]; tmin: number[] }>(`
import json, numpy as np, mne
mne.set_log_level('error')
evs = [mne.read_evokeds(${JSON.stringify(fixture('inputs', 'left_auditory-ave.fif'))}, condition=0),
       mne.read_evokeds(${JSON.stringify(fixture('inputs', 'right_visual-ave.fif'))}, condition=0)]
mne.write_evokeds(${JSON.stringify(file)}, evs, overwrite=True)
out = mne.read_evokeds(${JSON.stringify(file)}, baseline=(None, 0))
for k, ev in enumerate(out):
    np.save(${JSON.stringify(dir)} + '/cond%d.npy' % k, ev.data)
print(json.dumps(dict(comments=[e.comment for e in out], nave=[e.nave for e in out], tmin=[float(e.times[0]) for e in out])))`);
      assert.equal(fs.readFileSync(file)[0], 0x1f);
      for (let k = 0; k < 2; k++) {
        const byName = await readEvoked(file, { condition: want.comments[k], baseline: [null, 0] });
        const byIndex = await readEvoked(file, { condition: k, baseline: [null, 0] });
        assert.deepEqual([byName.comment, byName.nave, byName.tmin], [want.comments[k], want.nave[k], want.tmin[k]]);
        assert.deepEqual(byIndex.data.data, byName.data.data);
        // README §1: the baseline mean is float64 arithmetic; summation order may differ in the last bits.
        assertClose(byName.data.data, readNpyMatrix(path.join(dir, `cond${k}.npy`)).data, 1e-12, `condition ${k}`);
      }
      await assert.rejects(readEvoked(file), { name: 'InputError', field: 'condition' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
