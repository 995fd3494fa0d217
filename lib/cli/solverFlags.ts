/**
 * Options shared by `mxne solve` and `mxne demo`: the seed example's settings as defaults, with the
 * words the API's special values go by ('auto', 'none' for null), and the run's limits.
 */
import { Command, Option } from 'commander';
import type { SolveJob } from '../workflow/solveFiles.js';
import { AUTO_STRATEGIES, DEFAULT_AUTO_STRATEGY, type AutoStrategy } from '../workflow/autoSolve.js';
import * as parse from './parsers.js';

export function addSolverFlags(cmd: Command): Command {
  return cmd
    .option('--alpha <percent|sure>', 'regularisation in % of alpha_max, or sure (chosen by SURE over 15 values)', parse.alpha, 55)
    .addOption(new Option('--auto [strategy]', `alpha and weighting chosen from the data (${AUTO_STRATEGIES.join(', ')}; default ${DEFAULT_AUTO_STRATEGY}); --alpha and --weights are then not used`).choices([...AUTO_STRATEGIES]))
    .option('--random-state <n>', 'seed of the random perturbation of --alpha sure (same input, same alpha)', parse.nonNegativeInteger, 0)
    .option('--loose <x|auto>', 'orientation looseness: 0 fixed, 1 free, auto = 0.2 on surfaces and 1 on volumes', parse.numberOr('auto'), 'auto')
    .option('--depth <x|none>', 'depth-weighting exponent, or none', parse.numberOr('none'), 0.9)
    .option('--n-mxne-iter <n>', 'irMxNE reweightings (1 = MxNE)', parse.integer, 10)
    .addOption(new Option('--weights <kind>', 'source weights from a dSPM solution, or none').choices(['dspm', 'none']).default('dspm'))
    .option('--weights-min <x>', 'drop sources with a dSPM weight at most this (must be below the largest weight)', parse.number, 8)
    .option('--maxit <n>', 'maximum BCD iterations per solve', parse.integer, 3000)
    .addOption(new Option('--tol <x>', 'relative duality-gap tolerance').argParser(parse.number).default(1e-4, '1e-4'))
    .option('--active-set-size <n|none>', 'sources added per active-set iteration, or none (all at once)', parse.numberOr('none'), 10)
    .option('--no-debias', 'keep the L1/L2 amplitude bias')
    .addOption(new Option('--pick-ori <ori>', 'vector: keep the x/y/z components (in result.json; .stc files hold amplitudes)').choices(['vector']))
    .option('--threads <n>', 'OpenBLAS threads for this run (default: 1, or OPENBLAS_NUM_THREADS)', parse.positiveInteger)
    .option('--timeout <seconds>', 'stop with exit code 124 if reading and solving take longer', parse.positiveNumber);
}

/** Which data of the evoked file a solve takes (`mxne solve`, and the columns of a `mxne batch` manifest). */
export function addRecordingFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--condition <name|index>', 'condition name or 0-based index; repeat it to solve several conditions together (concatenated in time, or jointly with --joint)')
      .argParser((v: string, prev: Array<string | number>) => [...prev, parse.condition(v)]).default([] as Array<string | number>, '0'))
    .option('--joint', 'with several --condition: one support shared by all conditions (L2,1,2), each condition weighed by its nave')
    .addOption(new Option('--baseline <start,end>', 'baseline interval in s ("none" = data edge), or off').argParser(parse.baseline).default([null, 0], 'none,0'))
    .option('--tmin <s>', 'crop start in s', parse.number, 0)
    .option('--tmax <s>', 'crop end in s', parse.number, 0.3);
}

export interface SolverFlags {
  alpha: number | 'sure'; randomState: number; loose: number | 'auto'; depth: number | 'none'; nMxneIter: number;
  weights: 'dspm' | 'none'; weightsMin: number; maxit: number; tol: number; activeSetSize: number | 'none';
  debias: boolean; pickOri?: 'vector'; threads?: number; timeout?: number; auto?: true | AutoStrategy;
}

export function solverSettings(f: SolverFlags): Pick<SolveJob, 'weights' | 'mixedNorm' | 'auto'> {
  return {
    ...(f.auto === undefined ? {} : { auto: f.auto === true ? DEFAULT_AUTO_STRATEGY : f.auto }),
    weights: f.weights,
    mixedNorm: {
      alpha: f.alpha, randomState: f.randomState, loose: f.loose, depth: f.depth === 'none' ? null : f.depth,
      nMxneIter: f.nMxneIter, maxit: f.maxit, tol: f.tol, activeSetSize: f.activeSetSize === 'none' ? null : f.activeSetSize,
      debias: f.debias, pickOri: f.pickOri ?? null, weightsMin: f.weights === 'dspm' ? f.weightsMin : 0,
    },
  };
}
