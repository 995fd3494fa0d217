/**
 * A job as the service keeps it (the same record in memory, in results/<id>/job.json and in Redis)
 * and as a client sees it. The record holds host paths; the view and its errors never do.
 */
import * as path from 'node:path';
import { MxneError, InputError } from '../errors.js';
import type { SolveProgress } from '../sparse/solverOptions.js';
import type { SolveJob } from '../workflow/solveFiles.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** Whether a job has its outcome (done, failed or cancelled): nothing about it changes any more. */
export const isFinished = (s: JobState) => s === 'done' || s === 'failed' || s === 'cancelled';

/** Whether job `r` has finished before `t` (ms since the epoch); a record kept without finishedAt counts from its submission. */
export const finishedBefore = (r: Pick<JobRecord, 'state' | 'finishedAt' | 'submittedAt'>, t: number) => isFinished(r.state) && (r.finishedAt ?? r.submittedAt) < t;

export interface PublicError { code: string; message: string; field?: string }

export interface JobProgress { stage?: string; detail?: string; outer?: number; epochs?: number; gap?: number; solve?: SolveProgress['solve'] }

export interface JobRecord {
  id: string;
  state: JobState;
  /** The solve, with absolute paths (out = <results>/<id>/out). */
  job: SolveJob;
  /** The inputs as the client named them (paths under the data root, or upload file names). */
  inputs: { fwd: string; evoked: string; cov: string };
  /** Uploaded inputs live in <results>/<id>/upload and go with the job. */
  uploaded: boolean;
  progress: JobProgress;
  submittedAt: number;
  startedAt?: number;
  finishedAt?: number;
  error?: PublicError;
}

export interface JobView {
  id: string; state: JobState; progress: JobProgress;
  timings: { submittedAt: string; startedAt: string | null; finishedAt: string | null; queuedSeconds: number | null; runSeconds: number | null };
  error: PublicError | null;
  links: { self: string; result: string | null };
}

export const jobFolder = (results: string, id: string) => path.join(results, id);
export const outFolder = (results: string, id: string) => path.join(results, id, 'out');
export const uploadFolder = (results: string, id: string) => path.join(results, id, 'upload');

const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());
const seconds = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? null : (b - a) / 1000);

export function jobView(r: JobRecord): JobView {
  return {
    id: r.id, state: r.state, progress: r.progress,
    timings: {
      submittedAt: iso(r.submittedAt)!, startedAt: iso(r.startedAt), finishedAt: iso(r.finishedAt),
      queuedSeconds: seconds(r.submittedAt, r.startedAt ?? (r.state === 'queued' ? undefined : r.finishedAt)),
      runSeconds: seconds(r.startedAt, r.finishedAt),
    },
    error: r.error ?? null,
    links: { self: `/v1/jobs/${r.id}`, result: r.state === 'done' ? `/v1/jobs/${r.id}/result` : null },
  };
}

/** Merges a stage or solver progress into the record (a stage's detail naming a host path keeps only its last part). */
export function recordProgress(r: JobRecord, p: SolveProgress | { stage: string; detail?: string }): void {
  const detail = 'detail' in p && p.detail?.includes(path.sep) ? path.basename(p.detail) : undefined;
  r.progress = { ...r.progress, ...p, ...(detail !== undefined ? { detail } : {}) };
}

/**
 * An error as a client may see it: code, message and field, with the job's host paths replaced by
 * the names the client gave (or dropped), and no stack.
 */
export function publicError(e: unknown, r: Pick<JobRecord, 'job' | 'inputs'>): PublicError {
  let message = e instanceof Error ? e.message : String(e);
  for (const k of ['fwd', 'evoked', 'cov'] as const) message = message.split(r.job[k]).join(r.inputs[k]);
  message = message.split(path.dirname(r.job.out)).join('<job>');
  // Anything that still looks like an absolute host path is cut to its last component.
  message = message.replace(/(^|[\s"'(])\/(?:[^\s"'():]+\/)+([^\s"'():/]+)/g, '$1$2');
  const code = e instanceof MxneError ? e.code : e instanceof Error && e.name === 'AbortError' ? 'EABORTED' : 'EINTERNAL';
  return { code, message, ...(e instanceof InputError ? { field: e.field } : {}) };
}
