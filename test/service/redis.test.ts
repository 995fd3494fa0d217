/**
 * Scale-out on a real redis-server: `mxne serve --queue` accepts, `mxne worker` processes solve.
 * Two workers share the queue; a worker killed mid-job has its job finished elsewhere, once; a
 * restarted server loses no queued job; a job that crashes a worker's solve process twice fails
 * there, and the worker lives on; a timed-out job whose solve does not stop is killed; Redis
 * absent at start is a clear error, and Redis going away during a run only makes jobs wait.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { InputError } from '../../lib/errors.js';
import type { JobView } from '../../lib/service/jobRecord.js';
import { QUEUE_NAME, redisOptions } from '../../lib/service/redisConnection.js';
import { startWorker } from '../../lib/service/redisWorker.js';
import { startService, type RunningService } from '../../lib/service/service.js';
import { MAIN } from '../helpers/cli.js';
import { FILES, SLOW, demoData, finished, killNewSolveProcess, solveProcesses } from './helpers.js';
import { freePort, requireRedis, startRedis, type RedisServer } from './redisServer.js';

interface WorkerProcess { child: ChildProcess; exited: Promise<number | null> }

describe('service: scale-out on Redis (BullMQ)', function () {
  requireRedis(this);
  this.timeout(240_000);
  let tmp: string;
  let root: string;
  let results: string;
  let redis: RedisServer;
  const workers: WorkerProcess[] = [];
  const services: RunningService[] = [];

  const worker = (extra: string[] = []): Promise<WorkerProcess> => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, 'worker', '--queue', redis.url, '--results', results, '--jobs', '1', '--lock-seconds', '2', '--max-retries', '1', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (/taking jobs/.test(err)) resolve({ child, exited });
    });
    void exited.then((code) => reject(new Error(`mxne worker exited (${code}): ${err}`)));
    workers.push({ child, exited });
  });
  const serve = async () => {
    const s = await startService({ port: 0, host: '127.0.0.1', dataRoot: root, results, jobs: 1, maxQueue: 100, jobTimeoutSeconds: 600, maxUploadBytes: 1 << 20, token: null, queue: redis.url });
    services.push(s);
    return s;
  };
  const post = async (s: RunningService, options: object) => {
    const r = await s.app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...FILES, options } });
    assert.equal(r.statusCode, 202, r.body);
    return (r.json() as JobView).id;
  };
  const view = async (s: RunningService, id: string) => (await s.app.inject({ url: `/v1/jobs/${id}` })).json() as JobView;
  const until = async (s: RunningService, id: string, ok: (v: JobView) => boolean, ms = 90_000) => {
    const t0 = Date.now();
    for (;;) {
      const v = await view(s, id);
      if (ok(v)) return v;
      assert.ok(Date.now() - t0 < ms, `job ${id} still ${v.state} (${JSON.stringify(v.error)})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const metric = async (s: RunningService, state: string) =>
    Number(new RegExp(`mxne_jobs_finished_total\\{state="${state}"\\} (\\d+)`).exec((await s.app.inject({ url: '/metrics' })).body)![1]);
  const stopWorkers = async () => {
    for (const w of workers.splice(0)) { if (w.child.exitCode === null) w.child.kill('SIGTERM'); await w.exited; }
  };

  before(async () => {
    ({ tmp, root } = await demoData('mxne-redis-'));
    results = path.join(tmp, 'results');
    fs.mkdirSync(path.join(tmp, 'redis'));
    redis = await startRedis(path.join(tmp, 'redis'));
  });
  afterEach(async () => {
    await stopWorkers();
    for (const s of services.splice(0)) await s.stop();
  });
  after(async () => {
    await redis?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('Redis unreachable at start: serve and worker fail with an error naming --queue', async () => {
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    const isClear = (e: unknown) => e instanceof InputError && e.field === '--queue' && /reachable Redis/.test(e.message) && e.message.includes(nobody);
    await assert.rejects(startService({ port: 0, host: '127.0.0.1', results, jobs: 1, maxQueue: 1, jobTimeoutSeconds: 60, maxUploadBytes: 1, token: null, queue: nobody }), isClear);
    await assert.rejects(startWorker({ url: nobody, results, jobs: 1, maxRetries: 1, lockSeconds: 2, timeoutSeconds: 60 }), isClear);
  });

  it('two workers share the queue; each job is solved once; the result is the same as in-process', async () => {
    const s = await serve();
    await Promise.all([worker(), worker()]);
    const ids = [];
    for (let k = 0; k < 6; k++) ids.push(await post(s, { alpha: 50 + k }));
    // A long poll over Redis (no change events: the server reads the record every 250 ms) is answered on the job's next state.
    const before = await view(s, ids[5]);
    const t0 = Date.now();
    const next = (await s.app.inject({ url: `/v1/jobs/${ids[5]}?wait=60` })).json() as JobView;
    if (before.state !== 'done') assert.notEqual(next.state, before.state);
    assert.ok(Date.now() - t0 < 50_000, `answered after ${Date.now() - t0} ms`);
    const views = await Promise.all(ids.map((id) => until(s, id, (v) => v.state === 'done' || v.state === 'failed')));
    assert.deepEqual(views.map((v) => v.state), ids.map(() => 'done'));
    const q = new Queue(QUEUE_NAME, { connection: redisOptions(redis.url) });
    try {
      const by = await Promise.all(ids.map(async (id) => (await q.getJob(id))!.processedBy));
      assert.equal(new Set(by).size, 2, `both workers took jobs: ${by.join(', ')}`);
    } finally {
      await q.close();
    }
    const result = (await s.app.inject({ url: `/v1/jobs/${ids[0]}/result` })).json();
    assert.equal(result.options.mixedNorm.alpha, 50);
    assert.ok(result.dipoles.length > 0);
    assert.equal(await metric(s, 'done'), 6);
  });

  it('a worker SIGKILLed mid-job: the job completes on another worker, once', async () => {
    const s = await serve();
    const doneBefore = await metric(s, 'done');
    const a = await worker();
    const id = await post(s, { alpha: 'sure', tol: 1e-8, maxit: 100000 });
    await until(s, id, (v) => v.state === 'running' && v.progress.stage === 'solve');
    a.child.kill('SIGKILL');
    await a.exited;
    await worker();
    const v = await until(s, id, (x) => x.state === 'done' || x.state === 'failed');
    assert.equal(v.state, 'done', JSON.stringify(v.error));
    const q = new Queue(QUEUE_NAME, { connection: redisOptions(redis.url) });
    try {
      const job = (await q.getJob(id))!;
      assert.equal(job.stalledCounter, 1, 'put back once by the stalled-job check');
    } finally {
      await q.close();
    }
    assert.equal(await metric(s, 'done'), doneBefore + 1, 'counted once');
    assert.equal(await metric(s, 'failed'), 0);
    assert.ok(fs.existsSync(path.join(results, id, 'out', 'result.json')));
  });

  it('a job whose worker dies more often than --max-retries fails, counted once', async () => {
    const s = await serve();
    const a = await worker(['--max-retries', '0']);
    const id = await post(s, { alpha: 'sure', tol: 1e-8, maxit: 100000 });
    await until(s, id, (v) => v.state === 'running' && v.progress.stage === 'solve');
    a.child.kill('SIGKILL');
    await a.exited;
    await worker(['--max-retries', '0']);
    const v = await until(s, id, (x) => x.state === 'done' || x.state === 'failed');
    assert.equal(v.state, 'failed');
    assert.equal(v.error!.code, 'EWORKER');
    assert.match(v.error!.message, /stalled/);
    assert.equal(await metric(s, 'failed'), 1);
    assert.equal(await metric(s, 'done'), 0);
  });

  it("a job whose solve process crashes twice on a worker fails (EWORKER) without a retry elsewhere; a timed-out job whose solve does not stop is killed after the grace period; the worker solves the next job", async function () {
    if (process.platform !== 'linux') this.skip();
    const s = await serve();
    const known = new Set(solveProcesses());
    const inProcess = (timeoutSeconds: number) => startWorker({ url: redis.url, results, jobs: 1, maxRetries: 1, lockSeconds: 30, timeoutSeconds, stopGraceSeconds: 1 });
    let w = await inProcess(600);
    try {
      const crashed = await post(s, SLOW);
      await until(s, crashed, (v) => v.state === 'running');
      await killNewSolveProcess(known);
      await killNewSolveProcess(known);
      const v = await until(s, crashed, finished);
      assert.equal(v.error?.code, 'EWORKER', JSON.stringify(v));
      assert.equal(await metric(s, 'failed'), 1);
      const q = new Queue(QUEUE_NAME, { connection: redisOptions(redis.url) });
      try {
        assert.equal((await q.getJob(crashed))!.stalledCounter, 0, 'not put back: the worker itself lived on');
      } finally {
        await q.close();
      }
      assert.equal((await until(s, await post(s, { alpha: 50 }), finished)).state, 'done');
    } finally {
      await w.close();
    }
    // A timeout the next job (well under a second, a few under ASan) stays within.
    w = await inProcess(5);
    try {
      const pid = solveProcesses().find((p) => !known.has(p))!;
      const stuck = await post(s, SLOW);
      await until(s, stuck, (v) => v.state === 'running');
      // A process that no longer runs answers no cancel: only the kill after the grace period stops it.
      process.kill(pid, 'SIGSTOP');
      const v = await until(s, stuck, finished, 30_000);
      assert.equal(v.error?.code, 'ETIMEOUT', JSON.stringify(v));
      assert.ok(!solveProcesses().includes(pid), 'the stopped solve process was killed');
      assert.equal((await until(s, await post(s, { alpha: 50 }), finished)).state, 'done');
    } finally {
      await w.close();
    }
  });

  it('a server restarted with jobs queued loses none; cancelling a queued job removes it from Redis', async () => {
    const first = await serve();
    const ids = [await post(first, { alpha: 45 }), await post(first, { alpha: 46 }), await post(first, { alpha: 47 })];
    const cancelled = await post(first, { alpha: 48 });
    await first.stop();
    services.splice(services.indexOf(first), 1);
    const second = await serve();
    for (const id of ids) assert.equal((await view(second, id)).state, 'queued');
    const c = await second.app.inject({ method: 'DELETE', url: `/v1/jobs/${cancelled}` });
    assert.equal(c.json().state, 'cancelled');
    await worker();
    for (const id of ids) assert.equal((await until(second, id, (v) => v.state === 'done' || v.state === 'failed')).state, 'done');
    assert.equal((await view(second, cancelled)).state, 'cancelled');
  });

  it('a running job cancelled through the server stops on its worker', async () => {
    const s = await serve();
    // The default lock: with the 2-s lock the kill tests need, a worker starved for a second on a
    // busy machine is taken for dead and its job moved back (a stall, not a cancellation).
    await worker(['--lock-seconds', '30']);
    const id = await post(s, { alpha: 'sure', tol: 1e-12, maxit: 100000 });
    await until(s, id, (v) => v.state === 'running' && v.progress.stage === 'solve');
    const r = await s.app.inject({ method: 'DELETE', url: `/v1/jobs/${id}` });
    assert.equal(r.json().state, 'cancelled', JSON.stringify(r.json()));
    assert.ok(!fs.existsSync(path.join(results, id, 'out')));
  });

  it('a job read while it finishes is never shown finished with the data it had while running', async () => {
    const s = await serve();
    await worker();
    const id = await post(s, { alpha: 45 });
    await until(s, id, (v) => v.state === 'running');
    // The interleaving a busy server meets by chance, forced: the job's data are read, then the
    // worker finishes it, then whatever else the view reads.
    const getJob = Queue.prototype.getJob;
    Queue.prototype.getJob = async function (this: Queue, jobId: string) {
      const job = await getJob.call(this, jobId);
      for (let k = 0; k < 1200 && (await this.getJobState(jobId)) === 'active'; k++) await new Promise((r) => setTimeout(r, 50));
      return job;
    } as typeof getJob;
    let v: JobView;
    try { v = await view(s, id); } finally { Queue.prototype.getJob = getJob; }
    assert.ok(v.state === 'running' || (v.state === 'done' && v.timings.finishedAt !== null), JSON.stringify(v));
    assert.equal((await until(s, id, (x) => x.state === 'done' || x.state === 'failed')).state, 'done');
  });

  it('Redis going away during a run: jobs wait and none is lost', async () => {
    const s = await serve();
    await worker();
    const ids = [];
    for (let k = 0; k < 4; k++) ids.push(await post(s, { alpha: 'sure', tol: 1e-6 }));
    await until(s, ids[0], (v) => v.state === 'running');
    await redis.stop();
    assert.equal((await s.app.inject({ url: '/readyz' })).statusCode, 503);
    await new Promise((r) => setTimeout(r, 1500));
    redis = await startRedis(path.join(tmp, 'redis'), redis.port);
    const views = await Promise.all(ids.map((id) => until(s, id, (v) => v.state === 'done' || v.state === 'failed', 120_000)));
    assert.deepEqual(views.map((v) => v.state), ids.map(() => 'done'), JSON.stringify(views.map((v) => v.error)));
    assert.equal((await s.app.inject({ url: '/readyz' })).statusCode, 200);
  });

  it('a sweep past the retention takes finished jobs out of Redis and their folders away; a queued job stays', async () => {
    const s = await serve();
    const w = await worker();
    const done = await post(s, { alpha: 50 });
    await until(s, done, (v) => v.state === 'done');
    w.child.kill('SIGTERM');
    await w.exited;
    // With no worker left: one job cancelled before any took it (its record is a job.json), one left queued.
    const cancelled = await post(s, { alpha: 51 });
    assert.equal((await s.app.inject({ method: 'DELETE', url: `/v1/jobs/${cancelled}` })).statusCode, 202);
    const queued = await post(s, { alpha: 52 });
    assert.ok(fs.existsSync(path.join(results, done, 'out', 'result.json')) && fs.existsSync(path.join(results, cancelled, 'job.json')));
    assert.ok(await s.queue.sweep(Date.now() + 1000) >= 2);
    for (const id of [done, cancelled]) {
      assert.equal((await s.app.inject({ url: `/v1/jobs/${id}` })).statusCode, 404, id);
      assert.ok(!fs.existsSync(path.join(results, id)), id);
    }
    assert.equal((await view(s, queued)).state, 'queued');
    assert.equal((await s.app.inject({ method: 'DELETE', url: `/v1/jobs/${queued}` })).statusCode, 202);
  });

  it('a worker told to stop (SIGTERM) while Redis is unreachable exits, where BullMQ alone waits for Redis forever', async () => {
    const dir = path.join(tmp, 'redis-gone');
    fs.mkdirSync(dir);
    const gone = await startRedis(dir);
    const child = spawn(process.execPath, [MAIN, 'worker', '--queue', gone.url, '--results', results, '--jobs', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let err = '';
    await new Promise<void>((resolve) => child.stderr!.on('data', (d: Buffer) => { err += d.toString(); if (/taking jobs/.test(err)) resolve(); }));
    await gone.stop();
    child.kill('SIGTERM');
    try {
      assert.equal(await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000, 'still running'))]), 0, err);
      assert.match(err, /mxne worker: stopped/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
