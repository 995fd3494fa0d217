/**
 * What a solve writes beside its results when asked: the estimate morphed to another subject
 * (`mxne-<subject>-lh/rh.stc`, MNE's sparse morph) and the report. Written into the run's
 * staging folder (writeOutputs' `extra`), so they appear with the run or not at all. The report
 * is written when `report: true` (the CLI's default; `--no-report` turns it off): API and pool
 * callers of solveFiles opt in, so a batch does not pay for pictures it did not ask for.
 */
import * as path from 'node:path';
import { InputError } from '../errors.js';
import { writeStc } from '../io/stc.js';
import { affineOf } from '../linalg/affine.js';
import { Matrix } from '../linalg/matrix.js';
import { applySourceMorph, computeSourceMorph } from '../morph/computeSourceMorph.js';
import { makeStcFromDipoles } from '../results/makeStcFromDipoles.js';
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

export async function writeMorph(staging: string, job: ExtraJob, inputs: Pick<SeedInputs, 'forward'>, result: MixedNormResult): Promise<string[]> {
  if (!job.morphTo || !job.subjectsDir) return [];
  const src = inputs.forward.src;
  if (!src.every((s) => s.type === 'surf')) throw new InputError('morphTo', 'a forward on a cortical surface source space', `a ${src[0].type} source space`);
  const subjectFrom = subjectOf(job, inputs);
  if (!subjectFrom) throw new InputError('subject', 'the subject of the data (the forward names none)', 'nothing');
  // The estimate of mxne-lh/rh.stc: from the dipoles as in the seed example (no dipoles: empty).
  const stc = result.dipoles.length > 0 ? makeStcFromDipoles(result.dipoles, src) : { ...result.stc, vector: false, data: new Matrix(0, result.stc.data.cols) };
  const morph = await computeSourceMorph(stc, { subjectFrom, subjectTo: job.morphTo, subjectsDir: job.subjectsDir, sparse: true });
  const files = await writeStc(path.join(staging, `mxne-${job.morphTo}`), applySourceMorph(morph, { ...stc, subject: subjectFrom }));
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

/** `drawing`: the report's figures drawn in a worker thread, the evoked's started early (solveFiles). */
export function extraOutputs(job: ExtraJob, inputs: SeedInputs, result: MixedNormResult, summary: SolveSummary, drawing?: FigureDrawing): (staging: string) => Promise<string[]> {
  return async (staging) => {
    const morphed = await writeMorph(staging, job, inputs, result);
    return [...morphed, ...(await writeRunReport(staging, job, inputs, result, summary, morphed, drawing))];
  };
}
