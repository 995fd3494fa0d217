/**
 * `mxne solve --solver mxne|tfmxne|gammamap` and the flags of MNE's two other sparse solvers. Flags
 * of another solver are refused (they would be silently ignored), and the seed's defaults that MNE
 * does not share (depth 0.9, dSPM weights) give way to each solver's own MNE defaults unless set.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { InputError } from '../errors.js';
import type { SparseSolveJob } from '../workflow/solveSparse.js';
import type { SolveJob } from '../workflow/solveFiles.js';
import * as parse from './parsers.js';

function integerList(value: string): number[] {
  return value.split(',').map((v) => parse.integer(v));
}

function windowSeconds(value: string): number | [number, number] | null {
  if (value === 'none') return null;
  const parts = value.split(',').map((v) => parse.number(v));
  if (parts.length > 2) throw new InvalidArgumentError(`expected SECONDS, LEFT,RIGHT or none, got "${value}"`);
  return parts.length === 1 ? parts[0] : [parts[0], parts[1]];
}

export function addSparseSolverFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--solver <name>', 'sparse solver').choices(['mxne', 'tfmxne', 'gammamap']).default('mxne'))
    .option('--l1-ratio <x>', 'tfmxne: share of alpha on the time (L1) penalty', parse.number, 0.03)
    .option('--wsize <n[,n]>', 'tfmxne: STFT window length(s) in samples, powers of two', integerList, [64])
    .option('--tstep <n[,n]>', 'tfmxne: STFT step(s) in samples', integerList, [4])
    .option('--window <s|l,r|none>', 'tfmxne: Hann taper length at both ends in s', windowSeconds, 0.02)
    .option('--n-tfmxne-iter <n>', 'tfmxne: reweighted solves (1 = TF-MxNE)', parse.integer, 1)
    .option('--dgap-freq <n>', 'tfmxne: BCD iterations between duality-gap checks', parse.integer, 10)
    .addOption(new Option('--update-mode <n>', 'gammamap: 1 MacKay, 2 modified MacKay').choices(['1', '2']).default('1'))
    .option('--no-xyz-same-gamma', 'gammamap: one gamma per component instead of per source');
}

const OWN: Record<string, string[]> = {
  mxne: ['nMxneIter', 'activeSetSize', 'weightsMin'],
  tfmxne: ['l1Ratio', 'wsize', 'tstep', 'window', 'nTfmxneIter', 'dgapFreq'],
  gammamap: ['updateMode', 'xyzSameGamma'],
};

const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * The job for --solver tfmxne|gammamap, or null for mxne (the seed workflow). Throws InputError
 * naming a flag that belongs to another solver.
 */
export function sparseSolveJob(cmd: Command, files: Omit<SolveJob, 'mixedNorm' | 'weights'>): SparseSolveJob | null {
  const o = cmd.opts();
  const solver = o.solver as 'mxne' | 'tfmxne' | 'gammamap';
  const given = (key: string) => cmd.getOptionValueSource(key) !== 'default' && cmd.getOptionValueSource(key) !== undefined;
  for (const [owner, keys] of Object.entries(OWN)) {
    if (owner === solver) continue;
    for (const key of keys) if (given(key)) throw new InputError(flagOf(key), `use only with --solver ${owner}`, `--solver ${solver}`);
  }
  if (solver === 'mxne') return null;
  const shared = {
    loose: given('loose') ? o.loose : 'auto' as const,
    depth: given('depth') ? o.depth : 0.8,
    maxit: given('maxit') ? o.maxit : solver === 'tfmxne' ? 3000 : 10000,
    tol: given('tol') ? o.tol : solver === 'tfmxne' ? 1e-4 : 1e-6,
    pickOri: o.pickOri ?? null,
  };
  if (solver === 'gammamap') {
    if (!given('alpha')) throw new InputError('--alpha', 'a value with --solver gammamap: the noise variance, e.g. 0.5 (the seed default 55 is a % of alpha_max)', 'none given');
    if (o.alpha === 'sure') throw new InputError('--alpha', 'a number for --solver gammamap', 'sure');
    if (given('weights') && o.weights !== 'none') throw new InputError('--weights', 'none for --solver gammamap (MNE has no weights)', o.weights);
    if (given('debias')) throw new InputError('--no-debias', 'use only with --solver mxne or tfmxne', '--solver gammamap');
    return { ...files, solver, gammaMap: { alpha: o.alpha, ...shared, updateMode: Number(o.updateMode) as 1 | 2, xyzSameGamma: o.xyzSameGamma } };
  }
  if (o.alpha === 'sure') throw new InputError('--alpha', 'a number for --solver tfmxne', 'sure');
  if (given('weights') && o.weights === 'dspm') throw new InputError('--weights', 'none for --solver tfmxne (dSPM weights: --solver mxne)', 'dspm');
  return {
    ...files, solver,
    tfMixedNorm: {
      alpha: o.alpha, l1Ratio: o.l1Ratio, ...shared, debias: o.debias, wsize: o.wsize, tstep: o.tstep, window: o.window,
      nTfmxneIter: o.nTfmxneIter, dgapFreq: o.dgapFreq,
    },
  };
}
