/**
 * The service's job API on the in-process queue: inputs confined to the data root, options checked
 * with the CLI's definitions, results equal to `mxne solve`, the bounded queue, cancel, timeout,
 * errors without host paths, a crashed solve process.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mxne } from '../helpers/cli.js';
import type { DemoDataset } from '../../lib/demo/index.js';
import { FILES, SLOW, demoData, finished, killNewSolveProcess, solveProcesses, submit, testService, waitFor, type TestService } from './helpers.js';

describe('service: jobs on the in-process queue', function () {
  this.timeout(180_000);
  let tmp: string;
  let root: string;
  let demo: DemoDataset;
  let s: TestService;

  before(async () => {
    ({ tmp, root, demo } = await demoData('mxne-service-'));
    fs.symlinkSync('/etc/hostname', path.join(root, 'escape-fwd.fif'));
    fs.mkdirSync(path.join(tmp, 'outside'));
    fs.copyFileSync(demo.fwd, path.join(tmp, 'outside', 'other-fwd.fif'));
    s = await testService(tmp, root);
  });
  after(async () => {
    await s.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses paths that resolve outside the data root (.., absolute elsewhere, a symbolic link out), naming the field', async () => {
    for (const [field, given, why] of [
      ['fwd', '../outside/other-fwd.fif', 'points outside'],
      ['fwd', path.join(tmp, 'outside', 'other-fwd.fif'), 'points outside'],
      ['fwd', 'escape-fwd.fif', 'symbolic link leads outside'],
      ['evoked', 'sub/../../outside/other-fwd.fif', 'points outside'],
      ['cov', 'missing-cov.fif', 'no such file'],
    ] as const) {
      const r = await submit(s.app, { ...FILES, [field]: given });
      assert.equal(r.status, 400, given);
      const e = r.json.error as { field: string; message: string };
      assert.equal(e.field, field);
      assert.match(e.message, new RegExp(why));
      assert.ok(!e.message.includes(root), 'the data root is not revealed');
    }
    // An absolute path inside the root is fine.
    const ok = await submit(s.app, { ...FILES, fwd: path.join(root, FILES.fwd), options: { alpha: 50 } });
    assert.equal(ok.status, 202);
    assert.equal((await waitFor(s.app, ok.json.id as string, finished)).state, 'done');
  });

  it('an unknown option is a 400 with a suggestion; a bad value names options.<name>; an unknown field too', async () => {
    let r = await submit(s.app, { ...FILES, options: { alpah: 50 } });
    assert.equal(r.status, 400);
    assert.deepEqual(Object.keys(r.json), ['error']);
    assert.equal((r.json.error as { field: string }).field, 'options.alpah');
    assert.match((r.json.error as { message: string }).message, /did you mean "alpha"\?/);
    r = await submit(s.app, { ...FILES, options: { n_mxne_iter: 3 } });
    assert.match((r.json.error as { message: string }).message, /did you mean "nMxneIter"\?/);
    r = await submit(s.app, { ...FILES, options: { alpha: 150 } });
    assert.equal(r.status, 400);
    assert.equal((r.json.error as { field: string }).field, 'options.alpha');
    r = await submit(s.app, { ...FILES, options: { loose: 'tight' } });
    assert.equal((r.json.error as { field: string }).field, 'options.loose');
    r = await submit(s.app, { ...FILES, options: { weights: 'mne' } });
    assert.equal((r.json.error as { field: string }).field, 'options.weights');
    r = await submit(s.app, { ...FILES, option: {} });
    assert.equal(r.status, 400);
    assert.match((r.json.error as { message: string }).message, /did you mean "options"\?/);
    r = await submit(s.app, { fwd: FILES.fwd, evoked: FILES.evoked });
    assert.equal((r.json.error as { field: string }).field, 'cov');
  });

  it('a job\'s result.json is that of `mxne solve --no-report` on the same inputs and options (timings and host paths aside)', async () => {
    const options = { alpha: 40, depth: 0.8, loose: 0.5, nMxneIter: 5, weightsMin: 2, tmin: 0.01, tmax: 0.25 };
    const r = await submit(s.app, { ...FILES, options });
    assert.equal(r.status, 202);
    assert.equal(r.headers.location, `/v1/jobs/${r.json.id}`);
    const view = await waitFor(s.app, r.json.id as string, finished);
    assert.equal(view.state, 'done', JSON.stringify(view.error));
    assert.ok(view.timings.runSeconds! > 0 && view.progress.epochs! > 0);
    const served = (await s.app.inject({ url: `/v1/jobs/${view.id}/result` })).json();
    const out = path.join(tmp, 'cli-out');
    const cli = await mxne('solve', '--no-report', '--fwd', demo.fwd, '--evoked', demo.evoked, '--cov', demo.cov, '--out', out,
      '--alpha', '40', '--depth', '0.8', '--loose', '0.5', '--n-mxne-iter', '5', '--weights-min', '2', '--tmin', '0.01', '--tmax', '0.25');
    assert.equal(cli.code, 0, cli.stderr);
    const expected = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8'));
    const stable = (x: { timings: unknown; inputs: Record<string, { path: string; sha256: string }> }) =>
      ({ ...x, timings: {}, inputs: Object.fromEntries(Object.entries(x.inputs).map(([k, v]) => [k, v.sha256])) });
    assert.ok(expected.dipoles.length > 0);
    assert.deepEqual(stable(served), stable(expected));
    assert.equal(served.inputs.fwd.path, FILES.fwd, 'inputs named as the client named them');
    // The same file under /files: it too names no host path (it used to be served as the worker wrote it, paths and all).
    const asFile = await s.app.inject({ url: `/v1/jobs/${view.id}/files/result.json` });
    assert.equal(asFile.statusCode, 200);
    assert.deepEqual(asFile.json(), served);
    assert.ok(!asFile.body.includes(tmp) && !JSON.stringify(served).includes(tmp), 'no host path in result.json');
    const bdip = await s.app.inject({ url: `/v1/jobs/${view.id}/files/dipole-00.bdip` });
    assert.equal(bdip.statusCode, 200);
    assert.deepEqual(bdip.rawPayload, fs.readFileSync(path.join(out, 'dipoles', 'dipole-00.bdip')));
    for (const bad of ['job.json', '..%2Fjob.json', '%2Fetc%2Fpasswd', 'dipoles%2Fdipole-00.bdip']) {
      assert.equal((await s.app.inject({ url: `/v1/jobs/${view.id}/files/${bad}` })).statusCode, 400, bad);
    }
    assert.equal((await s.app.inject({ url: `/v1/jobs/${view.id}/files/dipole-99.dip` })).statusCode, 404);
    const metrics = (await s.app.inject({ url: '/metrics' })).body;
    assert.match(metrics, /mxne_jobs_finished_total\{state="done"\} [1-9]/);
    assert.match(metrics, /mxne_solve_seconds_count [1-9]/);
    assert.match(metrics, /mxne_jobs_queued 0/);
  });

  it('a job that fails reports a typed error without a stack or a host path', async () => {
    // A covariance given as the evoked file: read only in the worker (the path itself is fine).
    const r = await submit(s.app, { ...FILES, evoked: FILES.cov });
    const v = await waitFor(s.app, r.json.id as string, finished);
    assert.equal(v.state, 'failed');
    assert.equal(v.error!.code, 'EFIFF');
    assert.match(v.error!.message, /^demo-cov\.fif/);
    assert.ok(!JSON.stringify(v).includes(tmp) && !/\n\s+at /.test(v.error!.message));
    assert.equal((await s.app.inject({ url: `/v1/jobs/${v.id}/result` })).statusCode, 409);
  });

  it('cancels a queued job (it never starts) and a running one (it stops at the next epoch); DELETE again forgets it', async () => {
    const one = await testService(tmp, root, { jobs: 1, maxQueue: 4 });
    try {
      const running = (await submit(one.app, { ...FILES, options: SLOW })).json.id as string;
      const queued = (await submit(one.app, { ...FILES, options: SLOW })).json.id as string;
      await waitFor(one.app, running, (v) => v.state === 'running' && v.progress.stage === 'solve');
      const q = await one.app.inject({ method: 'DELETE', url: `/v1/jobs/${queued}` });
      assert.equal(q.statusCode, 202);
      assert.equal(q.json().state, 'cancelled');
      assert.equal(q.json().timings.startedAt, null);
      const t0 = Date.now();
      const r = await one.app.inject({ method: 'DELETE', url: `/v1/jobs/${running}` });
      assert.equal(r.json().state, 'cancelled');
      assert.ok(Date.now() - t0 < 20_000);
      assert.ok(!fs.existsSync(path.join(one.results, running, 'out')), 'nothing written');
      assert.equal((await one.app.inject({ method: 'DELETE', url: `/v1/jobs/${running}` })).statusCode, 204);
      assert.equal((await one.app.inject({ url: `/v1/jobs/${running}` })).statusCode, 404);
      assert.ok(!fs.existsSync(path.join(one.results, running)));
      const after = (await submit(one.app, { ...FILES, options: { alpha: 50 } })).json.id as string;
      assert.equal((await waitFor(one.app, after, finished)).state, 'done', 'the pool goes on');
      assert.match((await one.app.inject({ url: '/metrics' })).body, /mxne_jobs_finished_total\{state="cancelled"\} 2/);
    } finally {
      await one.close();
    }
  });

  it('GET /v1/jobs/:id?wait=SECONDS answers when the state changes, after the wait without a change, at once when finished; wait is bounded', async () => {
    const one = await testService(tmp, root, { jobs: 1, maxQueue: 4 });
    try {
      const get = async (id: string, wait: number) => {
        const t0 = Date.now();
        const r = await one.app.inject({ url: `/v1/jobs/${id}?wait=${wait}` });
        return { status: r.statusCode, view: r.json() as { state: string; error?: { field: string } }, ms: Date.now() - t0 };
      };
      const slow = (await submit(one.app, { ...FILES, options: SLOW })).json.id as string;
      const queued = (await submit(one.app, { ...FILES, options: { alpha: 50 } })).json.id as string;
      await waitFor(one.app, slow, (v) => v.state === 'running');
      // No change within the wait: the same state, after the wait.
      const still = await get(queued, 0.3);
      assert.equal(still.view.state, 'queued');
      assert.ok(still.ms >= 250, `${still.ms} ms`);
      // Waiting on the running job while it is cancelled: answered on the change, not after 30 s.
      const waiting = get(slow, 30);
      await new Promise((r) => setTimeout(r, 200));
      await one.app.inject({ method: 'DELETE', url: `/v1/jobs/${slow}` });
      const changed = await waiting;
      assert.equal(changed.view.state, 'cancelled');
      assert.ok(changed.ms < 20_000, `${changed.ms} ms`);
      // The queued job then runs: queued → running → done through long polls alone.
      const seen: string[] = [];
      for (let v = 'queued'; v === 'queued' || v === 'running';) seen.push(v = (await get(queued, 30)).view.state);
      assert.equal(seen[seen.length - 1], 'done', seen.join(' → '));
      const done = await get(queued, 30);
      assert.equal(done.view.state, 'done');
      assert.ok(done.ms < 1000, `a finished job is answered at once (${done.ms} ms)`);
      const bad = await get(queued, 61);
      assert.equal(bad.status, 400);
      assert.equal(bad.view.error!.field, 'wait');
    } finally {
      await one.close();
    }
  });

  it('past the queue\'s depth a job is answered 429 with Retry-After, and nothing is stored for it', async () => {
    const one = await testService(tmp, root, { jobs: 1, maxQueue: 1 });
    try {
      const a = (await submit(one.app, { ...FILES, options: SLOW })).json.id as string;
      await waitFor(one.app, a, (v) => v.state === 'running');
      const b = await submit(one.app, { ...FILES, options: SLOW });
      assert.equal(b.status, 202);
      const c = await submit(one.app, { ...FILES, options: SLOW });
      assert.equal(c.status, 429);
      assert.equal((c.json.error as { code: string }).code, 'EQUEUEFULL');
      assert.ok(Number(c.headers['retry-after']) >= 1);
      assert.equal(fs.readdirSync(one.results).length, 2);
      await one.app.inject({ method: 'DELETE', url: `/v1/jobs/${b.json.id}` });
      await one.app.inject({ method: 'DELETE', url: `/v1/jobs/${a}` });
    } finally {
      await one.close();
    }
  });

  it('submissions arriving together are bounded too: as many accepted as there is room, none failed for it', async () => {
    const one = await testService(tmp, root, { jobs: 1, maxQueue: 2 });
    try {
      const answers = await Promise.all(Array.from({ length: 8 }, () => submit(one.app, { ...FILES, options: { alpha: 50 } })));
      const accepted = answers.filter((a) => a.status === 202).map((a) => a.json.id as string);
      assert.equal(accepted.length, 3);
      assert.equal(answers.filter((a) => a.status === 429).length, 5);
      const views = await Promise.all(accepted.map((id) => waitFor(one.app, id, finished)));
      assert.deepEqual(views.map((v) => v.state), ['done', 'done', 'done'], JSON.stringify(views.map((v) => v.error)));
    } finally {
      await one.close();
    }
  });

  it('a running job past --job-timeout is stopped and failed with ETIMEOUT', async () => {
    const one = await testService(tmp, root, { jobs: 1, timeoutSeconds: 0.5 });
    try {
      const id = (await submit(one.app, { ...FILES, options: SLOW })).json.id as string;
      const v = await waitFor(one.app, id, finished, 30_000);
      assert.equal(v.state, 'failed');
      assert.equal(v.error!.code, 'ETIMEOUT');
    } finally {
      await one.close();
    }
  });

  it('a timed-out job whose solve does not stop (its process is stopped) fails with ETIMEOUT once the grace period ends; the next job runs in a new process', async function () {
    if (process.platform !== 'linux') this.skip();
    const others = new Set(solveProcesses());
    // A timeout the next job (well under a second, a few under ASan) stays within.
    const one = await testService(tmp, root, { jobs: 1, timeoutSeconds: 5, stopGraceSeconds: 1 });
    try {
      const [pid] = solveProcesses().filter((p) => !others.has(p));
      const id = (await submit(one.app, { ...FILES, options: SLOW })).json.id as string;
      await waitFor(one.app, id, (v) => v.state === 'running');
      // A process that no longer runs answers no cancel: only the kill after the grace period stops it.
      process.kill(pid, 'SIGSTOP');
      const v = await waitFor(one.app, id, finished, 30_000);
      assert.equal(v.state, 'failed');
      assert.equal(v.error!.code, 'ETIMEOUT');
      assert.ok(!solveProcesses().includes(pid), 'the stopped solve process was killed');
      const next = (await submit(one.app, { ...FILES, options: { alpha: 50 } })).json.id as string;
      assert.equal((await waitFor(one.app, next, finished)).state, 'done');
    } finally {
      await one.close();
    }
  });

  it('a job whose solve process crashes twice fails (EWORKER, no host path), the first crash being retried; the service answers and solves the next job', async function () {
    if (process.platform !== 'linux') this.skip();
    const known = new Set(solveProcesses());
    const one = await testService(tmp, root, { jobs: 1 });
    try {
      const id = (await submit(one.app, { ...FILES, options: SLOW })).json.id as string;
      await waitFor(one.app, id, (v) => v.state === 'running');
      await killNewSolveProcess(known);
      // The job runs again in a new solve process, which is killed in turn.
      await killNewSolveProcess(known);
      const v = await waitFor(one.app, id, finished);
      assert.equal(v.state, 'failed');
      assert.equal(v.error!.code, 'EWORKER');
      assert.match(v.error!.message, /second time/);
      assert.ok(!v.error!.message.includes(tmp), v.error!.message);
      assert.equal((await one.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
      const next = (await submit(one.app, { ...FILES, options: { alpha: 50 } })).json.id as string;
      assert.equal((await waitFor(one.app, next, finished)).state, 'done');
    } finally {
      await one.close();
    }
  });
});
