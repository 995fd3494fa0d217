/**
 * The queue of `mxne serve --queue redis://…`: jobs live in BullMQ on Redis and `mxne worker`
 * processes solve them; this side only adds, reads, cancels and removes. A job's record is the
 * BullMQ job's data; its state, progress, timings and error are BullMQ's. A job cancelled before a
 * worker took it leaves the queue and is remembered in <results>/<id>/job.json (the shared folder).
 */
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { PoolError } from '../errors.js';
import type { JobQueue, QueueCounts } from './jobQueue.js';
import { loadRecord, loadRecords, removeJobFolder, saveRecord } from './jobFiles.js';
import { finishedBefore, isFinished, type JobRecord, type JobState, type PublicError } from './jobRecord.js';
import type { ServiceMetrics } from './metrics.js';
import { CANCEL_CHANNEL, QUEUE_NAME, checkReachable, redisOptions } from './redisConnection.js';

export interface RedisQueueOptions { url: string; results: string; maxQueue: number; metrics: ServiceMetrics }

/** What a worker's failure carries in failedReason: the public error as JSON. */
export function failureReason(e: PublicError): string {
  return JSON.stringify(e);
}

function parseFailure(reason: string | undefined): PublicError {
  try {
    const e = JSON.parse(reason ?? '') as PublicError;
    if (typeof e.code === 'string' && typeof e.message === 'string') return e;
  } catch {
    // BullMQ's own reasons (e.g. "job stalled more than allowable limit") are plain text.
  }
  return { code: 'EWORKER', message: reason ?? 'the job failed' };
}

const STATES: Record<string, JobState> = {
  waiting: 'queued', prioritized: 'queued', delayed: 'queued', 'waiting-children': 'queued', active: 'running', completed: 'done', failed: 'failed',
};

export class RedisQueue implements JobQueue {
  private closing = false;

  private constructor(
    private readonly o: RedisQueueOptions,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly publisher: Redis,
  ) {}

  static async connect(o: RedisQueueOptions): Promise<RedisQueue> {
    await checkReachable(o.url);
    const connection = redisOptions(o.url);
    const queue = new Queue(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    const publisher = new Redis(connection);
    // They reconnect by themselves; /readyz says when Redis is away.
    queue.on('error', () => {});
    events.on('error', () => {});
    publisher.on('error', () => {});
    const q = new RedisQueue(o, queue, events, publisher);
    // Counted here, once per job: BullMQ emits one completed/failed event per job, whatever the retries.
    events.on('completed', ({ jobId }) => void q.countFinished(jobId, 'done'));
    events.on('failed', ({ jobId, failedReason }) => void q.countFinished(jobId, parseFailure(failedReason).code === 'ECANCELLED' ? 'cancelled' : 'failed'));
    await events.waitUntilReady();
    return q;
  }

  private async countFinished(id: string, state: 'done' | 'failed' | 'cancelled'): Promise<void> {
    const job = await this.queue.getJob(id).catch(() => undefined);
    this.o.metrics.finished(state, job?.processedOn && job.finishedOn ? (job.finishedOn - job.processedOn) / 1000 : null);
  }

  async submit(r: JobRecord): Promise<void> {
    if (this.closing) throw new PoolError('EQUEUEFULL', 'the service is shutting down');
    const c = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed');
    const waiting = c.waiting + c.prioritized + c.delayed;
    if (waiting >= this.o.maxQueue) throw new PoolError('EQUEUEFULL', `the queue is full (${waiting} jobs waiting)`);
    // Deterministic failures (bad input) are not retried; a worker that dies is (BullMQ's stalled-job check, in the workers).
    await this.queue.add('solve', r, { jobId: r.id, attempts: 1, removeOnComplete: false, removeOnFail: false });
  }

  /** `s` is read before `job`: a finished job's data are final, while a job read first can finish before its state is read. */
  private toRecord(job: Job<JobRecord>, s: string): JobRecord {
    const failure = s === 'failed' ? parseFailure(job.failedReason) : undefined;
    const state: JobState = failure?.code === 'ECANCELLED' ? 'cancelled' : STATES[s] ?? 'queued';
    return {
      ...job.data, state,
      progress: typeof job.progress === 'object' ? job.progress as JobRecord['progress'] : {},
      startedAt: job.processedOn ?? undefined,
      finishedAt: isFinished(state) ? job.finishedOn ?? undefined : undefined,
      error: failure?.code === 'ECANCELLED' ? undefined : failure,
    };
  }

  async get(id: string): Promise<JobRecord | null> {
    const s = await this.queue.getJobState(id);
    const job = await this.queue.getJob(id) as Job<JobRecord> | undefined;
    if (job) return this.toRecord(job, s === 'unknown' ? await job.getState() : s);
    return loadRecord(this.o.results, id);
  }

  async cancel(id: string): Promise<JobRecord | null> {
    const job = await this.queue.getJob(id) as Job<JobRecord> | undefined;
    if (!job) return loadRecord(this.o.results, id);
    if ((await job.getState()) !== 'active') {
      try {
        await job.remove();
        const r: JobRecord = { ...job.data, state: 'cancelled', progress: {}, finishedAt: Date.now() };
        await saveRecord(this.o.results, r);
        this.o.metrics.finished('cancelled', null);
        return r;
      } catch {
        // Taken by a worker meanwhile (a locked job cannot be removed): cancel it there.
      }
    }
    await this.publisher.publish(CANCEL_CHANNEL, id);
    // The worker stops at the solver's next epoch.
    for (let k = 0; k < 300; k++) {
      const r = await this.get(id);
      if (r === null || r.state !== 'running') return r;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    await (await this.queue.getJob(id))?.remove();
    await removeJobFolder(this.o.results, id);
  }

  async sweep(before: number): Promise<number> {
    let n = 0;
    for (const type of ['completed', 'failed'] as const) {
      // Every job of that type that finished before `before` (limit 0: all, in BullMQ's batches).
      const ids = await this.queue.clean(Math.max(0, Date.now() - before), 0, type);
      for (const id of ids) await removeJobFolder(this.o.results, id);
      n += ids.length;
    }
    // A job cancelled before a worker took it is only its folder's job.json (read for every folder:
    // fine for the folders a retention window keeps, which this sweep bounds).
    for (const r of await loadRecords(this.o.results)) {
      if (finishedBefore(r, before)) { await removeJobFolder(this.o.results, r.id); n++; }
    }
    return n;
  }

  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
    return { queued: c.waiting + c.prioritized + c.delayed, running: c.active };
  }

  async ready(): Promise<boolean> {
    if (this.closing) return false;
    return this.publisher.status === 'ready' && (await this.publisher.ping().then(() => true, () => false));
  }

  retryAfterSeconds(): number {
    return 5;
  }

  /** Jobs stay in Redis: queued ones wait for workers, running ones are the workers' to finish. */
  async shutdown(): Promise<void> {
    this.closing = true;
    await Promise.all([this.events.close(), this.queue.close()]);
    this.publisher.disconnect();
  }
}
