/** What a pool task is, and what travels on its MessagePort while it runs (lib/pool/solvePool.ts). */
import type { MessagePort } from 'node:worker_threads';
import type { SolveProgress } from '../sparse/solverOptions.js';
import type { SolveJob, StageListener } from '../workflow/solveFiles.js';
import type { SolveSummary } from '../workflow/summary.js';
import type { ErrorRecord } from './transferError.js';

/** Rows that share a forward and a covariance run as one task, in one worker, in order. */
export interface GroupTask {
  jobs: SolveJob[];
  port: MessagePort;
  /** Set (to 1) by the pool when the task is cancelled: an Int32Array(1) on a SharedArrayBuffer, read by the running native solve. */
  cancel: Int32Array;
  /** Prepare with the worker's long-lived cache rather than one for this task alone (SolvePoolOptions). */
  keepPreparation: boolean;
  /** Send each row's SolveSummary back; false (SolvePool.solveInto): it stays in the worker, the caller reads result.json. */
  summaries: boolean;
}

/** One row's outcome: a failed row never stops the rows after it. The summary is null when the task did not ask for it. */
export type RowResult = { ok: true; summary: SolveSummary | null } | { ok: false; error: ErrorRecord };

export type WorkerMessage =
  | { type: 'start' }
  | { type: 'stage'; row: number; stage: Parameters<StageListener>[0]; detail?: string }
  | { type: 'progress'; row: number; progress: SolveProgress }
  | { type: 'row'; row: number; result: RowResult };

export type PoolMessage = { type: 'abort' };

/** What `mxne serve`'s or `mxne worker`'s process sends its solve process (lib/pool/solveProcess.ts) over the IPC channel. */
export type ProcessRequest =
  | { type: 'solve'; id: number; job: SolveJob }
  | { type: 'cancel'; id: number }
  | { type: 'close' };

/** What the solve process sends back: a task's stages and progress, then its end (error null: done). */
export type ProcessReport =
  | { type: 'stage'; id: number; stage: Parameters<StageListener>[0]; detail?: string }
  | { type: 'progress'; id: number; progress: SolveProgress }
  | { type: 'end'; id: number; error: ErrorRecord | null };
