/**
 * The solve process (`mxne serve`'s embedded queue): a solve there writes what an in-process solve
 * writes; errors keep their class and fields across the process boundary; every thread of it runs
 * at the solve priority while this process keeps its own; cancelling works queued and running;
 * the queue is bounded; a task that does not stop when cancelled is stopped by killing the process,
 * and the other task it was running is solved again in a new one; after a crash of the process each
 * task it ran runs once more in a new one, and a task in a second crash fails; the process ends
 * with its parent.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo, type DemoDataset } from '../../lib/demo/index.js';
import { InputError, PoolError } from '../../lib/errors.js';
import { threadNice } from '../../lib/native.js';
import { SolveProcess } from '../../lib/pool/solveProcess.js';
import { solveFiles, type SolveJob } from '../../lib/workflow/solveFiles.js';
import type { SolveSummary } from '../../lib/workflow/summary.js';
import { noLeakCheckEnv } from '../helpers/foreignEnv.js';
import { ENDLESS, demoJob, stable } from './poolJobs.js';

/** The nice value of each thread of process `pid` (field 19 of /proc/<pid>/task/<tid>/stat). */
const niceValues = (pid: number) => fs.readdirSync(`/proc/${pid}/task`)
  .map((tid) => Number(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]));

/** Whether process `pid` runs (a zombie does not: an orphan's new parent may not reap it at once). */
const alive = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] !== 'Z';
  } catch {
    return false;
  }
};

describe('pool: solves in a child process (SolveProcess)', function () {
  this.timeout(120_000);
  let tmp: string;
  let demo: DemoDataset;
  let solver: SolveProcess;
  const job = (out: string, mixedNorm?: SolveJob['mixedNorm']) => demoJob(demo, tmp, out, mixedNorm);
  const resultOf = (out: string) => JSON.parse(fs.readFileSync(path.join(tmp, out, 'result.json'), 'utf8')) as SolveSummary;
  // Resolves at a task's first 'solve' stage (its native solve is about to start).
  const solving = () => {
    let at!: () => void;
    const reached = new Promise<void>((resolve) => { at = resolve; });
    return { reached, onStage: (_row: number, stage: string) => { if (stage === 'solve') at(); } };
  };
  const until = async (ok: () => boolean) => { while (!ok()) await new Promise((r) => setTimeout(r, 20)); };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-process-'));
    demo = await generateDemo({ outDir: path.join(tmp, 'demo'), nSources: 600, seed: 5 });
    solver = new SolveProcess({ jobs: 2, maxQueue: 8 });
  });
  after(async () => {
    await solver?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('writes the files and the result.json an in-process solve writes, reporting its stages', async () => {
    const stages: string[] = [];
    await solver.solveInto(job('child'), { onStage: (_row, stage) => stages.push(stage) });
    await solveFiles(job('direct'));
    assert.deepEqual(stages, ['read', 'weights', 'solve', 'write']);
    assert.ok(resultOf('child').dipoles.length > 0);
    assert.deepEqual(stable(resultOf('child')), stable(resultOf('direct')));
    assert.deepEqual(fs.readdirSync(path.join(tmp, 'child')).sort(), fs.readdirSync(path.join(tmp, 'direct')).sort());
    assert.equal(resultOf('child').versions.openblasThreads, 1, 'one BLAS thread per worker');
  });

  it('errors keep their class and fields: a bad option is an InputError naming it', async () => {
    await assert.rejects(solver.solveInto(job('bad', { alpha: 150 })), (e: unknown) => e instanceof InputError && e.field === 'alpha');
  });

  it('every thread of the solve process runs solveNice above this thread, which keeps its nice value', async function () {
    const base = threadNice();
    if (process.platform !== 'linux' || base === null || base > 14) this.skip();
    const low = new SolveProcess({ jobs: 2, maxQueue: 0, solveNice: 5 });
    try {
      const at = solving();
      const run = low.solveInto(job('low'), { onStage: at.onStage });
      await at.reached;
      const nices = niceValues(low.pid!);
      await run;
      assert.ok(nices.length >= 8, `its main thread, V8's, libuv's and the workers: ${nices.length} threads`);
      assert.deepEqual(new Set(nices), new Set([base! + 5]), `nice values: ${nices}`);
      assert.equal(threadNice(), base);
    } finally {
      await low.close();
    }
  });

  it('cancelled while queued, a task never starts; running, its solve stops at the next epoch; past maxQueue a task is refused', async () => {
    const one = new SolveProcess({ jobs: 1, maxQueue: 1 });
    try {
      const controller = new AbortController();
      const at = solving();
      const running = one.solveInto(job('c-running', ENDLESS), { signal: controller.signal, onStage: at.onStage });
      const queuedController = new AbortController();
      let started = false;
      const queued = one.solveInto(job('c-queued'), { signal: queuedController.signal, onStage: () => { started = true; } });
      await assert.rejects(one.solveInto(job('c-refused')), (e: unknown) => e instanceof PoolError && e.code === 'EQUEUEFULL');
      assert.deepEqual([one.running, one.queued], [1, 1]);
      queuedController.abort();
      await assert.rejects(queued, (e: unknown) => (e as Error).name === 'AbortError');
      await at.reached;
      const pid = one.pid;
      const t0 = performance.now();
      controller.abort();
      await assert.rejects(running, (e: unknown) => (e as Error).name === 'AbortError');
      assert.ok(performance.now() - t0 < 20_000);
      assert.equal(one.pid, pid, 'a solve that stops by itself is not killed');
      assert.equal(started, false);
      assert.ok(!fs.existsSync(path.join(tmp, 'c-queued')) && !fs.existsSync(path.join(tmp, 'c-running')), 'nothing written');
      await one.solveInto(job('c-after'));
      assert.ok(resultOf('c-after').dipoles.length > 0);
    } finally {
      await one.close();
    }
  });

  it('a cancelled task that has not stopped after stopGraceSeconds is stopped by a kill; the other task it ran starts again in a new process', async () => {
    const two = new SolveProcess({ jobs: 2, maxQueue: 1, stopGraceSeconds: 0.5 });
    try {
      const stuck = new AbortController();
      const atStuck = solving();
      const stuckRun = two.solveInto(job('h-stuck', ENDLESS), { signal: stuck.signal, onStage: atStuck.onStage });
      const other = new AbortController();
      // The other task's solve processes, one entry each time its native solve starts.
      const otherSolves: number[] = [];
      const otherRun = two.solveInto(job('h-other', ENDLESS), {
        signal: other.signal,
        onStage: (_row, stage) => { if (stage === 'solve') otherSolves.push(two.pid!); },
      });
      const queued = two.solveInto(job('h-queued'));
      await atStuck.reached;
      await until(() => otherSolves.length === 1);
      const first = two.pid!;
      // A process that no longer runs cannot stop its solves at an epoch boundary.
      process.kill(first, 'SIGSTOP');
      const t0 = performance.now();
      stuck.abort();
      await assert.rejects(stuckRun, (e: unknown) => (e as Error).name === 'AbortError');
      const waited = performance.now() - t0;
      assert.ok(waited >= 450 && waited < 10_000, `stopped after ${waited.toFixed(0)} ms`);
      assert.equal(alive(first), false, 'the stopped process was killed');
      await until(() => otherSolves.length === 2);
      assert.notEqual(otherSolves[1], first, 'the other task runs again in a new process');
      other.abort();
      await assert.rejects(otherRun, (e: unknown) => (e as Error).name === 'AbortError');
      await queued;
      assert.ok(resultOf('h-queued').dipoles.length > 0);
      assert.ok(!fs.existsSync(path.join(tmp, 'h-stuck')) && !fs.existsSync(path.join(tmp, 'h-other')), 'nothing written');
    } finally {
      await two.close();
    }
  });

  it('after a crash each task the process ran runs once more in a new one; a task in its second crash fails (EWORKER); the queued one runs', async () => {
    const two = new SolveProcess({ jobs: 2, maxQueue: 1 });
    try {
      // Each task's solve processes, one entry each time its native solve starts.
      const starts = { poison: [] as number[], other: [] as number[] };
      const startsOf = (name: keyof typeof starts) => ({
        onStage: (_row: number, stage: string) => { if (stage === 'solve') starts[name].push(two.pid!); },
      });
      const poison = two.solveInto(job('k-poison', ENDLESS), startsOf('poison'));
      const other = new AbortController();
      const otherRun = two.solveInto(job('k-other', ENDLESS), { signal: other.signal, ...startsOf('other') });
      const queued = two.solveInto(job('k-queued'));
      await until(() => starts.poison.length === 1 && starts.other.length === 1);
      const first = two.pid!;
      process.kill(first, 'SIGKILL');
      await until(() => starts.poison.length === 2 && starts.other.length === 2);
      assert.notEqual(two.pid, first, 'both run again, in a new process');
      other.abort();
      await assert.rejects(otherRun, (e: unknown) => (e as Error).name === 'AbortError');
      process.kill(two.pid!, 'SIGKILL');
      await assert.rejects(poison, (e: unknown) => e instanceof PoolError && e.code === 'EWORKER' && /SIGKILL/.test(e.message) && /second time/.test(e.message));
      await queued;
      assert.ok(resultOf('k-queued').dipoles.length > 0);
    } finally {
      await two.close();
    }
  });

  it('close waits for the running task, then the solve process exits', async () => {
    const one = new SolveProcess({ jobs: 1, maxQueue: 0 });
    const pid = one.pid!;
    const run = one.solveInto(job('closing'));
    await one.close();
    await run;
    assert.ok(resultOf('closing').dipoles.length > 0);
    assert.equal(alive(pid), false);
  });

  it('the solve process ends when its parent is killed, even in the middle of a solve', async () => {
    const lib = path.resolve(__dirname, '../../lib');
    const script = `
      const { SolveProcess } = require(${JSON.stringify(path.join(lib, 'pool/solveProcess.js'))});
      const p = new SolveProcess({ jobs: 1, maxQueue: 0 });
      void p.solveInto(${JSON.stringify(job('orphan', ENDLESS))},
        { onStage: (_row, stage) => { if (stage === 'solve') console.log(p.pid); } });`;
    const parent = spawn(process.execPath, ['-e', script], { env: noLeakCheckEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
    assert.ok(alive(pid));
    parent.kill('SIGKILL');
    const t0 = performance.now();
    while (alive(pid) && performance.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(pid), false, 'the solve process outlived its parent by 15 s');
  });

  it('jobs, solveNice and stopGraceSeconds are checked', () => {
    assert.throws(() => new SolveProcess({ jobs: 0, maxQueue: 0 }), (e: unknown) => e instanceof InputError && e.field === 'jobs');
    assert.throws(() => new SolveProcess({ jobs: 1, maxQueue: 0, solveNice: -1 }), (e: unknown) => e instanceof InputError && e.field === 'solveNice');
    assert.throws(() => new SolveProcess({ jobs: 1, maxQueue: 0, stopGraceSeconds: NaN }), (e: unknown) => e instanceof InputError && e.field === 'stopGraceSeconds');
  });
});
