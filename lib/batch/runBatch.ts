/**
 * Runs planned rows on the worker pool: rows of one (forward, covariance) as one task in one
 * worker, each row's results in OUT/<id>/ (the folder `mxne solve` writes, swapped in whole), then
 * its `done` sidecar OUT/<id>.done.json, written last. A row with a sidecar for the same job is
 * skipped on a rerun (unless force), so a batch killed at any moment resumes where it was; a
 * failed row is reported and never stops the others. Ends by writing the summary and dipole
 * tables of every row of the run (skipped rows from their result.json).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MxneError } from '../errors.js';
import { atomicWrite } from '../io/atomicWrite.js';
import { makeFolders } from '../io/outputFolder.js';
import { SolvePool } from '../pool/solvePool.js';
import type { SolveJob } from '../workflow/solveFiles.js';
import type { SolveSummary } from '../workflow/summary.js';
import { groupRows, type PlannedRow } from './plan.js';
import { shardSuffix, type Shard } from './shard.js';
import { dipoleRows, solvedFields, writeTables, type BatchSummary, type DipoleRow, type RowRecord } from './tables.js';

export interface BatchRunOptions {
  out: string;
  /** Worker threads. @default os.availableParallelism() */
  jobs?: number;
  force?: boolean;
  shard: Shard | null;
  /** The manifest's file and all its ids (batch-collect tells missing rows from them). */
  manifest: { file: string; ids: string[] };
  onEvent?: (e: BatchEvent) => void;
}

export type BatchEvent =
  | { type: 'start'; total: number; skipped: number }
  | { type: 'running'; id: string }
  | { type: 'row'; record: RowRecord };

interface DoneSidecar { id: string; job: string; finishedAt: string }

/** The sidecar that says a row is finished. */
export function doneFile(out: string, id: string): string {
  return path.join(out, `${id}.done.json`);
}

/** What must not change for a finished row to count as done: the job without its output folder. */
function jobFingerprint(job: SolveJob): string {
  const { out: _o, ...rest } = job;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fs.promises.readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

async function isDone(out: string, r: PlannedRow): Promise<boolean> {
  const sidecar = await readJson<DoneSidecar>(doneFile(out, r.id));
  return sidecar !== null && sidecar.job === jobFingerprint(r.job) && fs.existsSync(path.join(r.job.out, 'result.json'));
}

function failedRecord(r: PlannedRow, e: Error, seconds: number | null): RowRecord {
  return {
    id: r.id, row: r.row, condition: r.condition, status: 'failed', dipoles: null, explainedVariance: null, alpha: null, converged: null,
    seconds, error: e.message.split('\n')[0], errorCode: e instanceof MxneError ? e.code : ((e as { code?: string }).code ?? e.name),
  };
}

export async function runBatch(rows: PlannedRow[], o: BatchRunOptions): Promise<BatchSummary> {
  const t0 = performance.now();
  await makeFolders(path.resolve(o.out));
  const done = new Set<string>();
  if (!o.force) await Promise.all(rows.map(async (r) => { if (await isDone(o.out, r)) done.add(r.id); }));
  const todo = rows.filter((r) => !done.has(r.id));
  o.onEvent?.({ type: 'start', total: rows.length, skipped: done.size });

  const records = new Map<string, RowRecord>();
  const summaries = new Map<string, SolveSummary>();
  const pool = new SolvePool({ jobs: o.jobs });
  try {
    await Promise.all(groupRows(todo).map(async (group) => {
      const started: number[] = [];
      const finish = async (k: number, outcome: { ok: true; summary: SolveSummary } | { ok: false; error: Error }) => {
        const r = group[k];
        let record: RowRecord;
        if (outcome.ok) {
          try {
            const sidecar: DoneSidecar = { id: r.id, job: jobFingerprint(r.job), finishedAt: new Date().toISOString() };
            await atomicWrite(doneFile(o.out, r.id), `${JSON.stringify(sidecar)}\n`);
            summaries.set(r.id, outcome.summary);
            record = { id: r.id, row: r.row, condition: r.condition, status: 'solved', ...solvedFields(outcome.summary), error: null, errorCode: null };
          } catch (e) {
            record = failedRecord(r, e as Error, null);
          }
        } else {
          record = failedRecord(r, outcome.error, started[k] === undefined ? null : (performance.now() - started[k]) / 1000);
        }
        records.set(r.id, record);
        o.onEvent?.({ type: 'row', record });
      };
      const pending: Promise<void>[] = [];
      await pool.runGroup(group.map((r) => r.job), {
        onStage: (k) => {
          if (started[k] !== undefined) return;
          started[k] = performance.now();
          o.onEvent?.({ type: 'running', id: group[k].id });
        },
        onRow: (k, outcome) => { pending.push(finish(k, outcome)); },
      });
      await Promise.all(pending);
    }));
  } finally {
    await pool.close();
  }

  const dipoles: DipoleRow[] = [];
  for (const r of rows) {
    let s = summaries.get(r.id) ?? null;
    if (done.has(r.id)) {
      s = await readJson<SolveSummary>(path.join(r.job.out, 'result.json'));
      records.set(r.id, s === null
        ? failedRecord(r, new Error(`${r.job.out}/result.json is unreadable; rerun with --force`), null)
        : { id: r.id, row: r.row, condition: r.condition, status: 'skipped', ...solvedFields(s), error: null, errorCode: null });
    }
    if (s !== null) dipoles.push(...dipoleRows(r.id, r.condition, s));
  }
  const ordered = rows.map((r) => records.get(r.id)!);
  const count = (status: RowRecord['status']) => ordered.filter((r) => r.status === status).length;
  const summary: BatchSummary = {
    manifest: o.manifest, shard: o.shard,
    counts: { solved: count('solved'), skipped: count('skipped'), failed: count('failed') },
    seconds: (performance.now() - t0) / 1000,
    rows: ordered,
  };
  await writeTables(o.out, shardSuffix(o.shard), summary, dipoles);
  return summary;
}
