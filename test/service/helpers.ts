/** A service on a temporary results folder over demo data, driven through fastify.inject. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generateDemo, type DemoDataset } from '../../lib/demo/index.js';
import { buildApp } from '../../lib/service/app.js';
import { isFinished, type JobView } from '../../lib/service/jobRecord.js';
import { LocalQueue } from '../../lib/service/localQueue.js';
import { createMetrics } from '../../lib/service/metrics.js';

/** Options of a job that runs for seconds (SURE over 15 alphas to tol 1e-12): time to cancel it. */
export const SLOW = { alpha: 'sure', tol: 1e-12, maxit: 100000 };

/** The solve processes (lib/pool/solveProcessMain.js) this process has started and that still run (Linux). */
export function solveProcesses(): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      const ppid = Number(fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      return ppid === process.pid && fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('solveProcessMain.js');
    } catch {
      return false; // ended meanwhile
    }
  }).map(Number);
}

/** Waits for a solve process this process started that is not in `known`, and SIGKILLs it; returns its pid. */
export async function killNewSolveProcess(known: Set<number>): Promise<number> {
  for (;;) {
    const pid = solveProcesses().find((p) => !known.has(p));
    if (pid !== undefined) {
      process.kill(pid, 'SIGKILL');
      known.add(pid);
      return pid;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function demoData(prefix: string): Promise<{ tmp: string; root: string; demo: DemoDataset }> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const root = path.join(tmp, 'data');
  const demo = await generateDemo({ outDir: root, nSources: 300, seed: 3 });
  return { tmp, root: fs.realpathSync(root), demo };
}

export interface TestService { app: FastifyInstance; queue: LocalQueue; results: string; close(): Promise<void> }

export async function testService(tmp: string, root: string | null, o: { jobs?: number; maxQueue?: number; token?: string | null; timeoutSeconds?: number; stopGraceSeconds?: number; maxUploadBytes?: number; results?: string } = {}): Promise<TestService> {
  const results = o.results ?? fs.mkdtempSync(path.join(tmp, 'results-'));
  const metrics = createMetrics();
  const queue = new LocalQueue({ results, jobs: o.jobs ?? 2, maxQueue: o.maxQueue ?? 16, timeoutSeconds: o.timeoutSeconds ?? 600, stopGraceSeconds: o.stopGraceSeconds, metrics });
  await queue.start();
  metrics.watch(queue);
  const app = await buildApp({ queue, metrics, results, dataRoot: root, token: o.token ?? null, maxUploadBytes: o.maxUploadBytes ?? 64 << 20 });
  return { app, queue, results, close: async () => { await app.close(); await queue.shutdown(); } };
}

export const FILES = { fwd: 'demo-fwd.fif', evoked: 'demo-ave.fif', cov: 'demo-cov.fif' };

export async function submit(app: FastifyInstance, body: object): Promise<{ status: number; json: Record<string, unknown> & Partial<JobView>; headers: Record<string, unknown> }> {
  const res = await app.inject({ method: 'POST', url: '/v1/jobs', payload: body as Record<string, unknown> });
  return { status: res.statusCode, json: res.json(), headers: res.headers };
}

/** Polls the job until `done(view)`; fails after `ms`. */
export async function waitFor(app: FastifyInstance, id: string, done: (v: JobView) => boolean, ms = 60_000): Promise<JobView> {
  const t0 = Date.now();
  for (;;) {
    const v = (await app.inject({ method: 'GET', url: `/v1/jobs/${id}` })).json() as JobView;
    if (done(v)) return v;
    assert.ok(Date.now() - t0 < ms, `job ${id} still ${v.state} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const finished = (v: JobView) => isFinished(v.state);
