/**
 * A pool worker: runs the rows of one task with solveFiles, one BLAS thread (the pool's
 * parallelism is across workers; OpenBLAS threads on top would oversubscribe the cores).
 * Native jobs run on this thread (runJobsInline). Rows report on the task's port as they finish
 * (their only way back). A cancelled task's cell stops the running solve between epochs, and the
 * 'abort' that follows on the port skips the rows left.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { workerData } from 'piscina';
import { runJobsInline, setNumThreads, setThreadNice, shareCancellation } from '../native.js';
import { PreparationCache } from '../prepare/preparationCache.js';
import { solveFiles } from '../workflow/solveFiles.js';
import type { GroupTask, PoolMessage, RowResult, WorkerMessage } from './messages.js';
import { errorRecord } from './transferError.js';

setNumThreads(1);
runJobsInline();
// The pool's solve priority (SolvePoolOptions.solveNice): this thread's JavaScript yields to the pool creator's too.
const { nice } = workerData as { nice: number | null };
if (nice !== null) setThreadNice(nice);

/**
 * Beyond this much committed heap after a row, the worker collects before the next one. What a row
 * leaves live on this thread's heap is small (~35 MB), but a row allocates ~150 MB there (the
 * report's figures most), and a collection V8 schedules itself ends its incremental marking up to
 * a second into that: what was allocated meanwhile counts as live, so one kept ~300 MB and V8
 * then let the heap grow to twice that before the next (rows with a subject's shared preparation,
 * quicker, met this more often: 1.8 GB peak RSS over 24 rows with reports, 1.1 GB unshared).
 * Collecting after such a row brings the heap back to what is live (1.8 → 1.2 GB). Not after every
 * row: each collection also drops the type feedback the solver's compiled code relies on, and a
 * collection per row cost ~25 % more CPU (peak 0.8 GB). A normal row's heap stays under ~270 MB.
 */
const COLLECT_ABOVE_BYTES = 320 << 20;

/**
 * V8's `gc`, taken from a context made while the flag that exposes it is on (the flag is
 * process-wide, so it is turned off again at once).
 */
const collectGarbage = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed; // the process runs with --expose-gc
  v8.setFlagsFromString('--expose-gc');
  try {
    return vm.runInNewContext('gc') as () => void;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
})();

// For pools that keep preparation (SolvePoolOptions.keepPreparation): lives as long as the worker.
const workerCache = new PreparationCache();

/** Resolves with the number of rows reported on the port. */
export default async function runGroup(task: GroupTask): Promise<number> {
  const { jobs, port } = task;
  // The task's rows share a forward and a covariance (a batch's group): prepared once for all.
  const cache = task.keepPreparation ? workerCache : new PreparationCache();
  const controller = new AbortController();
  const cancelled = new DOMException('The task was cancelled', 'AbortError');
  shareCancellation(controller, task.cancel, cancelled);
  const post = (m: WorkerMessage) => port.postMessage(m);
  port.on('message', (m: PoolMessage) => {
    if (m.type === 'abort') controller.abort(cancelled);
  });
  post({ type: 'start' });
  try {
    for (const [row, job] of jobs.entries()) {
      let result: RowResult;
      try {
        controller.signal.throwIfAborted();
        const onProgress = (progress: Parameters<NonNullable<typeof job.mixedNorm.onProgress>>[0]) => post({ type: 'progress', row, progress });
        const summary = await solveFiles({ ...job, mixedNorm: { ...job.mixedNorm, signal: controller.signal, onProgress } },
          (stage, detail) => post({ type: 'stage', row, stage, detail }), cache);
        result = { ok: true, summary: task.summaries ? summary : null };
      } catch (e) {
        result = { ok: false, error: errorRecord(e) };
      }
      post({ type: 'row', row, result });
      if (v8.getHeapStatistics().total_heap_size > COLLECT_ABOVE_BYTES) collectGarbage();
    }
  } finally {
    port.close();
  }
  return jobs.length;
}
