/**
 * Prometheus metrics of one service (its own registry, so several apps in one process — tests —
 * do not share counters): jobs queued and running (read from the queue when scraped), jobs done,
 * failed and cancelled, and the solve-time histogram.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobQueue } from './jobQueue.js';
import type { JobState } from './jobRecord.js';

export interface ServiceMetrics {
  registry: Registry;
  /** Counts a finished job once, with its solve time when it ran. */
  finished(state: Extract<JobState, 'done' | 'failed' | 'cancelled'>, runSeconds: number | null): void;
  /** The queue whose gauges are read at scrape time (set once the queue exists). */
  watch(queue: JobQueue): void;
}

export function createMetrics(): ServiceMetrics {
  const registry = new Registry();
  // Event-loop delay at 1 ms resolution: the bench reads its maximum as the longest stall.
  collectDefaultMetrics({ register: registry, prefix: 'mxne_', eventLoopMonitoringPrecision: 1 });
  let queue: JobQueue | null = null;
  const gauge = (name: string, help: string, key: 'queued' | 'running') => new Gauge({
    name, help, registers: [registry],
    async collect() { if (queue) this.set((await queue.counts())[key]); },
  });
  gauge('mxne_jobs_queued', 'jobs waiting for a worker', 'queued');
  gauge('mxne_jobs_running', 'jobs being solved', 'running');
  const ended = new Counter({ name: 'mxne_jobs_finished_total', help: 'jobs finished, by outcome (done, failed, cancelled)', labelNames: ['state'], registers: [registry] });
  const solve = new Histogram({
    name: 'mxne_solve_seconds', help: 'time from a worker taking a job to its outcome',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300], registers: [registry],
  });
  for (const s of ['done', 'failed', 'cancelled']) ended.inc({ state: s }, 0);
  return {
    registry,
    finished(state, runSeconds) {
      ended.inc({ state });
      if (runSeconds !== null) solve.observe(runSeconds);
    },
    watch(q) { queue = q; },
  };
}
