/**
 * One running service: its queue (in-process, or BullMQ when `queue` is a redis:// URL), its app,
 * the sweep that forgets finished jobs after `keepFinishedSeconds` (their records and folders: a
 * service that runs all day would otherwise grow in memory and on disk without end), and a
 * graceful stop (no new requests, running jobs finish, queued jobs kept for the next start).
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
  /** SolveProcessOptions.solveNice of the embedded queue's solve process (`mxne serve`: RESPONSIVE_SOLVE_NICE). @default 0 */
  solveNice?: number;
  /** A finished job (done, failed, cancelled) is forgotten, its folder removed, this long after it ended. @default 86400 (a day) */
  keepFinishedSeconds?: number;
}

/** How often the sweep looks: a quarter of the retention, between 1 s and 10 min. */
export const sweepIntervalMs = (keepSeconds: number) => Math.min(600_000, Math.max(1000, (keepSeconds * 1000) / 4));

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
  const keepSeconds = o.keepFinishedSeconds ?? 86_400;
  let sweeping = Promise.resolve();
  const sweep = () => {
    sweeping = sweeping.then(async () => {
      const n = await queue.sweep(Date.now() - keepSeconds * 1000);
      if (n > 0) app.log.info({ jobs: n, keepFinishedSeconds: keepSeconds }, 'finished jobs past their retention forgotten');
    }).catch((e: unknown) => app.log.error({ err: e }, 'sweeping finished jobs failed'));
  };
  sweep();
  const sweeper = setInterval(sweep, sweepIntervalMs(keepSeconds)).unref();
  let stopping: Promise<void> | null = null;
  return {
    app, queue, url,
    stop: () => (stopping ??= (async () => {
      clearInterval(sweeper);
      await sweeping;
      // Stop listening first (requests in flight are answered), then let the queue finish its running jobs.
      await app.close();
      await queue.shutdown();
    })()),
  };
}
