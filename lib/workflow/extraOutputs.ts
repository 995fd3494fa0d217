/**
 * What a solve writes beside its results when asked: the estimate morphed to another subject
 * (`mxne-<subject>-lh/rh.stc`, MNE's sparse morph; where each dipole lands goes into result.json's
 * `morph`) and the report. Written into the run's staging folder (writeOutputs' `extra`), so they
 * appear with the run or not at all. The report is written when `report: true` (the CLI's
 * default, `mxne batch` included; `--no-report` turns it off): API and pool callers of solveFiles
 * opt in, so they do not pay for pictures they did not ask for.
 */
import * as path from 'node:path';
import { InputError } from '../errors.js';
import { writeStc } from '../io/stc.js';
import { affineOf } from '../linalg/affine.js';
import { Matrix } from '../linalg/matrix.js';
import { applySourceMorph, computeSourceMorph } from '../morph/computeSourceMorph.js';
import { readWhiteSurfaces } from '../morph/whiteSurfaces.js';
import { makeStcFromDipoles } from '../results/makeStcFromDipoles.js';
import type { SourceEstimate } from '../records/sourceEstimate.js';
import type { MixedNormResult } from '../sparse/mixedNorm.js';
import type { FigureDrawing } from '../viz/figures.js';
import type { SeedInputs, SolveJob } from './solveFiles.js';
import type { SolveSummary } from './summary.js';

type ExtraJob = Pick<SolveJob, 'subjectsDir' | 'subject' | 'morphTo' | 'report'>;

/** Refuses, before any file is read, a morph without a subjects folder. */
export function checkExtras(job: ExtraJob): void {
  if (job.morphTo && !job.subjectsDir) throw new InputError('subjectsDir', 'a FreeSurfer subjects folder (needed by morphTo)', String(job.subjectsDir));
}

/** The subject of the data: as asked, else as the forward's source space names it. */
export function subjectOf(job: ExtraJob, inputs: Pick<SeedInputs, 'forward'>): string | null {
  return job.subject ?? inputs.forward.src[0]?.subjectHisId ?? null;
}

/** Where each dipole lands on the morph target: its vertex there, and that vertex's position (m, the target's surface RAS, from `?h.white`). */
export interface MorphSummary {
  subject: string;
  /** The surfaces the positions come from, or null when they are absent (then `pos` is null and `note` says so). */
  surface: string | null;
  note: string | null;
  dipoles: { hemi: string; vertex: number; pos: number[] | null }[];
}

/** A run's estimate on the morph target: the estimate (for `mxne-<target>-lh/rh.stc`) and where each dipole went (result.json's `morph`). */
export interface RunMorph { stc: SourceEstimate; summary: MorphSummary }

/** MNE's sparse morph of the run's estimate (built from the dipoles as in the seed example), or null when no morph was asked. */
export async function morphRun(job: ExtraJob, inputs: Pick<SeedInputs, 'forward'>, result: MixedNormResult): Promise<RunMorph | null> {
  if (!job.morphTo || !job.subjectsDir) return null;
  const src = inputs.forward.src;
  if (!src.every((s) => s.type === 'surf')) throw new InputError('morphTo', 'a forward on a cortical surface source space', `a ${src[0].type} source space`);
  const subjectFrom = subjectOf(job, inputs);
  if (!subjectFrom) throw new InputError('subject', 'the subject of the data (the forward names none)', 'nothing');
  // No dipoles: an empty estimate.
  const stc = result.dipoles.length > 0 ? makeStcFromDipoles(result.dipoles, src) : { ...result.stc, vector: false, data: new Matrix(0, result.stc.data.cols) };
  const [morph, white] = await Promise.all([
    computeSourceMorph(stc, { subjectFrom, subjectTo: job.morphTo, subjectsDir: job.subjectsDir, sparse: true }),
    readWhiteSurfaces(job.subjectsDir, job.morphTo, 'morphTo ?h.white'),
  ]);
  const rr = white.missing === null ? [white.lh.rr, white.rh.rr] : null;
  // Source row j of hemisphere h (the j-th dipole of h, in the estimate's order) → its target vertex.
  const targetOf = morph.rowsFrom.map((order, h) => {
    const to = new Int32Array(order.length);
    order.forEach((j, k) => { to[j] = morph.verticesTo[h][k]; });
    return to;
  });
  const seen = [0, 0];
  const dipoles = result.dipoles.map((d) => {
    const h = d.hemi === 'lh' ? 0 : 1;
    const vertex = targetOf[h][seen[h]++];
    return { hemi: d.hemi, vertex, pos: rr ? [0, 1, 2].map((c) => rr[h].get(vertex, c) / 1e3) : null };
  });
  const note = white.missing === null ? null : `No positions on ${job.morphTo}: ${white.missing} does not exist (vertices only).`;
  return {
    stc: applySourceMorph(morph, { ...stc, subject: subjectFrom }),
    summary: { subject: job.morphTo, surface: rr ? path.join(job.subjectsDir, job.morphTo, 'surf', '?h.white') : null, note, dipoles },
  };
}

async function writeMorph(staging: string, job: ExtraJob, morph: RunMorph | null): Promise<string[]> {
  if (morph === null) return [];
  const files = await writeStc(path.join(staging, `mxne-${job.morphTo}`), morph.stc);
  return files.map((f) => path.basename(f));
}

export async function writeRunReport(staging: string, job: ExtraJob, inputs: SeedInputs, result: MixedNormResult, summary: SolveSummary, extraFiles: string[], drawing?: FigureDrawing): Promise<string[]> {
  if (job.report !== true) return [];
  // Loaded only for a report (vega-lite specs, PNG encoding, the viewer).
  const { readSubjectT1, writeReport } = await import('../report/writeReport.js');
  const { t1, note } = await readSubjectT1(job.subjectsDir, subjectOf(job, inputs));
  return writeReport(staging, {
    summary, evoked: inputs.evoked, residual: result.residual, src: inputs.forward.src,
    mriHeadT: affineOf(inputs.forward.mriHeadT.trans), t1, extraFiles, notes: note ? [note] : [], morphTo: job.morphTo, subjectsDir: job.subjectsDir, drawing,
  });
}

/**
 * `morph`: the run's morph (morphRun), computed before the summary so result.json holds where the
 * dipoles went; `drawing`: the report's figures drawn in a worker thread, the evoked's started early (solveFiles).
 */
export function extraOutputs(job: ExtraJob, inputs: SeedInputs, result: MixedNormResult, summary: SolveSummary, morph: RunMorph | null, drawing?: FigureDrawing): (staging: string) => Promise<string[]> {
  return async (staging) => {
    const morphed = await writeMorph(staging, job, morph);
    return [...morphed, ...(await writeRunReport(staging, job, inputs, result, summary, morphed, drawing))];
  };
}
