/**
 * examples/: the Slurm array script runs a slice as an array task would (its environment), and
 * the Kubernetes Indexed Job's command, run with the pod's environment, takes its slice.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { generateDemo } from '../../lib/demo/index.js';
import { packageRoot } from '../../lib/native.js';
import type { BatchSummary } from '../../lib/batch/tables.js';
import { MAIN } from '../helpers/cli.js';

const EXAMPLES = path.join(packageRoot(), 'examples');

describe('batch: the cluster examples', function () {
  this.timeout(120_000);
  let tmp: string;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-examples-'));
    await generateDemo({ outDir: path.join(tmp, 'sub-1'), nSources: 100, seed: 7, conditions: 3 });
    const rows = [0, 1, 2].map((c) => `c${c},sub-1/demo-fwd.fif,sub-1/demo-ave.fif,sub-1/demo-cov.fif,${c}`);
    fs.writeFileSync(path.join(tmp, 'cohort.csv'), ['id,forward,evoked,covariance,condition', ...rows, ''].join('\n'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const shardRows = (out: string, name: string) => (JSON.parse(fs.readFileSync(path.join(out, name), 'utf8')) as BatchSummary).rows.map((r) => r.id);

  it('slurm-batch.sh as array tasks 0 and 1 of 2 (SLURM_ARRAY_TASK_*): the two slices cover the manifest', () => {
    const out = path.join(tmp, 'slurm');
    for (const id of ['0', '1']) {
      const r = spawnSync('bash', [path.join(EXAMPLES, 'slurm-batch.sh'), 'cohort.csv', out], {
        cwd: tmp, encoding: 'utf8',
        env: { ...process.env, MXNE: `${process.execPath} ${MAIN}`, SLURM_ARRAY_TASK_ID: id, SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '1', SLURM_CPUS_PER_TASK: '1' },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`shard ${id} of 2 \\(from Slurm array task ${id}`));
    }
    const ids = [...shardRows(out, 'batch-summary.shard-0-of-2.json'), ...shardRows(out, 'batch-summary.shard-1-of-2.json')];
    assert.deepEqual(ids.sort(), ['c0', 'c1', 'c2']);
  });

  it('k8s-indexed-job.yaml is an Indexed Job whose command, run as pod 0 would run it, takes slice 0 of MXNE_SHARDS = completions', () => {
    interface Container { command: string[]; env: Array<{ name: string; value: string }>; volumeMounts: Array<{ mountPath: string }> }
    const job = load(fs.readFileSync(path.join(EXAMPLES, 'k8s-indexed-job.yaml'), 'utf8')) as {
      kind: string; spec: { completionMode: string; completions: number; template: { spec: { containers: Container[] } } };
    };
    assert.equal(job.kind, 'Job');
    assert.equal(job.spec.completionMode, 'Indexed');
    const container = job.spec.template.spec.containers[0];
    const shards = container.env.find((e) => e.name === 'MXNE_SHARDS')!.value;
    assert.equal(Number(shards), job.spec.completions);
    const [bin, ...args] = container.command;
    assert.equal(bin, 'mxne');
    const mount = container.volumeMounts[0].mountPath;
    const local = args.map((a) => a.split(mount).join(tmp));
    const r = spawnSync(process.execPath, [MAIN, ...local], { encoding: 'utf8', env: { ...process.env, JOB_COMPLETION_INDEX: '0', MXNE_SHARDS: shards } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`shard 0 of ${shards} \\(from Kubernetes completion index 0 of ${shards}\\)`));
    assert.ok(fs.existsSync(path.join(tmp, 'results', `batch-summary.shard-0-of-${shards}.json`)));
  });
});
