/** `mxne solve`: the seed workflow on FIF files, results written into --out. */
import { Command, Option } from 'commander';
import { solveFiles, type SolveJob } from '../workflow/solveFiles.js';
import { summaryLines } from '../workflow/summary.js';
import * as parse from './parsers.js';
import { Reporter } from './reporter.js';
import { addSparseSolverFlags, sparseSolveJob } from './sparseSolverFlags.js';
import { solveSparseFiles } from '../workflow/solveSparse.js';

export interface CommonFlags { json?: boolean; quiet?: boolean; verbose?: boolean }

export function addCommonFlags(cmd: Command): Command {
  return cmd
    .option('--json', 'print the summary as JSON on stdout')
    .option('-q, --quiet', 'print nothing but errors')
    .option('-v, --verbose', 'print each stage with its time on stderr');
}

export function reporterFor(flags: CommonFlags): Reporter {
  return new Reporter({ json: !!flags.json, quiet: !!flags.quiet, verbose: !!flags.verbose });
}

/** Options shared by `solve` and `demo`: the seed example's settings as defaults. */
export function addSolverFlags(cmd: Command): Command {
  return cmd
    .option('--alpha <percent|sure>', 'regularisation in % of alpha_max, or sure', parse.alpha, 55)
    .option('--loose <x>', 'orientation looseness: 0 fixed, 1 free', parse.number, 0.2)
    .option('--depth <x>', 'depth-weighting exponent', parse.number, 0.9)
    .option('--n-mxne-iter <n>', 'irMxNE reweightings (1 = MxNE)', parse.integer, 10)
    .addOption(new Option('--weights <kind>', 'source weights from a dSPM solution, or none').choices(['dspm', 'none']).default('dspm'))
    .option('--weights-min <x>', 'drop sources with dSPM weight at most this', parse.number, 8)
    .option('--maxit <n>', 'maximum BCD iterations per solve', parse.integer, 3000)
    .option('--tol <x>', 'relative duality-gap tolerance', parse.number, 1e-4)
    .option('--active-set-size <n|none>', 'sources added per active-set iteration', parse.activeSetSize, 10)
    .option('--no-debias', 'keep the L1/L2 amplitude bias')
    .addOption(new Option('--pick-ori <ori>', 'write xyz components').choices(['vector']));
}

export interface SolverFlags {
  alpha: number | 'sure'; loose: number; depth: number; nMxneIter: number; weights: 'dspm' | 'none';
  weightsMin: number; maxit: number; tol: number; activeSetSize: number | null; debias: boolean; pickOri?: 'vector';
}

export function solverSettings(f: SolverFlags): Pick<SolveJob, 'weights' | 'mixedNorm'> {
  return {
    weights: f.weights,
    mixedNorm: {
      alpha: f.alpha, loose: f.loose, depth: f.depth, nMxneIter: f.nMxneIter, maxit: f.maxit, tol: f.tol,
      activeSetSize: f.activeSetSize, debias: f.debias, pickOri: f.pickOri ?? null,
      weightsMin: f.weights === 'dspm' ? f.weightsMin : 0,
    },
  };
}

export function solveCommand(): Command {
  const cmd = new Command('solve')
    .description('Sparse source imaging (MxNE / irMxNE) of one evoked response')
    .requiredOption('--fwd <file>', 'forward solution (-fwd.fif)')
    .requiredOption('--evoked <file>', 'evoked responses (-ave.fif)')
    .requiredOption('--cov <file>', 'noise covariance (-cov.fif)')
    .requiredOption('--out <dir>', 'output folder (created if needed)')
    .option('--condition <name|index>', 'condition name or 0-based index', parse.condition, 0)
    .option('--baseline <start,end>', 'baseline interval in s ("none" = data edge), or off', parse.baseline, [null, 0])
    .option('--tmin <s>', 'crop start in s', parse.number, 0)
    .option('--tmax <s>', 'crop end in s', parse.number, 0.3);
  addSolverFlags(cmd);
  addSparseSolverFlags(cmd);
  addCommonFlags(cmd);
  return cmd.action(async (o: SolverFlags & CommonFlags & { fwd: string; evoked: string; cov: string; out: string;
    condition: string | number; baseline: [number | null, number | null] | null; tmin: number; tmax: number }) => {
    const reporter = reporterFor(o);
    const files = { fwd: o.fwd, evoked: o.evoked, cov: o.cov, out: o.out, condition: o.condition, baseline: o.baseline, tmin: o.tmin, tmax: o.tmax };
    const other = sparseSolveJob(cmd, files);
    const job: SolveJob = { fwd: o.fwd, evoked: o.evoked, cov: o.cov, out: o.out, condition: o.condition,
      baseline: o.baseline, tmin: o.tmin, tmax: o.tmax, ...solverSettings(o) };
    const onStage = (stage: Parameters<typeof reporter.stage>[0], detail?: string) => reporter.stage(stage, detail);
    const summary = other === null ? await solveFiles(job, onStage) : await solveSparseFiles(other, onStage);
    reporter.done();
    for (const line of summaryLines(summary)) reporter.print(line);
    reporter.printJson(summary);
  });
}
