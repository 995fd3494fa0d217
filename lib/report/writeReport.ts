/**
 * Writes a run's pictures into a folder: figures/<id>.svg|png (each figure as a file a server can
 * serve) and report.html (all of them inline, with the 3-D view). Used inside a solve's staging
 * folder and by `mxne report`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { atomicWrite } from '../io/atomicWrite.js';
import { readMgh, type MghVolume } from '../io/freesurfer/readMgh.js';
import { makeFigures, type FigureDrawing, type FigureInput } from '../viz/figures.js';
import type { SolveSummary } from '../workflow/summary.js';
import { readMorphedGlass } from './morphedGlass.js';
import { reportHtml } from './reportHtml.js';
import { sceneData } from './sceneData.js';
import { viewerBundle } from './viewerBundle.js';

export interface ReportInput extends Omit<FigureInput, 'times' | 'dipoles'> {
  summary: SolveSummary;
  /** Other files of the run worth naming in the summary (e.g. the morphed estimate). */
  extraFiles?: string[];
  /** Said in the report about what it could not draw. */
  notes?: string[];
  /** The subject the run's estimate was morphed to (its glass brain is drawn from the run's files). */
  morphTo?: string | null;
  subjectsDir?: string | null;
  /** Draw the figures in a worker thread (makeFigures' `drawing`); by default in this thread. */
  drawing?: FigureDrawing;
}

/**
 * The subject's T1 when a subjects folder is known and holds it. Without it the report has no MRI
 * slices and says why (a subjects folder may serve only the morph).
 */
export async function readSubjectT1(subjectsDir: string | null | undefined, subject: string | null): Promise<{ t1: MghVolume | null; note: string | null }> {
  if (!subjectsDir || !subject) return { t1: null, note: 'No MRI slices: no subjects folder given (--subjects-dir or $SUBJECTS_DIR).' };
  const file = path.join(subjectsDir, subject, 'mri', 'T1.mgz');
  if (!fs.existsSync(file)) return { t1: null, note: `No MRI slices: ${file} does not exist.` };
  return { t1: await readMgh(file, 'subjectsDir'), note: null };
}

export async function writeReport(dir: string, input: ReportInput): Promise<string[]> {
  const { summary } = input;
  const { glass, note } = await readMorphedGlass(dir, input.subjectsDir, input.morphTo);
  const notes = [...(input.notes ?? []), ...(note ? [note] : [])];
  const [figures, viewer] = await Promise.all([makeFigures({ ...input, times: summary.times, dipoles: summary.dipoles, morphed: glass }, input.drawing), viewerBundle()]);
  await fs.promises.mkdir(path.join(dir, 'figures'), { recursive: true });
  const written: string[] = [];
  for (const f of figures) {
    await atomicWrite(path.join(dir, 'figures', `${f.id}.${f.format}`), f.content);
    written.push(`figures/${f.id}.${f.format}`);
  }
  const html = reportHtml(summary, figures, sceneData(input.src, summary.times, summary.dipoles), viewer, input.extraFiles, notes);
  await atomicWrite(path.join(dir, 'report.html'), html);
  return [...written, 'report.html'];
}
