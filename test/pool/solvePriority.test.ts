/**
 * Solve priority (SolvePoolOptions.solveNice, lowerJobPriority): the pool's worker threads and the
 * threads that ran native jobs end at the target nice value, the creating thread keeps its own,
 * and a thread is never lowered again. Read from /proc (Linux), in a child process: renicing is for the
 * life of a process. What this buys (event-loop stalls with solves in flight) is measured in
 * bench/, not here.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo, type DemoDataset } from '../../lib/demo/index.js';
import { InputError } from '../../lib/errors.js';
import { SolvePool } from '../../lib/pool/solvePool.js';
import { threadNice } from '../../lib/native.js';
import { recordSkip } from '../helpers/skips.js';

describe('pool: solve priority (nice values of the solve threads)', function () {
  this.timeout(120_000);
  let tmp: string;
  let demo: DemoDataset;

  before(async function () {
    const base = threadNice();
    // The test needs room to raise the nice value by 5 and see it: not on a thread already near 19.
    if (process.platform !== 'linux' || base === null || base > 14) {
      recordSkip('a Linux thread with nice ≤ 14', 'Run the tests at a nice value of 14 or less (nice -n 10 is fine).', __filename);
      this.skip();
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-priority-'));
    demo = await generateDemo({ outDir: path.join(tmp, 'demo'), nSources: 300, seed: 3 });
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('solveNice 5: the workers are 5 above the creating thread, which keeps its nice value, as do the libuv threads (the workers run their native jobs themselves)', () => {
    const lib = path.resolve(__dirname, '../../lib');
    const script = `
      const fs = require('fs');
      const native = require(${JSON.stringify(path.join(lib, 'native.js'))});
      const { SolvePool } = require(${JSON.stringify(path.join(lib, 'pool/solvePool.js'))});
      // Each thread of this process: its nice value (field 19 of /proc/self/task/<tid>/stat).
      const nices = () => fs.readdirSync('/proc/self/task').map((tid) => Number(fs.readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[16]));
      (async () => {
        const base = native.threadNice();
        const before = nices();
        const pool = new SolvePool({ jobs: 2, solveNice: 5 });
        const summary = await pool.run(${JSON.stringify({ fwd: demo.fwd, evoked: demo.evoked, cov: demo.cov, out: path.join(tmp, 'out'), condition: 0, baseline: [null, 0], tmin: 0, tmax: 0.3, weights: 'dspm', mixedNorm: { alpha: 50, nMxneIter: 10, weightsMin: 8, depth: 0.9, loose: 0.9 } })});
        const after = nices();
        const main = native.threadNice();
        // A thread never comes back down: asking for less than it has changes nothing.
        const raisedMain = native.setThreadNice(base + 5);
        const again = native.setThreadNice(base);
        console.log(JSON.stringify({ base, before, after, main, raisedMain, again, dipoles: summary.dipoles.length }));
        await pool.close();
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const v = JSON.parse(r.stdout.trim().split('\n').pop()!) as { base: number; before: number[]; after: number[]; main: number; raisedMain: number; again: number; dipoles: number };
    const target = v.base + 5;
    assert.ok(v.dipoles > 0, 'the solve ran');
    assert.ok(v.before.every((n) => n === v.base), `before the pool every thread is at ${v.base}: ${v.before}`);
    assert.equal(v.main, v.base, 'the creating thread keeps its nice value');
    assert.equal(v.raisedMain, target);
    assert.equal(v.again, target, 'setThreadNice never lowers a thread');
    // The two workers and nothing else: the libuv threads, which serve the creating thread's file
    // operations, never ran a solve's native job.
    const raised = v.after.filter((n) => n === target).length;
    assert.equal(raised, 2, `threads at ${target}: ${v.after}`);
    assert.ok(v.after.every((n) => n === v.base || n === target), `only the base and the target: ${v.after}`);
  });

  it('solveNice must be an integer from 0 to 39', () => {
    assert.throws(() => new SolvePool({ jobs: 1, solveNice: -1 }), (e: unknown) => e instanceof InputError && e.field === 'solveNice');
    assert.throws(() => new SolvePool({ jobs: 1, solveNice: 2.5 }), (e: unknown) => e instanceof InputError && e.field === 'solveNice');
  });
});
