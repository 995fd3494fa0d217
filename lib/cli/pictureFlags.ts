/** Options of `mxne solve` and `mxne demo` for what is drawn and morphed: report, subjects, morph target. */
import type { Command } from 'commander';
import type { SolveJob } from '../workflow/solveFiles.js';
import * as parse from './parsers.js';

export function addPictureFlags(cmd: Command, withSubjects = true): Command {
  cmd.option('--no-report', 'do not write report.html (figures and the 3-D view)');
  if (!withSubjects) return cmd;
  return cmd
    .option('--subjects-dir <dir>', 'FreeSurfer subjects folder: MRI slices in the report, and --morph-to (default: $SUBJECTS_DIR)', parse.once)
    .option('--subject <name>', 'subject of the data in --subjects-dir (default: as the forward names it)', parse.once)
    .option('--morph-to <subject>', 'also write the estimate morphed to this subject (e.g. fsaverage), MNE\'s sparse morph', parse.once);
}

export interface PictureFlags { report: boolean; subjectsDir?: string; subject?: string; morphTo?: string }

export function pictureSettings(f: PictureFlags): Pick<SolveJob, 'report' | 'subjectsDir' | 'subject' | 'morphTo'> {
  return { report: f.report, subjectsDir: f.subjectsDir ?? process.env.SUBJECTS_DIR ?? null, subject: f.subject ?? null, morphTo: f.morphTo ?? null };
}
