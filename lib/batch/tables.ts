/**
 * The batch's tables: one summary row per recording (batch-summary.json / .csv) and one row per
 * dipole of every recording (dipoles.csv: the table a group analysis starts from; with --morph-to
 * also where each dipole lands on the target subject), and the index page linking every report.
 * Written with csv-stringify, whole under a temporary name (atomicWrite).
 */
import * as path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { atomicWrite } from '../io/atomicWrite.js';
import type { SolveSummary } from '../workflow/summary.js';
import { cohortGlassBrain } from './cohortGlassBrain.js';
import { indexHtml } from './indexPage.js';

export type RowStatus = 'solved' | 'skipped' | 'failed';

export interface RowRecord {
  id: string;
  /** 1-based data row of the manifest. */
  row: number;
  condition: string | number;
  /** solved now, skipped (done by an earlier run: its `done` sidecar), or failed. */
  status: RowStatus;
  dipoles: number | null;
  explainedVariance: number | null;
  alpha: number | null;
  converged: boolean | null;
  /** Reading and solving, s (from result.json; for a failed row, until it failed). */
  seconds: number | null;
  error: string | null;
  errorCode: string | null;
}

export interface DipoleRow {
  id: string; condition: string | number; hemi: string; vertex: number;
  /** Head coordinates, m. */
  x: number; y: number; z: number;
  /** A·m, signed, and s. */
  peakAmplitude: number; peakLatency: number;
  /** % of the whitened data explained by this dipole at its peak. */
  gofAtPeak: number;
  /** With --morph-to: the target subject, the dipole's vertex there and its position (m, the target's surface RAS from ?h.white; empty without those surfaces). */
  morphSubject?: string; morphVertex?: number; morphX?: number | null; morphY?: number | null; morphZ?: number | null;
}

export interface BatchSummary {
  manifest: { file: string; ids: string[] };
  shard: { index: number; count: number; source: string } | null;
  counts: Record<RowStatus, number>;
  seconds: number;
  rows: RowRecord[];
}

export const SUMMARY_COLUMNS: Array<keyof RowRecord> = ['id', 'row', 'condition', 'status', 'dipoles', 'explainedVariance', 'alpha', 'converged', 'seconds', 'error', 'errorCode'];
export const DIPOLE_COLUMNS: Array<keyof DipoleRow> = ['id', 'condition', 'hemi', 'vertex', 'x', 'y', 'z', 'peakAmplitude', 'peakLatency', 'gofAtPeak'];
/** Added to dipoles.csv when some row was morphed (--morph-to). */
export const MORPH_COLUMNS: Array<keyof DipoleRow> = ['morphSubject', 'morphVertex', 'morphX', 'morphY', 'morphZ'];

/** The columns of dipoles.csv for these rows. */
export function dipoleColumns(rows: DipoleRow[]): Array<keyof DipoleRow> {
  return rows.some((r) => r.morphSubject !== undefined) ? [...DIPOLE_COLUMNS, ...MORPH_COLUMNS] : DIPOLE_COLUMNS;
}

/** What the summary says of a finished row, from its result.json. */
export function solvedFields(s: SolveSummary): Pick<RowRecord, 'dipoles' | 'explainedVariance' | 'alpha' | 'converged' | 'seconds'> {
  return { dipoles: s.dipoles.length, explainedVariance: s.explainedVariance, alpha: s.alpha, converged: s.converged, seconds: (s.timings.readSeconds ?? 0) + (s.timings.solveSeconds ?? 0) };
}

export function dipoleRows(id: string, condition: string | number, s: SolveSummary): DipoleRow[] {
  return s.dipoles.map((d, k) => {
    // The sample of the peak (times are stored as computed: compare by nearness, not equality).
    let peak = 0;
    for (let k = 1; k < s.times.length; k++) if (Math.abs(s.times[k] - d.peakTime) < Math.abs(s.times[peak] - d.peakTime)) peak = k;
    return {
      id, condition, hemi: d.hemi, vertex: d.vertno, x: d.pos[0], y: d.pos[1], z: d.pos[2],
      peakAmplitude: d.peakAmplitude, peakLatency: d.peakTime, gofAtPeak: d.gof[peak],
      ...(s.morph ? morphFields(s.morph.subject, s.morph.dipoles[k]) : {}),
    };
  });
}

function morphFields(subject: string, m: NonNullable<SolveSummary['morph']>['dipoles'][number]): Partial<DipoleRow> {
  return { morphSubject: subject, morphVertex: m.vertex, morphX: m.pos?.[0] ?? null, morphY: m.pos?.[1] ?? null, morphZ: m.pos?.[2] ?? null };
}

export function toCsv<T extends object>(rows: T[], columns: Array<keyof T>): string {
  return stringify(rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '' : r[c]))), { header: true, columns: columns as string[] });
}

/** The file names of a run's tables (a shard's carry its suffix, batch-collect merges them). */
export function tableFiles(out: string, suffix: string) {
  return {
    summaryJson: path.join(out, `batch-summary${suffix}.json`),
    summaryCsv: path.join(out, `batch-summary${suffix}.csv`),
    dipolesCsv: path.join(out, `dipoles${suffix}.csv`),
    index: path.join(out, `index${suffix}.html`),
  };
}

/** The tables and the index page; `missing`: manifest ids no run finished (batch-collect). */
export async function writeTables(out: string, suffix: string, summary: BatchSummary, dipoles: DipoleRow[], missing: string[] = []): Promise<ReturnType<typeof tableFiles>> {
  const files = tableFiles(out, suffix);
  await atomicWrite(files.summaryJson, `${JSON.stringify(summary, null, 1)}\n`);
  await atomicWrite(files.summaryCsv, toCsv(summary.rows, SUMMARY_COLUMNS));
  await atomicWrite(files.dipolesCsv, toCsv(dipoles, dipoleColumns(dipoles)));
  await atomicWrite(files.index, indexHtml(out, summary, files, missing, await cohortGlassBrain(out, dipoles)));
  return files;
}
