/** --bids: a generated derivatives tree (with and without sessions) gives one row per subject × condition. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { discoverBids } from '../../lib/batch/bids.js';
import { planRows } from '../../lib/batch/plan.js';
import { generateDemo } from '../../lib/demo/index.js';
import { InputError } from '../../lib/errors.js';
import { batchDefaults } from '../helpers/batchDefaults.js';
import { mxne } from '../helpers/cli.js';

describe('batch: --bids discovery', function () {
  this.timeout(60_000);
  let tmp: string;
  const place = (from: string, dir: string, names: Record<'fwd' | 'cov' | 'ave', string>) => {
    fs.mkdirSync(dir, { recursive: true });
    for (const [k, name] of Object.entries(names)) fs.copyFileSync(path.join(from, `demo-${k}.fif`), path.join(dir, name));
  };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-bids-'));
    await generateDemo({ outDir: path.join(tmp, 'demo'), nSources: 100, seed: 4, conditions: 3 });
    const d = path.join(tmp, 'demo');
    place(d, path.join(tmp, 'bids', 'sub-01', 'meg'), { fwd: 'sub-01_task-aud_fwd.fif', cov: 'sub-01_task-aud_cov.fif', ave: 'sub-01_task-aud_ave.fif' });
    // A session, and forward/covariance named without the task: the only ones in the folder.
    place(d, path.join(tmp, 'bids', 'sub-02', 'ses-a', 'meg'), { fwd: 'sub-02_ses-a_fwd.fif', cov: 'sub-02_ses-a_cov.fif', ave: 'sub-02_ses-a_task-aud_ave.fif' });
    fs.mkdirSync(path.join(tmp, 'bids', 'derivatives-notes'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('one row per subject × condition, with the matching forward and covariance', async () => {
    const m = await discoverBids(path.join(tmp, 'bids'));
    assert.deepEqual(m.rows.map((r) => [r.id, (r.values.condition as unknown[])[0]]), [
      ['sub-01_task-aud_Demo', 'Demo'], ['sub-01_task-aud_Demo-2', 'Demo 2'], ['sub-01_task-aud_Demo-3', 'Demo 3'],
      ['sub-02_ses-a_task-aud_Demo', 'Demo'], ['sub-02_ses-a_task-aud_Demo-2', 'Demo 2'], ['sub-02_ses-a_task-aud_Demo-3', 'Demo 3']]);
    assert.equal(path.basename(m.rows[4].forward), 'sub-02_ses-a_fwd.fif');
    assert.equal(path.basename(m.rows[4].covariance), 'sub-02_ses-a_cov.fif');
    // The FreeSurfer subject of each row (MRI slices, --morph-to) is its sub- folder, as MNE-BIDS-Pipeline names them.
    assert.deepEqual([...new Set(m.rows.map((r) => r.subject))], ['sub-01', 'sub-02']);
    const planned = planRows(m, { ...batchDefaults(), report: true, subjectsDir: path.join(tmp, 'subjects') }, path.join(tmp, 'out'));
    assert.deepEqual(planned.map((r) => r.job.subject), m.rows.map((r) => r.subject));
    assert.ok(planned.every((r) => r.job.report === true && r.job.subjectsDir === path.join(tmp, 'subjects')));
  });

  it('--dry-run prints the manifest: a CSV that reads back as a manifest of the same rows', async () => {
    const r = await mxne('batch', '--bids', path.join(tmp, 'bids'), '--dry-run');
    assert.equal(r.code, 0, r.stderr);
    const rows = parseCsv(r.stdout, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 6);
    assert.deepEqual(rows[1], { id: 'sub-01_task-aud_Demo-2', forward: 'sub-01/meg/sub-01_task-aud_fwd.fif', evoked: 'sub-01/meg/sub-01_task-aud_ave.fif', covariance: 'sub-01/meg/sub-01_task-aud_cov.fif', subject: 'sub-01', condition: 'Demo 2' });
    assert.equal(rows[4].subject, 'sub-02', 'the subject of a session\'s rows is its sub- folder');
  });

  it('two rows with one id (the same file stem in two sessions) are an InputError naming both evoked files', async () => {
    const d = path.join(tmp, 'demo'), root = path.join(tmp, 'bids-same-stem');
    place(d, path.join(root, 'sub-01', 'ses-a', 'meg'), { fwd: 'sub-01_fwd.fif', cov: 'sub-01_cov.fif', ave: 'sub-01_ave.fif' });
    place(d, path.join(root, 'sub-01', 'ses-b', 'meg'), { fwd: 'sub-01_fwd.fif', cov: 'sub-01_cov.fif', ave: 'sub-01_ave.fif' });
    const [a, b] = ['ses-a', 'ses-b'].map((ses) => path.join(root, 'sub-01', ses, 'meg', 'sub-01_ave.fif'));
    await assert.rejects(discoverBids(root), (e: unknown) => e instanceof InputError && /two rows named sub-01_Demo\b/.test(e.message) && e.message.includes(a) && e.message.includes(b));
  });

  it('an ambiguous forward and an empty folder are InputErrors', async () => {
    fs.copyFileSync(path.join(tmp, 'demo', 'demo-fwd.fif'), path.join(tmp, 'bids', 'sub-02', 'ses-a', 'meg', 'sub-02_ses-a_other_fwd.fif'));
    await assert.rejects(discoverBids(path.join(tmp, 'bids')), (e: unknown) => e instanceof InputError && /forward of .*sub-02_ses-a_task-aud_ave\.fif/.test(e.field));
    await assert.rejects(discoverBids(path.join(tmp, 'demo')), InputError);
  });
});
