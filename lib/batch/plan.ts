/**
 * From manifest rows to solve jobs: each row's options (its cells over the batch's command line
 * over the defaults, all through `mxne solve`'s parsers and solverSettings), checked as a solve
 * would check them, before any work. Rows that share a forward and a covariance form one group:
 * one pool task, one worker, what they share prepared once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors.js';
import { pictureSettings, type PictureFlags } from '../cli/pictureFlags.js';
import { solverSettings, type SolverFlags } from '../cli/solverFlags.js';
import { normalizeMixedNormOptions } from '../sparse/mixedNormOptions.js';
import { checkExtras } from '../workflow/extraOutputs.js';
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

/** `mxne solve`'s picture flags; without `report` (API callers) a row writes no report.html. */
export type BatchPictureFlags = Partial<PictureFlags>;

export type BatchDefaults = SolverFlags & RecordingFlags & BatchPictureFlags;

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
  checkExtras(pictureSettings({ report: false, subjectsDir: defaults.subjectsDir, morphTo: defaults.morphTo }));
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
      // The row's subject (its manifest cell) over the batch's --subject over the forward's.
      ...pictureSettings({ report: flags.report ?? false, subjectsDir: flags.subjectsDir, subject: r.subject ?? flags.subject, morphTo: flags.morphTo }),
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

/**
 * Before any work, the morph target of --morph-to: its `?h.sphere.reg` must exist (an InputError
 * naming the file, not a failure of every row); without its `?h.white` the dipoles get target
 * vertices but no positions, which the returned note says.
 */
export function checkMorphTarget(defaults: BatchPictureFlags): string | null {
  const { subjectsDir, morphTo } = pictureSettings({ report: false, subjectsDir: defaults.subjectsDir, morphTo: defaults.morphTo });
  if (!morphTo || !subjectsDir) return null;
  const file = (h: string, kind: string) => path.join(subjectsDir, morphTo, 'surf', `${h}.${kind}`);
  for (const h of ['lh', 'rh']) if (!fs.existsSync(file(h, 'sphere.reg'))) throw new InputError('morphTo', `a subject of --subjects-dir with surf/${h}.sphere.reg`, `${morphTo}: ${file(h, 'sphere.reg')} does not exist`);
  const white = ['lh', 'rh'].map((h) => file(h, 'white')).find((f) => !fs.existsSync(f));
  return white === undefined ? null : `--morph-to ${morphTo}: ${white} does not exist, so dipoles.csv gets the ${morphTo} vertices without positions, and the reports no glass brain on ${morphTo}`;
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
