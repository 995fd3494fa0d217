/**
 * `mxne serve` as a process: secure by default (a token off loopback, compared on every route but
 * the probes), structured logs with request ids, and SIGTERM: running jobs finish, queued ones are
 * kept and solved by the next start.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAIN } from '../helpers/cli.js';
import { isLoopback, bearerMatches, readToken, requireTokenOffLoopback } from '../../lib/service/auth.js';
import { startService, sweepIntervalMs } from '../../lib/service/service.js';
import { InputError } from '../../lib/errors.js';
import { FILES, SLOW, demoData, finished, submit, testService, waitFor } from './helpers.js';

interface Served { child: ChildProcess; url: string; log: string[]; exited: Promise<number | null> }

function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  child.stdout!.on('data', (d: Buffer) => log.push(...d.toString().split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (\S+)/.exec(err);
      if (m) resolve({ child, url: m[1], log, exited });
    });
    void exited.then((code) => reject(new Error(`mxne serve exited (${code}): ${err}`)));
  });
}

describe('service: mxne serve', function () {
  this.timeout(180_000);
  let tmp: string;
  let root: string;

  before(async () => {
    ({ tmp, root } = await demoData('mxne-serve-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('binding off loopback needs a token; with one, every route but the probes asks for it', async () => {
    assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && !isLoopback('0.0.0.0') && !isLoopback('10.0.0.2'));
    assert.throws(() => requireTokenOffLoopback('0.0.0.0', null), (e: unknown) => e instanceof InputError && e.field === '--host');
    await assert.rejects(startService({ port: 0, host: '0.0.0.0', results: path.join(tmp, 'r0'), jobs: 1, maxQueue: 1, jobTimeoutSeconds: 60, maxUploadBytes: 1, token: null }),
      (e: unknown) => e instanceof InputError && /token/.test(e.message));
    assert.throws(() => readToken(undefined, { MXNE_TOKEN: 'short' }), /at least 16/);
    const token = 'a-token-of-thirty-two-characters';
    assert.ok(bearerMatches(`Bearer ${token}`, token) && !bearerMatches(`Bearer ${token}x`, token) && !bearerMatches(token, token) && !bearerMatches(undefined, token));

    const s = await testService(tmp, root, { token });
    try {
      for (const url of ['/v1/jobs/00000000-0000-0000-0000-000000000000', '/metrics']) {
        const r = await s.app.inject({ url });
        assert.equal(r.statusCode, 401, url);
        assert.equal(r.headers['www-authenticate'], 'Bearer');
        assert.equal((await s.app.inject({ url, headers: { authorization: 'Bearer wrong-token-wrong-token' } })).statusCode, 401);
      }
      const post = await s.app.inject({ method: 'POST', url: '/v1/jobs', payload: FILES });
      assert.equal(post.statusCode, 401);
      assert.equal(fs.readdirSync(s.results).length, 0);
      assert.equal((await s.app.inject({ url: '/healthz' })).statusCode, 200);
      assert.equal((await s.app.inject({ url: '/readyz' })).statusCode, 200);
      assert.equal((await s.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
    } finally {
      await s.close();
    }
  });

  it('on SIGTERM finishes the running job, keeps the queued ones, and the next start solves them; logs carry request ids', async () => {
    const results = path.join(tmp, 'results');
    const first = await serve(['--data-root', root, '--results', results, '--jobs', '1']);
    const post = async (url: string, options: object) => {
      const r = await fetch(`${url}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...FILES, options }) });
      assert.equal(r.status, 202);
      return ((await r.json()) as { id: string }).id;
    };
    const running = await post(first.url, { ...SLOW, tol: 1e-8 });
    const queued = [await post(first.url, { alpha: 50 }), await post(first.url, { alpha: 60 })];
    for (;;) {
      const v = (await (await fetch(`${first.url}/v1/jobs/${running}`)).json()) as { state: string };
      if (v.state === 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    const state = (id: string) => JSON.parse(fs.readFileSync(path.join(results, id, 'job.json'), 'utf8')).state as string;
    assert.equal(state(running), 'done', 'the running job finished');
    assert.deepEqual(queued.map(state), ['queued', 'queued'], 'the queued jobs were kept');
    const line = first.log.map((l) => JSON.parse(l) as { reqId?: string; msg: string; job?: string }).find((l) => l.msg === 'job queued' && l.job === running);
    assert.match(line?.reqId ?? '', /^[0-9a-f-]{36}$/);

    const second = await serve(['--data-root', root, '--results', results, '--jobs', '1']);
    try {
      for (const id of queued) {
        for (;;) {
          const v = (await (await fetch(`${second.url}/v1/jobs/${id}`)).json()) as { state: string };
          if (v.state === 'done') break;
          assert.ok(['queued', 'running'].includes(v.state), v.state);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const old = (await (await fetch(`${second.url}/v1/jobs/${running}`)).json()) as { state: string };
      assert.equal(old.state, 'done', 'the restarted service knows the finished job');
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('forgets a finished job and removes its folder once --keep-finished has passed since it ended, at start too; running jobs stay', async () => {
    assert.deepEqual([sweepIntervalMs(1), sweepIntervalMs(86_400), sweepIntervalMs(60)], [1000, 600_000, 15_000]);
    const results = path.join(tmp, 'results-keep');
    const s = await startService({ port: 0, host: '127.0.0.1', dataRoot: root, results, jobs: 1, maxQueue: 4, jobTimeoutSeconds: 600, maxUploadBytes: 1, token: null, keepFinishedSeconds: 2 });
    let stopped = false;
    try {
      const quick = (await submit(s.app, { ...FILES, options: { alpha: 50 } })).json.id!;
      await waitFor(s.app, quick, finished);
      assert.ok(fs.existsSync(path.join(results, quick, 'out', 'result.json')));
      const t0 = Date.now();
      // The record goes first (the job is then unknown, never done without its files), then its folder.
      while ((await s.app.inject({ url: `/v1/jobs/${quick}` })).statusCode !== 404 || fs.existsSync(path.join(results, quick))) {
        assert.ok(Date.now() - t0 < 10_000, 'the finished job or its folder is still there after its 2 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      // A sweep of everything finished up to a minute from now leaves a running job alone.
      const slow = (await submit(s.app, { ...FILES, options: SLOW })).json.id!;
      await waitFor(s.app, slow, (x) => x.state === 'running');
      assert.equal(await s.queue.sweep(Date.now() + 60_000), 0);
      assert.equal((await s.app.inject({ url: `/v1/jobs/${slow}` })).statusCode, 200);
      assert.ok(fs.existsSync(path.join(results, slow, 'job.json')));
      await s.app.inject({ method: 'DELETE', url: `/v1/jobs/${slow}` });
      await s.stop();
      stopped = true;
      // A record left by an earlier run, finished an hour ago, goes when a service keeping 10 min starts.
      const record = JSON.parse(fs.readFileSync(path.join(results, slow, 'job.json'), 'utf8'));
      assert.equal(record.state, 'cancelled');
      fs.writeFileSync(path.join(results, slow, 'job.json'), JSON.stringify({ ...record, finishedAt: Date.now() - 3_600_000 }));
      const again = await startService({ port: 0, host: '127.0.0.1', dataRoot: root, results, jobs: 1, maxQueue: 4, jobTimeoutSeconds: 600, maxUploadBytes: 1, token: null, keepFinishedSeconds: 600 });
      try {
        const t1 = Date.now();
        while (fs.existsSync(path.join(results, slow))) {
          assert.ok(Date.now() - t1 < 5000, 'the old record is still there');
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.equal((await again.app.inject({ url: `/v1/jobs/${slow}` })).statusCode, 404);
      } finally {
        await again.stop();
      }
    } finally {
      if (!stopped) await s.stop();
    }
  });
});
