/**
 * The embedded queue: jobs solved by a SolveProcess (a SolvePool in a child process, below this
 * process's priority), records kept in memory and in
 * <results>/<id>/job.json, written when a job is accepted and when it ends. Its bound is the
 * pool's (EQUEUEFULL → 429). Jobs found unfinished at start (a previous run's queue, or a crash)
 * are solved again, in submission order, before new ones.
 */
import { PoolError } from '../errors.js';
import { SolveProcess } from '../pool/solveProcess.js';
import type { JobQueue, QueueCounts } from './jobQueue.js';
import { loadRecords, removeJobFolder, saveRecord } from './jobFiles.js';
import { finishedBefore, publicError, recordProgress, type JobRecord } from './jobRecord.js';
import type { ServiceMetrics } from './metrics.js';

export interface LocalQueueOptions {
  results: string;
  /** Worker threads of the solve process. */
  jobs: number;
  /** Jobs allowed to wait beyond those running. */
  maxQueue: number;
  /** A running job is stopped (failed, ETIMEOUT) after this long. */
  timeoutSeconds: number;
  metrics: ServiceMetrics;
  /** SolveProcessOptions.solveNice (`mxne serve`: RESPONSIVE_SOLVE_NICE, so its HTTP side stays responsive). @default 0 */
  solveNice?: number;
  /** SolveProcessOptions.stopGraceSeconds: how long a cancelled or timed-out job has to stop before its solve process is killed. @default 30 */
  stopGraceSeconds?: number;
}

type StopReason = 'cancel' | 'timeout' | 'shutdown';

export class LocalQueue implements JobQueue {
  private readonly pool: SolveProcess;
  private readonly records = new Map<string, JobRecord>();
  private readonly controls = new Map<string, { controller: AbortController; why: StopReason | null; settled: Promise<void> }>();
  /** Restored jobs waiting for room in the pool (new submissions do not overtake them). */
  private readonly backlog: JobRecord[] = [];
  private closing = false;
  private meanRunSeconds = 0;
  private finishedRuns = 0;
  private readonly listeners = new Set<(id: string) => void>();

  constructor(private readonly o: LocalQueueOptions) {
    this.pool = new SolveProcess({ jobs: o.jobs, maxQueue: o.maxQueue, solveNice: o.solveNice, stopGraceSeconds: o.stopGraceSeconds });
  }

  /** Loads the recorded jobs and requeues those that did not finish. */
  async start(): Promise<void> {
    for (const r of await loadRecords(this.o.results)) {
      this.records.set(r.id, r);
      // 'running': a record written before running jobs stopped being recorded as such.
      if (r.state === 'queued' || r.state === 'running') {
        Object.assign(r, { state: 'queued', progress: {}, startedAt: undefined });
        this.backlog.push(r);
      }
    }
    this.drain();
  }

  /** Accepted jobs whose record is being written: they count against the bound before they reach the pool. */
  private reserved = 0;

  private hasRoom(): boolean {
    return this.pool.queued + this.pool.running + this.reserved < this.pool.size + this.o.maxQueue;
  }

  private drain(): void {
    while (!this.closing && this.backlog.length > 0 && this.hasRoom()) this.dispatch(this.backlog.shift()!);
  }

  async submit(r: JobRecord): Promise<void> {
    if (this.closing) throw new PoolError('EQUEUEFULL', 'the service is shutting down');
    if (this.backlog.length > 0 || !this.hasRoom()) throw new PoolError('EQUEUEFULL', `the queue is full (${this.pool.queued} jobs waiting)`);
    this.reserved++;
    try {
      await saveRecord(this.o.results, r);
    } finally {
      this.reserved--;
    }
    this.records.set(r.id, r);
    this.dispatch(r);
  }

  private dispatch(r: JobRecord): void {
    const controller = new AbortController();
    const control = { controller, why: null as StopReason | null, settled: Promise.resolve() };
    let timer: NodeJS.Timeout | undefined;
    const stop = (why: StopReason) => { if (!controller.signal.aborted) { control.why = why; controller.abort(); } };
    // result.json names the inputs as the client did: it is served as written, never parsed here.
    const run = this.pool.solveInto({ ...r.job, inputNames: r.inputs }, {
      signal: controller.signal,
      onStage: (_row, stage, detail) => {
        if (r.state === 'queued') {
          Object.assign(r, { state: 'running', startedAt: Date.now() });
          this.changed(r);
          timer = setTimeout(() => stop('timeout'), this.o.timeoutSeconds * 1000);
          // Not written to disk: a restart solves queued and running jobs alike again, and a write
          // here (not awaited, so as not to hold the solve back) could land after the one that
          // ends the job, which a restart would then solve again.
        }
        recordProgress(r, { stage, detail });
      },
      onProgress: (_row, p) => recordProgress(r, p),
    });
    control.settled = run.then(
      () => this.finish(r, 'done'),
      (e: unknown) => {
        if (control.why === 'shutdown') return this.keepForNextStart(r);
        if (control.why === 'cancel') return this.finish(r, 'cancelled');
        if (control.why === 'timeout') return this.finish(r, 'failed', { code: 'ETIMEOUT', message: `the job ran longer than ${this.o.timeoutSeconds} s and was stopped` });
        return this.finish(r, 'failed', publicError(e, r));
      },
    ).finally(() => {
      clearTimeout(timer);
      this.controls.delete(r.id);
      this.drain();
    });
    this.controls.set(r.id, control);
  }

  private async finish(r: JobRecord, state: 'done' | 'failed' | 'cancelled', error?: JobRecord['error']): Promise<void> {
    Object.assign(r, { state, finishedAt: Date.now(), error });
    this.changed(r);
    const runSeconds = r.startedAt === undefined ? null : (r.finishedAt! - r.startedAt) / 1000;
    if (state === 'done' && runSeconds !== null) {
      this.finishedRuns++;
      this.meanRunSeconds += (runSeconds - this.meanRunSeconds) / this.finishedRuns;
    }
    this.o.metrics.finished(state, runSeconds);
    await saveRecord(this.o.results, r);
  }

  /** Stopped by a shutdown before it really ran: queued again on disk for the next start. */
  private async keepForNextStart(r: JobRecord): Promise<void> {
    Object.assign(r, { state: 'queued', progress: {}, startedAt: undefined });
    this.changed(r);
    await saveRecord(this.o.results, r);
  }

  private changed(r: JobRecord): void {
    for (const l of this.listeners) l(r.id);
  }

  onStateChange(listener: (id: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async get(id: string): Promise<JobRecord | null> {
    return this.records.get(id) ?? null;
  }

  async cancel(id: string): Promise<JobRecord | null> {
    const r = this.records.get(id);
    if (!r) return null;
    const k = this.backlog.indexOf(r);
    if (k >= 0) {
      this.backlog.splice(k, 1);
      await this.finish(r, 'cancelled');
    }
    const c = this.controls.get(id);
    if (c) {
      if (!c.controller.signal.aborted) { c.why = 'cancel'; c.controller.abort(); }
      await c.settled;
    }
    return r;
  }

  async remove(id: string): Promise<void> {
    this.records.delete(id);
    await removeJobFolder(this.o.results, id);
  }

  async sweep(before: number): Promise<number> {
    const old = [...this.records.values()].filter((r) => finishedBefore(r, before));
    for (const r of old) await this.remove(r.id);
    return old.length;
  }

  async counts(): Promise<QueueCounts> {
    return { queued: this.pool.queued + this.backlog.length, running: this.pool.running };
  }

  async ready(): Promise<boolean> {
    return !this.closing;
  }

  retryAfterSeconds(): number {
    const perJob = this.finishedRuns > 0 ? this.meanRunSeconds : 5;
    return Math.max(1, Math.ceil((perJob * (this.pool.queued + 1)) / this.pool.size));
  }

  async shutdown(): Promise<void> {
    this.closing = true;
    for (const [id, c] of this.controls) {
      if (this.records.get(id)?.state === 'queued') { c.why = 'shutdown'; c.controller.abort(); }
    }
    await Promise.all([...this.controls.values()].map((c) => c.settled));
    await this.pool.close();
  }
}
