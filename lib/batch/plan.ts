/**
 * From manifest rows to solve jobs: each row's options (its cells over the batch's command line
 * over the defaults, all through `mxne solve`'s parsers and solverSettings), checked as a solve
 * would check them, before any work. Rows that share a forward and a covariance form one group:
 * one pool task, one worker, what they share prepared once.
 */
import * as path from 'node:path';
import { InputError } from '../errors.js';
import { pictureSettings } from '../cli/pictureFlags.js';
import { solverSettings, type SolverFlags } from '../cli/solverFlags.js';
import { normalizeMixedNormOptions } from '../sparse/mixedNormOptions.js';
import type { SolveJob } from '../workflow/solveFiles.js';
import { ManifestProblems, type Manifest } from './manifest.js';

export interface RecordingFlags {
  /** `mxne solve`'s --condition: repeatable (several conditions solved together); none given = 0. */
  condition: Array<string | number>;
  joint?: boolean;
  baseline: [number | null, number | null] | null;
  tmin: number;
  tmax: number;
}

export type BatchDefaults = SolverFlags & RecordingFlags;

export interface PlannedRow {
  row: number;
  id: string;
  condition: string | number;
  job: SolveJob;
}

/** The output folder of a row. */
export function rowFolder(out: string, id: string): string {
  return path.join(out, id);
}

/** Jobs for every row; throws one InputError listing every bad option cell (row and column). */
export function planRows(manifest: Manifest, defaults: BatchDefaults, out: string): PlannedRow[] {
  const problems = new ManifestProblems(manifest.file);
  const planned: PlannedRow[] = [];
  for (const r of manifest.rows) {
    const flags = { ...defaults, ...r.values } as BatchDefaults;
    const conditions = flags.condition;
    const job: SolveJob = {
      fwd: r.forward, evoked: r.evoked, cov: r.covariance, out: rowFolder(out, r.id),
      condition: conditions[0] ?? 0, baseline: flags.baseline, tmin: flags.tmin, tmax: flags.tmax,
      ...solverSettings(flags),
      ...(conditions.length > 1 ? { conditions, joint: !!flags.joint } : {}),
      // As `mxne solve --no-report`: a row writes no report.html (its figures cost more than the solve).
      ...pictureSettings({ report: false }),
    };
    try {
      normalizeMixedNormOptions(job.mixedNorm);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.add(r.row, e.field, e.message);
      continue;
    }
    planned.push({ row: r.row, id: r.id, condition: conditions.length > 1 ? conditions.join('+') : job.condition, job });
  }
  problems.throwIfAny();
  return planned;
}

/** Rows grouped by (forward, covariance), in manifest order within a group and of first appearance. */
export function groupRows<T extends { job: SolveJob }>(rows: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const key = `${r.job.fwd}\u0000${r.job.cov}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  return [...groups.values()];
}
