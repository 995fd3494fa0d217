/**
 * Manifests: CSV and JSON lines read the same; option columns go through mxne solve's option
 * definitions; every problem is reported with its row and column before any work.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkManifest, ManifestError, readManifest } from '../../lib/batch/manifest.js';
import { groupRows, planRows } from '../../lib/batch/plan.js';
import { batchDefaults } from '../helpers/batchDefaults.js';
import { mxne } from '../helpers/cli.js';

describe('batch: manifest', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-manifest-'));
    fs.mkdirSync(path.join(tmp, 'sub-1'));
    for (const f of ['fwd.fif', 'ave.fif', 'cov.fif']) fs.writeFileSync(path.join(tmp, 'sub-1', f), 'x');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const problems = async (text: string, name = 'm.csv') => {
    try {
      await readManifest(write(name, text));
    } catch (e) {
      assert.ok(e instanceof ManifestError, String(e));
      return e.problems;
    }
    assert.fail('the manifest was accepted');
  };

  it('reads CSV with paths relative to the manifest, option cells parsed as mxne solve parses them', async () => {
    const m = await readManifest(write('m.csv', 'id,forward,evoked,covariance,condition,alpha,n_mxne_iter,debias,baseline\n' +
      'a,sub-1/fwd.fif,sub-1/ave.fif,sub-1/cov.fif,Left,40,5,false,"-0.1,0"\n' +
      'b,sub-1/fwd.fif,sub-1/ave.fif,sub-1/cov.fif,1,sure,,,\n'));
    assert.equal(m.rows.length, 2);
    assert.equal(m.rows[0].forward, path.join(tmp, 'sub-1', 'fwd.fif'));
    assert.deepEqual(m.rows[0].values, { condition: ['Left'], alpha: 40, nMxneIter: 5, debias: false, baseline: [-0.1, 0] });
    assert.deepEqual(m.rows[1].values, { condition: [1], alpha: 'sure' });
  });

  it('reads JSON lines to the same rows', async () => {
    const csv = await readManifest(write('m.csv', 'id,forward,evoked,covariance,alpha,loose\na,sub-1/fwd.fif,sub-1/ave.fif,sub-1/cov.fif,40,0.5\n'));
    const jsonl = await readManifest(write('m.jsonl', '{"id":"a","forward":"sub-1/fwd.fif","evoked":"sub-1/ave.fif","covariance":"sub-1/cov.fif","alpha":40,"loose":0.5}\n'));
    assert.deepEqual(jsonl.rows, csv.rows);
  });

  it('a row\'s cells win over the batch\'s options, which win over the defaults; rows group by forward and covariance', async () => {
    const m = await readManifest(write('m.csv', 'id,forward,evoked,covariance,alpha\na,sub-1/fwd.fif,sub-1/ave.fif,sub-1/cov.fif,40\nb,sub-1/fwd.fif,sub-1/ave.fif,sub-1/cov.fif,\n'));
    const rows = planRows(m, { ...batchDefaults(), alpha: 30, depth: 'none' }, path.join(tmp, 'out'));
    assert.equal(rows[0].job.mixedNorm.alpha, 40);
    assert.equal(rows[1].job.mixedNorm.alpha, 30);
    assert.equal(rows[1].job.mixedNorm.depth, null);
    assert.equal(rows[1].job.mixedNorm.nMxneIter, 10, 'mxne solve\'s default');
    assert.equal(rows[0].job.out, path.join(tmp, 'out', 'a'));
    assert.deepEqual(groupRows(rows).map((g) => g.map((r) => r.id)), [['a', 'b']]);
  });

  it('rejects a missing column, an unknown option (with a suggestion), a run control as a column', async () => {
    assert.deepEqual(await problems('id,forward,evoked\na,sub-1/fwd.fif,sub-1/ave.fif\n'), ['column "covariance": missing (the columns are id, forward, evoked, covariance, then mxne solve options)']);
    const [unknown] = await problems('id,forward,evoked,covariance,alpah\na,sub-1/fwd.fif,sub-1/ave.fif,sub-1/cov.fif,3\n');
    assert.equal(unknown, 'column "alpah": not an option of mxne solve (did you mean alpha?)');
    const [control] = await problems('id,forward,evoked,covariance,threads\na,sub-1/fwd.fif,sub-1/ave.fif,sub-1/cov.fif,3\n');
    assert.match(control, /^column "threads": --threads is a control of the run/);
  });

  it('lists every bad row with its row number and column: duplicate id, unreadable path, bad values', async () => {
    const list = await problems('id,forward,evoked,covariance,alpha,debias\n' +
      'a,sub-1/fwd.fif,sub-1/ave.fif,sub-1/cov.fif,40,\n' +
      'a,sub-1/fwd.fif,sub-1/none.fif,sub-1/cov.fif,abc,maybe\n' +
      '../x,sub-1/fwd.fif,sub-1/ave.fif,sub-1/cov.fif,,\n');
    assert.deepEqual(list.map((p) => p.split(':')[0]), ['row 2, column "id"', 'row 2, column "debias"', 'row 2, column "alpha"', 'row 2, column "evoked"', 'row 3, column "id"']);
    assert.match(list[2], /expected a number, got "abc"/);
    assert.match(list[3], /cannot read .*none\.fif \(ENOENT\)/);
  });

  it('an optional subject column names each row\'s FreeSurfer subject (over the batch\'s --subject); a path is refused', async () => {
    const m = await readManifest(write('m.csv', 'id,forward,evoked,covariance,subject\na,sub-1/fwd.fif,sub-1/ave.fif,sub-1/cov.fif,sample_ds\nb,sub-1/fwd.fif,sub-1/ave.fif,sub-1/cov.fif,\n'));
    assert.deepEqual(m.rows.map((r) => [r.subject, r.options]), [['sample_ds', {}], [undefined, {}]]);
    const rows = planRows(m, { ...batchDefaults(), subject: 'fallback', subjectsDir: tmp }, path.join(tmp, 'out'));
    assert.deepEqual(rows.map((r) => [r.job.subject, r.job.report]), [['sample_ds', false], ['fallback', false]], 'no report unless asked (API callers)');
    assert.deepEqual(await problems('id,forward,evoked,covariance,subject\na,sub-1/fwd.fif,sub-1/ave.fif,sub-1/cov.fif,../x\n'),
      ['row 1, column "subject": "../x" is not a plain name (a folder of --subjects-dir)']);
  });

  it('checks option values as a solve would (loose 2), naming the row', async () => {
    const m = await checkManifest(path.join(tmp, 'm.csv'), 'id,forward,evoked,covariance,loose\na,sub-1/fwd.fif,sub-1/ave.fif,sub-1/cov.fif,2\n');
    assert.throws(() => planRows(m, batchDefaults(), tmp), (e: unknown) => e instanceof ManifestError && /^row 1, column "loose"/.test(e.problems[0]));
  });

  it('the CLI refuses a bad manifest before any work: exit 2, one line, no output folder', async function () {
    this.timeout(20_000);
    const out = path.join(tmp, 'never');
    const r = await mxne('batch', write('bad.csv', 'id,forward,evoked,covariance\na,sub-1/none.fif,sub-1/ave.fif,sub-1/cov.fif\n'), '--out', out);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^mxne: .*bad\.csv: 1 problem\(s\), nothing was run: row 1, column "forward": cannot read/m);
    assert.equal(fs.existsSync(out), false);
  });
});
