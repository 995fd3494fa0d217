/**
 * Solves in a child process, for `mxne serve` and `mxne worker`: a SolvePool there
 * (lib/pool/solveProcessMain.ts) takes the tasks over an IPC channel. In one process the HTTP
 * thread waited on locks the low-priority solve threads held (a worker's MessagePort mutex,
 * libuv's thread-pool mutex: off its CPU for up to 16 ms under load), and the workers' garbage
 * collection ran on V8's platform threads at the HTTP thread's priority. Here every thread of the
 * solves runs below it and shares no lock with it, and a native crash in a solve ends that
 * process rather than the service.
 *
 * The queue stays in this process, and the child gets no more tasks than it has workers, so a
 * crash loses no queued task. Which of the running tasks caused a crash is not known, so each of
 * them runs once more, first, in a new process; a task in its second crash fails (PoolError
 * 'EWORKER'): a job that crashes its solver (or is too big for the memory) fails after two tries,
 * and the jobs that happened to run beside it are done. A cancelled task that has not stopped
 * after a grace period (a solve that never reaches an epoch boundary, or a process that no longer
 * runs) is stopped by killing the process: that stop is deliberate, so the other tasks it was
 * running are not failed but solved again, first, in the next one.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { InputError, PoolError } from '../errors.js';
import { threadNice } from '../native.js';
import type { SolveJob } from '../workflow/solveFiles.js';
import type { ProcessReport, ProcessRequest } from './messages.js';
import type { TaskOptions } from './solvePool.js';
import { rebuildError } from './transferError.js';

export interface SolveProcessOptions {
  /** Worker threads in the solve process, each solving one task at a time with one BLAS thread. */
  jobs: number;
  /** Tasks allowed to wait for a worker; one more is refused with PoolError 'EQUEUEFULL'. */
  maxQueue: number;
  /** Nice levels the solve process runs below the thread that creates it (Linux). @default 0 */
  solveNice?: number;
  /** Seconds a running task has, once its signal aborts, to stop before the solve process is killed. @default 30 */
  stopGraceSeconds?: number;
}

interface Task {
  id: number;
  job: SolveJob;
  o: Omit<TaskOptions, 'onRow'>;
  settle: (error: unknown) => void;
  /** The kill that stops the task if it has not stopped within the grace period. */
  hardStop?: NodeJS.Timeout;
  /** Ends of the solve process, not caused by this class, that the task was running in. */
  crashes: number;
}

export class SolveProcess {
  readonly size: number;
  private readonly maxQueue: number;
  private readonly nice: number;
  private readonly graceMs: number;
  private child: ChildProcess | null = null;
  private readonly waiting: Task[] = [];
  private readonly sent = new Map<number, Task>();
  private nextId = 0;
  private idle: () => void = () => {};
  /** The process this one killed to stop a task (its end fails none of the others). */
  private killed: ChildProcess | null = null;

  constructor(o: SolveProcessOptions) {
    this.size = o.jobs;
    this.maxQueue = o.maxQueue;
    const solveNice = o.solveNice ?? 0;
    const grace = o.stopGraceSeconds ?? 30;
    if (!Number.isInteger(this.size) || this.size < 1) throw new InputError('jobs', 'a positive integer', String(o.jobs));
    if (!Number.isInteger(solveNice) || solveNice < 0 || solveNice > 39) throw new InputError('solveNice', 'an integer from 0 to 39', String(o.solveNice));
    if (!(grace >= 0 && grace <= 86_400)) throw new InputError('stopGraceSeconds', 'a number of seconds from 0 to 86400', String(o.stopGraceSeconds));
    this.graceMs = grace * 1000;
    const base = threadNice();
    this.nice = base === null ? 0 : Math.min(19, base + solveNice);
    // Started now, so that the first job does not wait for Node, the addon and the workers to load.
    this.child = this.spawn();
  }

  /** Tasks waiting for a worker. */
  get queued(): number { return this.waiting.length; }

  /** Tasks the solve process has. */
  get running(): number { return this.sent.size; }

  /** The solve process's id (null between a crash and the next task). */
  get pid(): number | null { return this.child?.pid ?? null; }

  /** Solves one recording into `job.out`; rejects with the solve's error (same class and fields) or the signal's reason. */
  solveInto(job: SolveJob, o: Omit<TaskOptions, 'onRow'> = {}): Promise<void> {
    o.signal?.throwIfAborted();
    if (this.sent.size + this.waiting.length >= this.size + this.maxQueue) {
      return Promise.reject(new PoolError('EQUEUEFULL', `the queue is full (${this.queued} tasks waiting)`));
    }
    return new Promise<void>((resolve, reject) => {
      const t: Task = {
        id: this.nextId++, job, o, crashes: 0,
        settle: (error) => {
          clearTimeout(t.hardStop);
          o.signal?.removeEventListener('abort', onAbort);
          if (error === null) resolve(); else reject(error);
          this.dispatch();
        },
      };
      const onAbort = () => {
        const k = this.waiting.indexOf(t);
        if (k >= 0) {
          this.waiting.splice(k, 1);
          t.settle(o.signal!.reason);
        } else if (this.sent.has(t.id)) {
          this.post({ type: 'cancel', id: t.id });
          const child = this.child;
          t.hardStop = setTimeout(() => {
            if (!child || child.exitCode !== null || child.signalCode !== null) return;
            this.killed = child;
            child.kill('SIGKILL');
          }, this.graceMs);
        }
      };
      o.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(t);
      this.dispatch();
    });
  }

  /** Waits for the tasks it has, then ends the solve process. */
  async close(): Promise<void> {
    if (this.sent.size + this.waiting.length > 0) await new Promise<void>((resolve) => { this.idle = resolve; });
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.post({ type: 'close' });
    await exited;
  }

  private dispatch(): void {
    while (this.waiting.length > 0 && this.sent.size < this.size) {
      this.child ??= this.spawn();
      const t = this.waiting.shift()!;
      this.sent.set(t.id, t);
      this.post({ type: 'solve', id: t.id, job: t.job });
    }
    const busy = this.sent.size + this.waiting.length > 0;
    // An idle solve process never keeps this one alive (it ends when this one does).
    if (this.child) {
      if (busy) { this.child.ref(); this.child.channel?.ref(); } else { this.child.unref(); this.child.channel?.unref(); }
    }
    if (!busy) this.idle();
  }

  private post(m: ProcessRequest): void {
    // A send to a process that has just ended fails; its 'exit' fails the tasks it had.
    if (this.child?.connected) this.child.send(m, () => {});
  }

  private spawn(): ChildProcess {
    const child = fork(path.join(__dirname, 'solveProcessMain.js'), [String(this.size), String(this.nice)], {
      // Not the parent's flags (a bench's --require probe, a debugger port): the solves need none.
      execArgv: [],
      serialization: 'advanced',
      // One BLAS thread per worker, and no idle OpenBLAS thread pool in the process.
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
    });
    let ended = false;
    const end = (why: string) => {
      if (ended) return;
      ended = true;
      if (this.child === child) this.child = null;
      const lost = [...this.sent.values()];
      this.sent.clear();
      // Killed to stop a task, the others it ran are blameless; after a crash, each gets one more try.
      if (this.killed !== child) for (const t of lost) t.crashes++;
      // Back to the head of the queue, in order, before any settle below dispatches a later task.
      this.waiting.unshift(...lost.filter((t) => !t.o.signal?.aborted && t.crashes < 2));
      for (const t of lost) {
        if (t.o.signal?.aborted) t.settle(t.o.signal.reason);
        else if (t.crashes >= 2) t.settle(new PoolError('EWORKER', `the solve process ended (${why}) while solving this job, for the second time`));
      }
      this.dispatch();
    };
    child.on('message', (m: ProcessReport) => {
      const t = this.sent.get(m.id);
      if (!t) return;
      if (m.type === 'stage') t.o.onStage?.(0, m.stage, m.detail);
      else if (m.type === 'progress') t.o.onProgress?.(0, m.progress);
      else {
        this.sent.delete(m.id);
        t.settle(m.error === null ? null : rebuildError(m.error));
      }
    });
    child.on('exit', (code, signal) => end(signal ?? `exit code ${code}`));
    child.on('error', (e) => end(e.message));
    return child;
  }
}
