/**
 * One running service: its queue (in-process, or BullMQ when `queue` is a redis:// URL), its app,
 * and a graceful stop (no new requests, running jobs finish, queued jobs kept for the next start).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { InputError } from '../errors.js';
import { buildApp } from './app.js';
import { requireTokenOffLoopback } from './auth.js';
import { realDataRoot } from './dataRoot.js';
import type { JobQueue } from './jobQueue.js';
import { LocalQueue } from './localQueue.js';
import { createMetrics } from './metrics.js';

export interface ServiceOptions {
  port: number;
  host: string;
  dataRoot?: string;
  results: string;
  jobs: number;
  maxQueue: number;
  jobTimeoutSeconds: number;
  maxUploadBytes: number;
  token: string | null;
  /** redis://HOST:PORT: jobs go to BullMQ and `mxne worker` processes solve them. */
  queue?: string;
  logger?: FastifyServerOptions['logger'];
  /** SolvePoolOptions.solveNice of the in-process queue's pool (`mxne serve`: RESPONSIVE_SOLVE_NICE). @default 0 */
  solveNice?: number;
}

export interface RunningService { app: FastifyInstance; queue: JobQueue; url: string; stop(): Promise<void> }

export async function startService(o: ServiceOptions): Promise<RunningService> {
  requireTokenOffLoopback(o.host, o.token);
  const results = path.resolve(o.results);
  try {
    await fs.promises.mkdir(results, { recursive: true });
  } catch (e) {
    throw new InputError('--results', 'a folder that can be created', o.results, (e as Error).message);
  }
  const dataRoot = o.dataRoot === undefined ? null : await realDataRoot(o.dataRoot);
  const metrics = createMetrics();
  let queue: JobQueue;
  if (o.queue !== undefined) {
    // Loaded only when asked for: the embedded default needs neither BullMQ nor Redis.
    const { RedisQueue } = await import('./redisQueue.js');
    queue = await RedisQueue.connect({ url: o.queue, results, maxQueue: o.maxQueue, metrics });
  } else {
    const local = new LocalQueue({ results, jobs: o.jobs, maxQueue: o.maxQueue, timeoutSeconds: o.jobTimeoutSeconds, metrics, solveNice: o.solveNice });
    await local.start();
    queue = local;
  }
  metrics.watch(queue);
  const app = await buildApp({ queue, metrics, results, dataRoot, token: o.token, maxUploadBytes: o.maxUploadBytes, logger: o.logger });
  const url = await app.listen({ port: o.port, host: o.host });
  let stopping: Promise<void> | null = null;
  return {
    app, queue, url,
    stop: () => (stopping ??= (async () => {
      // Stop listening first (requests in flight are answered), then let the queue finish its running jobs.
      await app.close();
      await queue.shutdown();
    })()),
  };
}
