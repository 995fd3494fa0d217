/**
 * A pool of worker threads (piscina) that solve recordings side by side, one BLAS thread each:
 * the parallelism batch runs and the service use. A task is one row (`run`) or the rows of one
 * subject (`runGroup`: they run in order in one worker, so what they share is prepared there
 * once). A cancelled task stops between solver epochs without killing its worker (a native solve
 * in flight cannot be torn down safely); a worker that dies takes only its task with it, and
 * piscina starts another.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { InputError, PoolError } from '../errors.js';
// Loaded here, before any worker: OpenBLAS reads its kernel choice from the process environment
// once, at its first load, and lib/openblas sets it in this thread (a worker's process.env is a
// copy that OpenBLAS never sees).
import { cancelAtExit, lowerJobPriority } from '../native.js';
import type { SolveProgress } from '../sparse/solverOptions.js';
import type { SolveJob, StageListener } from '../workflow/solveFiles.js';
import type { SolveSummary } from '../workflow/summary.js';
import type { GroupTask, PoolMessage, RowResult, WorkerMessage } from './messages.js';
import { rebuildError } from './transferError.js';

export interface SolvePoolOptions {
  /** Worker threads, each solving one task at a time with one BLAS thread. @default os.availableParallelism() */
  jobs?: number;
  /** Tasks allowed to wait for a worker; one more is refused with PoolError 'EQUEUEFULL'. @default Infinity */
  maxQueue?: number;
  /**
   * Keep each worker's prepared inputs (read forward and covariance, whitener, prepared gain,
   * dSPM operator; keyed by file contents, LRU-bounded) from task to task, for services whose
   * submissions repeat a subject's forward and covariance. Off, what a task prepares is dropped
   * when it ends (a batch's groups already share within the task). @default false
   */
  keepPreparation?: boolean;
  /**
   * How many nice levels the solves run below the thread that creates the pool (Linux): the
   * workers, which run their native jobs themselves, lower their own priority, so the creating
   * thread's event loop (a service's HTTP side) gets the CPU first when it has work. Applies to
   * the whole process from then on (lowerJobPriority). 0: same priority, for batch runs, whose
   * solves should not yield to other processes on the machine. @default 0
   */
  solveNice?: number;
}

/**
 * Old space a worker's V8 heap may fill before its first full collection (V8 otherwise starts at
 * a few MB and grows). A row allocates far more than its few live MB; with the small start a worker
 * ran a full mark-compact every ~120 ms, and each one also dropped the object shapes the compiled
 * solver code was specialised on, which V8 then recompiled for the next row. At 128 MB: 64 instead
 * of 235 full collections over a 40-row batch, ~12 % less CPU, ~40 MB more peak RSS.
 */
const WORKER_INITIAL_OLD_SPACE_MB = 128;

/** The solve priority of pools whose event loop must stay responsive (`mxne serve`, `mxne worker`, the soak's pooled bursts). */
export const RESPONSIVE_SOLVE_NICE = 10;

export interface TaskOptions {
  /** Cancels the task: a queued one never starts, a running one stops at the solver's next epoch. */
  signal?: AbortSignal;
  onStage?: (row: number, ...stage: Parameters<StageListener>) => void;
  onProgress?: (row: number, p: SolveProgress) => void;
  /** Each row's outcome as it finishes (the promise resolves with all of them). */
  onRow?: (row: number, result: RowOutcome) => void;
}

/** A row's outcome with its error rebuilt as the class the worker threw. */
export type RowOutcome = { ok: true; summary: SolveSummary } | { ok: false; error: Error };

export class SolvePool {
  private readonly piscina: Piscina<GroupTask, number>;
  readonly size: number;
  private readonly maxQueue: number;
  private readonly keepPreparation: boolean;
  /** Tasks submitted and not finished, and those of them a worker has started. */
  private inFlight = 0;
  private started = 0;

  constructor(o: SolvePoolOptions = {}) {
    this.size = o.jobs ?? os.availableParallelism();
    this.maxQueue = o.maxQueue ?? Infinity;
    this.keepPreparation = o.keepPreparation ?? false;
    if (!Number.isInteger(this.size) || this.size < 1) throw new InputError('jobs', 'a positive integer', String(o.jobs));
    const solveNice = o.solveNice ?? 0;
    if (!Number.isInteger(solveNice) || solveNice < 0 || solveNice > 39) throw new InputError('solveNice', 'an integer from 0 to 39', String(o.solveNice));
    // A V8 flag, so process-wide; read when an isolate is made, so it sizes the workers made below.
    v8.setFlagsFromString(`--initial-old-space-size=${WORKER_INITIAL_OLD_SPACE_MB}`);
    // libuv starts its thread pool at its first job, and a new thread takes its creator's nice
    // value: started by a worker's first file read, the pool's threads would run this thread's
    // file operations at the solves' low priority. A file check queued here starts them now.
    fs.access(__filename, () => {});
    this.piscina = new Piscina({
      filename: path.join(__dirname, 'solveWorker.js'),
      minThreads: this.size, maxThreads: this.size, concurrentTasksPerWorker: 1,
      // Workers must not inherit a process-wide OPENBLAS_NUM_THREADS > 1; solveWorker sets 1 itself.
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
      workerData: { nice: solveNice > 0 ? lowerJobPriority(solveNice) : null },
    });
  }

  /** Tasks waiting for a worker. */
  get queued(): number { return this.inFlight - this.started; }

  /** Tasks being solved now. */
  get running(): number { return this.started; }

  /** Solves one recording; rejects with the worker's error (same class and fields) or the signal's reason. */
  async run(job: SolveJob, o: Omit<TaskOptions, 'onRow'> = {}): Promise<SolveSummary> {
    const [r] = await this.group([job], o, true);
    if (!r.ok) throw r.error;
    return r.summary;
  }

  /**
   * Solves one recording into `job.out`, as run() does, without sending its summary back: for a
   * caller that serves result.json from disk (the service). Decoded here, each summary (~100 KB
   * of small arrays) stayed alive until the worker, solving at low priority, finished its task,
   * and so was copied by the main thread's scavenges and promoted.
   */
  async solveInto(job: SolveJob, o: Omit<TaskOptions, 'onRow'> = {}): Promise<void> {
    const [r] = await this.group([job], o, false);
    if (!r.ok) throw r.error;
  }

  /**
   * Solves rows that share inputs, in order, in one worker. Resolves with every row's outcome: a
   * failed row does not stop the others, and a worker that dies fails only the row it was
   * solving (PoolError 'EWORKER'); the rows after it run in a new task. Rejects only when the
   * task cannot run at all: cancelled while queued (the signal's reason) or the queue full.
   */
  async runGroup(jobs: SolveJob[], o: TaskOptions = {}): Promise<RowOutcome[]> {
    return this.group(jobs, o, true);
  }

  private async group(jobs: SolveJob[], o: TaskOptions, summaries: boolean): Promise<RowOutcome[]> {
    o.signal?.throwIfAborted();
    const outcomes: RowOutcome[] = [];
    const { died } = await this.task(jobs, o, summaries, (row, r) => { outcomes[row] = r; o.onRow?.(row, r); });
    if (!died) return outcomes;
    const row = outcomes.length;
    const failed: RowOutcome = { ok: false, error: new PoolError('EWORKER', `the worker died while solving row ${row}: ${died.message}`) };
    outcomes.push(failed);
    o.onRow?.(row, failed);
    if (row + 1 === jobs.length) return outcomes;
    const rest = await this.group(jobs.slice(row + 1), {
      signal: o.signal,
      onStage: o.onStage && ((r, stage, detail) => o.onStage!(r + row + 1, stage, detail)),
      onProgress: o.onProgress && ((r, p) => o.onProgress!(r + row + 1, p)),
      onRow: o.onRow && ((r, result) => o.onRow!(r + row + 1, result)),
    }, summaries);
    return [...outcomes, ...rest];
  }

  /** One piscina task; every row is reported once, from its port message. */
  private async task(jobs: SolveJob[], o: TaskOptions, summaries: boolean, onRow: (row: number, r: RowOutcome) => void): Promise<{ died: Error | null }> {
    // The bound is ours: piscina's maxQueue also counts starting workers' capacity.
    if (this.inFlight >= this.size + this.maxQueue) throw new PoolError('EQUEUEFULL', `the queue is full (${this.queued} tasks waiting)`);
    this.inFlight++;
    const { port1, port2 } = new MessageChannel();
    let started = false;
    let rowsReported = 0, allReported = () => {};
    const report = (row: number, r: RowResult) => {
      rowsReported++;
      // A null summary only reaches solveInto, which reads none.
      onRow(row, r.ok ? { ok: true, summary: r.summary! } : { ok: false, error: rebuildError(r.error) });
      allReported();
    };
    // Aborting piscina's run removes a queued task; once a worker has it, the shared cell stops
    // its running solve and the port's 'abort' the rows after it (piscina would terminate the
    // worker under a native solve).
    const dequeue = new AbortController();
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    // Node joins the workers on exit, and a worker's solve runs on its own thread.
    const exited = cancelAtExit(cancel);
    const onAbort = () => {
      if (!started) dequeue.abort(o.signal!.reason);
      Atomics.store(cancel, 0, 1);
      port1.postMessage({ type: 'abort' } satisfies PoolMessage);
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    port1.on('message', (m: WorkerMessage) => {
      if (m.type === 'start') { started = true; this.started++; }
      else if (m.type === 'stage') o.onStage?.(m.row, m.stage, m.detail);
      else if (m.type === 'progress') o.onProgress?.(m.row, m.progress);
      else report(m.row, m.result);
    });
    try {
      // Rows travel only on the port, the task's result is their count: a second copy of each row
      // in it cost the main thread a structured-clone decode of every result.json-sized summary
      // (its largest allocation under load). The result can overtake the port's last messages.
      const rows = await this.piscina.run({ jobs, port: port2, cancel, keepPreparation: this.keepPreparation, summaries }, { transferList: [port2 as never], signal: dequeue.signal });
      if (rowsReported < rows) await new Promise<void>((resolve) => { allReported = () => { if (rowsReported === rows) resolve(); }; });
      return { died: null };
    } catch (e) {
      if (dequeue.signal.aborted) throw o.signal!.reason;
      return { died: e instanceof Error ? e : new Error(String(e)) };
    } finally {
      if (started) this.started--;
      this.inFlight--;
      exited();
      o.signal?.removeEventListener('abort', onAbort);
      port1.close();
    }
  }

  /** Waits for running tasks, then ends the workers. */
  async close(): Promise<void> {
    await this.piscina.close();
  }
}
