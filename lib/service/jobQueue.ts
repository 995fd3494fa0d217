/**
 * What the HTTP side needs of a queue: the embedded one (LocalQueue: solves in a child process)
 * and the Redis one (RedisQueue: BullMQ, solved by `mxne worker` processes) both provide it.
 */
import type { JobRecord } from './jobRecord.js';

export interface QueueCounts { queued: number; running: number }

export interface JobQueue {
  /** Takes the job or throws PoolError 'EQUEUEFULL' (answered 429). The record is stored before this resolves. */
  submit(r: JobRecord): Promise<void>;
  get(id: string): Promise<JobRecord | null>;
  /** Cancels a queued or running job (a running solve stops at its next epoch); returns the record after. */
  cancel(id: string): Promise<JobRecord | null>;
  /** Forgets a finished job and removes its folder. */
  remove(id: string): Promise<void>;
  /** Forgets every finished job that ended before `before` (ms since the epoch) and removes its folder; returns how many. */
  sweep(before: number): Promise<number>;
  counts(): Promise<QueueCounts>;
  /** Whether new jobs can be taken now (pool up, Redis reachable, not shutting down). */
  ready(): Promise<boolean>;
  /** Seconds a client refused with 429 should wait before retrying. */
  retryAfterSeconds(): number;
  /** Stops taking jobs, lets running ones finish, keeps queued ones for the next start. */
  shutdown(): Promise<void>;
  /**
   * Calls `listener` with a job's id whenever its state changes (long polls wait on it); returns
   * the function that stops it. Absent: the HTTP side looks at the record again every 250 ms.
   */
  onStateChange?(listener: (id: string) => void): () => void;
}
