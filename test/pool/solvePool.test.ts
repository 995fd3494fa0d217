/**
 * The worker pool: a pooled solve writes what an in-process solve writes; errors keep their class
 * and fields across the worker boundary; a failed row does not stop its group; a cancelled task
 * stops (queued: never starts; running: at the next epoch) and the pool goes on.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo, type DemoDataset } from '../../lib/demo/index.js';
import { FiffError, InputError, PoolError } from '../../lib/errors.js';
import { SolvePool } from '../../lib/pool/solvePool.js';
import { solveFiles, type SolveJob } from '../../lib/workflow/solveFiles.js';
import type { SolveSummary } from '../../lib/workflow/summary.js';
import { noLeakCheckEnv } from '../helpers/foreignEnv.js';
import { ENDLESS, demoJob, stable } from './poolJobs.js';

describe('pool: solves in worker threads', function () {
  this.timeout(120_000);
  let tmp: string;
  let demo: DemoDataset;
  let pool: SolvePool;
  const job = (out: string, mixedNorm?: SolveJob['mixedNorm']) => demoJob(demo, tmp, out, mixedNorm);

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-pool-'));
    demo = await generateDemo({ outDir: path.join(tmp, 'demo'), nSources: 600, seed: 5 });
    pool = new SolvePool({ jobs: 2 });
  });
  after(async () => {
    await pool.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a pooled solve writes the files an in-process solve writes, with the same result.json', async () => {
    const stages: string[] = [];
    const pooled = await pool.run(job('pooled'), { onStage: (_row, stage) => stages.push(stage) });
    const direct = await solveFiles(job('direct'));
    assert.deepEqual(stages, ['read', 'weights', 'solve', 'write']);
    assert.ok(pooled.dipoles.length > 0);
    assert.deepEqual(stable(pooled), stable(direct));
    assert.deepEqual(fs.readdirSync(path.join(tmp, 'pooled')).sort(), fs.readdirSync(path.join(tmp, 'direct')).sort());
    assert.equal(pooled.versions.openblasThreads, 1, 'one BLAS thread per worker');
  });

  it('solveInto writes what run writes and resolves with nothing (the summary stays in the worker); its errors keep their class', async () => {
    const summary = await pool.run(job('by-run'));
    assert.equal(await pool.solveInto(job('by-solveInto')), undefined);
    const written = JSON.parse(fs.readFileSync(path.join(tmp, 'by-solveInto', 'result.json'), 'utf8')) as SolveSummary;
    assert.deepEqual(stable(written), stable(summary));
    assert.deepEqual(fs.readdirSync(path.join(tmp, 'by-solveInto')).sort(), fs.readdirSync(path.join(tmp, 'by-run')).sort());
    await assert.rejects(pool.solveInto(job('bad-into', { alpha: 150 })), (e: unknown) => e instanceof InputError && e.field === 'alpha');
  });

  it('keepPreparation: a later task on the same forward and covariance (another crop, another alpha) gets the results of a fresh solve', async () => {
    const keeping = new SolvePool({ jobs: 1, keepPreparation: true });
    try {
      await keeping.run(job('warm'));
      const second = { ...job('kept'), tmax: 0.25, mixedNorm: { alpha: 40, nMxneIter: 10, weightsMin: 8, depth: 0.9, loose: 0.9 } };
      const kept = await keeping.run(second);
      const fresh = await solveFiles({ ...second, out: path.join(tmp, 'fresh') });
      assert.ok(kept.dipoles.length > 0);
      assert.deepEqual(stable(kept), stable(fresh));
    } finally {
      await keeping.close();
    }
  });

  it('errors keep their class and fields: a missing file is a FiffError naming it, a bad option an InputError naming it', async () => {
    const missing = { ...job('missing'), cov: path.join(tmp, 'nope-cov.fif') };
    await assert.rejects(pool.run(missing), (e: unknown) => e instanceof FiffError && e.file.endsWith('nope-cov.fif'));
    await assert.rejects(pool.run(job('bad', { alpha: 150 })), (e: unknown) => e instanceof InputError && e.field === 'alpha');
  });

  it('a failed row does not stop its group; each outcome arrives as it finishes', async () => {
    const rows = [{ ...job('g0'), evoked: path.join(tmp, 'none-ave.fif') }, job('g1')];
    const seen: number[] = [];
    const out = await pool.runGroup(rows, { onRow: (row) => seen.push(row) });
    assert.deepEqual(seen, [0, 1]);
    assert.ok(!out[0].ok && out[0].error instanceof FiffError);
    assert.ok(out[1].ok && out[1].summary.dipoles.length > 0);
  });

  it('a worker that dies mid-row fails that row only (EWORKER); the next rows run in a new worker', () => {
    // In a child process: a worker terminated under a native job leaves that job's promise unsettled
    // (Node-API cannot release it once JS cannot run), which LeakSanitizer would report at exit.
    const lib = path.resolve(__dirname, '../../lib');
    const script = `
      const fs = require('fs');
      const { SolvePool } = require(${JSON.stringify(path.join(lib, 'pool/solvePool.js'))});
      // One worker: ending it is ending the one solving row 0. With two, the idle one's termination
      // was still under way when the rest of the group was dispatched, and under load piscina could
      // hand the rest to it, so that row died too.
      const pool = new SolvePool({ jobs: 1 });
      const job = () => (${JSON.stringify({ fwd: demo.fwd, evoked: demo.evoked, cov: demo.cov, condition: 0, baseline: [null, 0], tmin: 0, tmax: 0.3, weights: 'dspm' })});
      const threads = () => pool.piscina.threads;
      (async () => {
        const before = new Set(threads().map((t) => t.threadId));
        let killed = -1;
        const rows = [{ ...job(), out: ${JSON.stringify(path.join(tmp, 'k0'))}, mixedNorm: { alpha: 'sure' } },
          { ...job(), out: ${JSON.stringify(path.join(tmp, 'k1'))}, mixedNorm: { alpha: 50, nMxneIter: 10, weightsMin: 8, depth: 0.9, loose: 0.9 } }];
        // End the worker while row 0 solves.
        const out = await pool.runGroup(rows, { onStage: (row, stage) => {
          if (row === 0 && stage === 'solve' && killed < 0) { killed = row; for (const t of threads()) void t.terminate(); } } });
        console.log(JSON.stringify({ killed, first: out[0].ok ? null : { name: out[0].error.name, code: out[0].error.code },
          second: out[1].ok ? out[1].summary.dipoles.length : -1, k0: fs.existsSync(rows[0].out), replaced: threads().some((t) => !before.has(t.threadId)) }));
        await pool.close();
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: noLeakCheckEnv(), timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const v = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(v.killed, 0);
    assert.deepEqual(v.first, { name: 'PoolError', code: 'EWORKER' });
    assert.ok(v.second > 0, 'the next row solved in a new worker');
    assert.equal(v.k0, false, 'nothing written for the row that died');
    assert.ok(v.replaced, 'piscina replaced the worker');
  });

  it('cancelling a running task stops its solve at the next epoch; the pool then solves the next task', async () => {
    const controller = new AbortController();
    const long = pool.run(job('cancelled', ENDLESS), {
      signal: controller.signal,
      onStage: (_row, stage) => { if (stage === 'solve') setTimeout(() => controller.abort(), 100); },
    });
    const t0 = performance.now();
    await assert.rejects(long, (e: unknown) => (e as Error).name === 'AbortError');
    assert.ok(performance.now() - t0 < 20_000);
    assert.ok(!fs.existsSync(path.join(tmp, 'cancelled')), 'nothing written');
    assert.ok((await pool.run(job('after'))).dipoles.length > 0);
  });

  it('process.exit() ends a process while a pooled solve runs (its worker runs the solve on its own thread)', () => {
    const lib = path.resolve(__dirname, '../../lib');
    const endless = job('exited', ENDLESS);
    const script = `
      const { SolvePool } = require(${JSON.stringify(path.join(lib, 'pool/solvePool.js'))});
      const pool = new SolvePool({ jobs: 1 });
      void pool.run(${JSON.stringify(endless)},
        { onStage: (_row, stage) => { if (stage === 'solve') setTimeout(() => process.exit(7), 300); } });`;
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: noLeakCheckEnv(), timeout: 60_000 });
    assert.equal(r.signal, null, `the child was killed (still solving): ${r.stderr}`);
    assert.equal(r.status, 7, r.stderr);
    assert.ok(performance.now() - t0 < 15_000, `exited after ${Math.round(performance.now() - t0)} ms`);
  });

  it("solves leave libuv's thread pool to this thread's file operations, even with as many solves as its threads", async () => {
    // Each worker runs its native jobs itself. On the libuv pool (4 threads unless UV_THREADPOOL_SIZE
    // says otherwise), four long native solves took every thread, and this thread's file operations
    // (a service's job records and results) waited until one ended.
    const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    const wide = new SolvePool({ jobs: threads });
    const controller = new AbortController();
    try {
      let solving = 0, allSolving!: () => void;
      const allStarted = new Promise<void>((resolve) => { allSolving = resolve; });
      const runs = Array.from({ length: threads }, (_, k) => wide.run(job(`wide${k}`, ENDLESS), {
        signal: controller.signal, onStage: (_row, stage) => { if (stage === 'solve' && ++solving === threads) allSolving(); },
      }).catch((e: unknown) => e));
      await allStarted;
      // Into their native solves: each prepares for ~0.1 s (600 sources) before its endless one.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const t0 = performance.now();
      const read = fs.promises.stat(__filename).then(() => performance.now() - t0);
      const ms = await Promise.race([read, new Promise<number>((resolve) => setTimeout(() => resolve(Infinity), 5000))]);
      assert.ok(ms < 1000, `a file check took ${ms} ms while ${threads} solves ran`);
      controller.abort();
      for (const e of await Promise.all(runs)) assert.equal((e as Error).name, 'AbortError');
    } finally {
      controller.abort();
      await wide.close();
    }
  });

  it('a queued task cancelled never starts; past maxQueue a task is refused with EQUEUEFULL', async () => {
    const small = new SolvePool({ jobs: 1, maxQueue: 1 });
    try {
      // Once the worker runs the first task (a starting worker adds to piscina's capacity).
      let running!: () => void;
      const isRunning = new Promise<void>((resolve) => { running = resolve; });
      const first = small.run(job('q0'), { onStage: () => running() });
      await isRunning;
      const controller = new AbortController();
      let started = false;
      const second = small.run(job('q1'), { signal: controller.signal, onStage: () => { started = true; } });
      await assert.rejects(small.run(job('q2')), (e: unknown) => e instanceof PoolError && e.code === 'EQUEUEFULL');
      controller.abort();
      await assert.rejects(second, (e: unknown) => (e as Error).name === 'AbortError');
      await first;
      assert.equal(started, false);
      assert.ok(!fs.existsSync(path.join(tmp, 'q1')));
    } finally {
      await small.close();
    }
  });
});
