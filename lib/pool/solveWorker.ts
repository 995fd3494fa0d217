/**
 * A pool worker: runs the rows of one task with solveFiles, one BLAS thread (the pool's
 * parallelism is across workers; OpenBLAS threads on top would oversubscribe the cores).
 * Rows report on the task's port as they finish (their only way back); an 'abort' on the port
 * stops the running solve between epochs (the AbortSignal reaches the native solver) and skips
 * the rows left.
 */
import { workerData } from 'piscina';
import { setNumThreads, setThreadNice } from '../native.js';
import { PreparationCache } from '../prepare/preparationCache.js';
import { solveFiles } from '../workflow/solveFiles.js';
import type { GroupTask, PoolMessage, RowResult, WorkerMessage } from './messages.js';
import { errorRecord } from './transferError.js';

setNumThreads(1);
// The pool's solve priority (SolvePoolOptions.solveNice): this thread's JavaScript yields to the pool creator's too.
const { nice } = workerData as { nice: number | null };
if (nice !== null) setThreadNice(nice);

// For pools that keep preparation (SolvePoolOptions.keepPreparation): lives as long as the worker.
const workerCache = new PreparationCache();

/** Resolves with the number of rows reported on the port. */
export default async function runGroup(task: GroupTask): Promise<number> {
  const { jobs, port } = task;
  // The task's rows share a forward and a covariance (a batch's group): prepared once for all.
  const cache = task.keepPreparation ? workerCache : new PreparationCache();
  const controller = new AbortController();
  const post = (m: WorkerMessage) => port.postMessage(m);
  port.on('message', (m: PoolMessage) => {
    if (m.type === 'abort') controller.abort(new DOMException('The task was cancelled', 'AbortError'));
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
    }
  } finally {
    port.close();
  }
  return jobs.length;
}
