/** `mxne solve`: the seed workflow on FIF files, results written into --out. */
import { Command } from 'commander';
import { InputError } from '../errors.js';
import type { SolveProgress } from '../sparse/solverOptions.js';
import { solveFiles, type SolveJob } from '../workflow/solveFiles.js';
import { jsonSummary, summaryLines } from '../workflow/summary.js';
import * as parse from './parsers.js';
import { addPictureFlags, pictureSettings, type PictureFlags } from './pictureFlags.js';
import { describeProgress, Reporter } from './reporter.js';
import { applyLimits } from './runLimits.js';
import { addRecordingFlags, addSolverFlags, solverSettings, type SolverFlags } from './solverFlags.js';
import { addSparseSolverFlags, sparseSolveJob } from './sparseSolverFlags.js';

export interface CommonFlags { json?: boolean; quiet?: boolean; verbose?: boolean }

export function addCommonFlags(cmd: Command): Command {
  return cmd
    .option('--json', 'print a short summary as JSON on stdout (everything is in result.json)')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print each stage with its time, and errors with their byte offsets');
}

export function reporterFor(flags: CommonFlags): Reporter {
  return new Reporter({ json: !!flags.json, quiet: !!flags.quiet, verbose: !!flags.verbose });
}

/** The file options of `solve`, by the option that names them (error messages say which to fix). */
export type FileFlags = { fwd: string; evoked: string; cov: string; out: string };

export function solveCommand(): Command {
  const cmd = new Command('solve')
    .description('Sparse source imaging (MxNE / irMxNE) of one evoked response')
    .requiredOption('--fwd <file>', '(required) forward solution (-fwd.fif)', parse.once)
    .requiredOption('--evoked <file>', '(required) evoked responses (-ave.fif)', parse.once)
    .requiredOption('--cov <file>', '(required) noise covariance (-cov.fif)', parse.once)
    .requiredOption('--out <dir>', '(required) output folder (created if needed)', parse.once);
  addRecordingFlags(cmd);
  addSolverFlags(cmd);
  addSparseSolverFlags(cmd);
  addPictureFlags(cmd);
  addCommonFlags(cmd);
  return cmd.action(async (o: SolverFlags & CommonFlags & FileFlags & PictureFlags & {
    condition: Array<string | number>; joint?: boolean; baseline: [number | null, number | null] | null; tmin: number; tmax: number }) => {
    const reporter = reporterFor(o);
    const deadline = applyLimits(o, () => reporter.current);
    const files = { fwd: o.fwd, evoked: o.evoked, cov: o.cov, out: o.out, condition: o.condition[0] ?? 0, baseline: o.baseline, tmin: o.tmin, tmax: o.tmax };
    const other = sparseSolveJob(cmd, { ...files, ...pictureSettings(o) });
    const several = o.condition.length > 1 ? { conditions: o.condition, joint: !!o.joint } : {};
    if (o.joint && o.condition.length < 2) throw new InputError('--joint', 'two or more --condition', `${o.condition.length} condition`);
    const settings = solverSettings(o);
    const nMxneIter = settings.mixedNorm.nMxneIter ?? 1;
    const onProgress = (p: SolveProgress) => reporter.progress(describeProgress(p, nMxneIter));
    const job: SolveJob = { ...files, ...settings, mixedNorm: { ...settings.mixedNorm, onProgress }, ...several, ...pictureSettings(o) };
    const onStage = (stage: Parameters<typeof reporter.stage>[0], detail?: string) => {
      if (stage === 'write') deadline.disarm();
      reporter.stage(stage, detail);
    };
    // TF-MxNE and Gamma-MAP (their dictionary, FFT and solvers) are loaded only when asked for.
    const summary = other === null ? await solveFiles(job, onStage) : await (await import('../workflow/solveSparse.js')).solveSparseFiles(other, onStage);
    reporter.done();
    for (const line of summaryLines(summary)) reporter.print(line);
    reporter.printJson(jsonSummary(summary, o.out));
  });
}
