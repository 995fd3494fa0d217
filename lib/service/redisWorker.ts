/**
 * `mxne worker`: takes jobs from the BullMQ queue on Redis and solves them in a SolveProcess (a
 * child process, one BLAS thread per worker thread), writing into the shared results folder. A
 * worker that dies mid-job loses its lock; another worker's stalled-job check puts the job back in
 * the queue, at most `maxRetries` times (BullMQ's maxStalledCount). Failures of the solve itself
 * are final, a job that crashes the solve process twice included (EWORKER): the worker lives on,
 * so such a job fails on one worker rather than taking a worker, and the jobs it ran, down with it
 * on every retry.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { SolveProcess } from '../pool/solveProcess.js';
import { outFolder, publicError, recordProgress, uploadFolder, type JobRecord } from './jobRecord.js';
import { CANCEL_CHANNEL, QUEUE_NAME, checkReachable, redisOptions } from './redisConnection.js';
import { failureReason } from './redisQueue.js';

export interface WorkerOptions {
  url: string;
  results: string;
  jobs: number;
  /** Times a job whose worker died is put back in the queue before it fails. */
  maxRetries: number;
  /** A worker that has not renewed its lock for this long is taken for dead. */
  lockSeconds: number;
  timeoutSeconds: number;
  /** SolveProcessOptions.solveNice (`mxne worker`: RESPONSIVE_SOLVE_NICE). @default 0 */
  solveNice?: number;
  /** SolveProcessOptions.stopGraceSeconds. @default 30 */
  stopGraceSeconds?: number;
}

export interface RunningWorker { close(): Promise<void> }

/** The job as this worker sees the shared folder (its output and uploads under our --results), its result.json naming the inputs as the client did. */
function localJob(r: JobRecord, results: string): JobRecord['job'] {
  const upload = (f: string) => path.join(uploadFolder(results, r.id), path.basename(f));
  return {
    ...r.job, out: outFolder(results, r.id), inputNames: r.inputs,
    ...(r.uploaded ? { fwd: upload(r.job.fwd), evoked: upload(r.job.evoked), cov: upload(r.job.cov) } : {}),
  };
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  await checkReachable(o.url);
  const results = path.resolve(o.results);
  const connection = redisOptions(o.url);
  const pool = new SolveProcess({ jobs: o.jobs, maxQueue: 0, solveNice: o.solveNice, stopGraceSeconds: o.stopGraceSeconds });
  const running = new Map<string, { controller: AbortController; why: 'cancel' | 'timeout' | null }>();
  const subscriber = new Redis(connection);
  subscriber.on('error', () => {});
  subscriber.on('message', (_channel: string, id: string) => {
    const c = running.get(id);
    if (c && !c.controller.signal.aborted) { c.why = 'cancel'; c.controller.abort(); }
  });
  await subscriber.subscribe(CANCEL_CHANNEL);

  const solve = async (job: Job<JobRecord>) => {
    const r: JobRecord = { ...job.data, job: localJob(job.data, results), progress: {} };
    const c = { controller: new AbortController(), why: null as 'cancel' | 'timeout' | null };
    running.set(r.id, c);
    const timer = setTimeout(() => { c.why = 'timeout'; c.controller.abort(); }, o.timeoutSeconds * 1000);
    const report = () => void job.updateProgress({ ...r.progress }).catch(() => {});
    const t0 = Date.now();
    try {
      await pool.solveInto(r.job, {
        signal: c.controller.signal,
        onStage: (_row, stage, detail) => { recordProgress(r, { stage, detail }); report(); },
        onProgress: (_row, p) => { recordProgress(r, p); report(); },
      });
      return { runSeconds: (Date.now() - t0) / 1000 };
    } catch (e) {
      if (c.why === 'cancel') throw new UnrecoverableError(failureReason({ code: 'ECANCELLED', message: 'cancelled' }));
      if (c.why === 'timeout') throw new UnrecoverableError(failureReason({ code: 'ETIMEOUT', message: `the job ran longer than ${o.timeoutSeconds} s and was stopped` }));
      throw new UnrecoverableError(failureReason(publicError(e, r)));
    } finally {
      clearTimeout(timer);
      running.delete(r.id);
    }
  };

  const worker = new Worker<JobRecord>(QUEUE_NAME, solve, {
    connection, concurrency: o.jobs, maxStalledCount: o.maxRetries, name: `${os.hostname()}:${process.pid}`,
    lockDuration: o.lockSeconds * 1000, stalledInterval: Math.max(1000, (o.lockSeconds * 1000) / 2),
  });
  worker.on('error', () => {}); // Redis away: BullMQ reconnects and the jobs wait
  await worker.waitUntilReady();
  return {
    async close() {
      // BullMQ's close waits for the jobs being solved, then for Redis to confirm; while Redis is
      // unreachable that never comes (taskforcesh/bullmq#4656) and the process would never exit.
      // No outcome can be recorded then anyway (the stalled-job check runs the job again once
      // Redis is back), so once no job is being solved and Redis does not answer, it disconnects
      // (whose own wait for the connection's end would not end either: it is given a second).
      const closed = worker.close().then(() => true);
      const after = (ms: number) => new Promise<false>((r) => setTimeout(r, ms, false));
      while (!(await Promise.race([closed, after(1000)]))) {
        if (running.size === 0 && !(await checkReachable(o.url).then(() => true, () => false))) {
          await Promise.race([worker.disconnect(), after(1000)]);
          break;
        }
      }
      await pool.close();
      subscriber.disconnect();
    },
  };
}
