/**
 * tfMixedNorm(): MNE 1.3's `tf_mixed_norm` on an evoked response — policy only. Prepare the gain
 * (depth 0.8, loose 'auto', optional weights), taper the evoked with a Hann window of `window`
 * seconds at both ends, whiten, scale alpha to the TF alpha_max (the ε-inf norm of Φ(GᵀM)) and tol
 * to ‖M‖², split alpha into space and time parts by l1Ratio, solve (reweighted when nTfmxneIter > 1),
 * and build dipoles and the residual from the tapered evoked, as MNE does.
 */
import type { ConvergenceWarning } from '../../errors.js';
import { InputError } from '../../errors.js';
import { autoLoose } from '../../prepare/autoLoose.js';
import { prepareGain } from '../../prepare/prepareGain.js';
import type { RankOption } from '../../prepare/rank.js';
import type { Covariance } from '../../records/covariance.js';
import type { Evoked } from '../../records/evoked.js';
import type { Forward } from '../../records/forward.js';
import type { NoActiveSourceWarning } from '../../results/makeSparseResult.js';
import { dot } from '../groupNorms.js';
import { checkEvoked, solverResult, whitenedData, type SparseSolverResult } from '../solverResult.js';
import { L21L1Penalty } from './l21l1Penalty.js';
import { TfDictionary } from './tfDictionary.js';
import { normEpsilonInf } from './tfProblem.js';
import { iterativeTfMixedNormSolver, tfMixedNormSolver } from './tfMixedNormSolver.js';
import { windowEvoked } from './windowEvoked.js';

/** Options of tfMixedNorm(): names and defaults of MNE 1.3's tf_mixed_norm, in camelCase. */
export interface TfMixedNormOptions {
  /** Regularisation in % of the TF alpha_max, in (0, 100). Required. */
  alpha: number;
  /** Share of alpha on the time (L1) penalty, in [0, 1]. Required. */
  l1Ratio: number;
  /** @default 'auto' (0.2 on surfaces, 1 otherwise) */
  loose?: number | 'auto';
  /** @default 0.8 */
  depth?: number | null;
  /** BCD epochs per inner solve. @default 3000 */
  maxit?: number;
  /** Relative duality-gap tolerance (× ‖M‖²). @default 1e-4 */
  tol?: number;
  /** Per-source weights, or null. @default null */
  weights?: Float64Array | null;
  /** @default 0 */
  weightsMin?: number;
  /** @default true */
  debias?: boolean;
  /** STFT window length(s), powers of two. @default 64 */
  wsize?: number | readonly number[];
  /** STFT step(s). @default 4 */
  tstep?: number | readonly number[];
  /** Hann taper length in seconds at both ends ([left, right] for two), or null for none. @default 0.02 */
  window?: number | readonly [number, number] | null;
  /** @default 10 */
  dgapFreq?: number;
  rank?: RankOption;
  /** @default null */
  pickOri?: 'vector' | null;
  /** TF-MxNE solves; above 1, reweighted (irTF-MxNE). @default 1 */
  nTfmxneIter?: number;
}

export interface TfMixedNormDiagnostics {
  /** MNE's TF alpha_max (norm_epsilon_inf of the whitened problem, before ×0.01). */
  alphaMax: number;
  /** alpha·(1 − l1Ratio) and alpha·l1Ratio, in % of alpha_max. */
  alphaSpace: number;
  alphaTime: number;
  tolScaled: number;
  objective: number[];
  dualGap: number;
  converged: boolean;
  nIterations: number;
  nReweightings: number;
  epochs: number;
}

export interface TfMixedNormResult extends SparseSolverResult {
  diagnostics: TfMixedNormDiagnostics;
  warnings: Array<ConvergenceWarning | NoActiveSourceWarning>;
}

const DEFAULTS = { loose: 'auto', depth: 0.8, maxit: 3000, tol: 1e-4, weights: null, weightsMin: 0, debias: true, wsize: 64, tstep: 4, window: 0.02, dgapFreq: 10, rank: null, pickOri: null, nTfmxneIter: 1 } as const;
const KNOWN = ['alpha', 'l1Ratio', ...Object.keys(DEFAULTS)];

export async function tfMixedNorm(evoked: Evoked, forward: Forward, noiseCov: Covariance, options: TfMixedNormOptions): Promise<TfMixedNormResult> {
  for (const key of Object.keys(options ?? {})) if (!KNOWN.includes(key)) throw new InputError(`options.${key}`, `one of ${KNOWN.join(', ')}`, `unknown option "${key}"`);
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)) } as Required<TfMixedNormOptions>;
  if (typeof o.alpha !== 'number' || !(o.alpha > 0 && o.alpha < 100)) throw new InputError('alpha', 'a number in (0, 100)', String(o.alpha));
  if (typeof o.l1Ratio !== 'number' || !(o.l1Ratio >= 0 && o.l1Ratio <= 1)) throw new InputError('l1Ratio', 'a number in [0, 1]', String(o.l1Ratio));
  if (o.loose !== 'auto' && !(o.loose >= 0 && o.loose <= 1)) throw new InputError('loose', "a number in [0, 1] or 'auto'", String(o.loose));
  if (o.depth !== null && !(o.depth >= 0 && o.depth <= 1)) throw new InputError('depth', 'a number in [0, 1] or null', String(o.depth));
  if (!Number.isInteger(o.nTfmxneIter) || o.nTfmxneIter < 1) throw new InputError('nTfmxneIter', 'a positive integer', String(o.nTfmxneIter));
  if (!(o.tol > 0)) throw new InputError('tol', 'a positive number', String(o.tol));
  if (o.pickOri !== null && o.pickOri !== 'vector') throw new InputError('pickOri', "null or 'vector'", String(o.pickOri));
  checkEvoked(evoked);

  const loose = o.loose === 'auto' ? autoLoose(forward.src) : o.loose;
  const prep = await prepareGain(forward, evoked.info, noiseCov, { depth: o.depth, loose, rank: o.rank, weights: o.weights, weightsMin: o.weightsMin });
  if (o.pickOri === 'vector' && prep.nOrient === 1) throw new InputError('pickOri', 'null with a fixed-orientation forward', "'vector'");
  const tapered = o.window === null ? evoked : windowEvoked(evoked, o.window);
  const M = await whitenedData(prep, tapered);
  const G = prep.gain;
  const wsize = typeof o.wsize === 'number' ? [o.wsize] : [...o.wsize];
  const tstep = typeof o.tstep === 'number' ? [o.tstep] : [...o.tstep];

  // The seam (MNE): tol relative to ‖M‖², alpha in % of alpha_max, the gain divided by 0.01·alpha_max.
  const tolScaled = o.tol * dot(M.data, M.data);
  const dict = new TfDictionary(wsize, tstep, M.cols);
  const alphaMax = await normEpsilonInf({
    M, G, nOrient: prep.nOrient, dict, penalty: new L21L1Penalty(1 - o.l1Ratio, o.l1Ratio, dict, prep.nOrient),
    lipschitz: new Float64Array(0), weights: { space: null, time: null },
  }, M);
  const alphaScale = 0.01 * alphaMax;
  for (let k = 0; k < G.data.length; k++) G.data[k] /= alphaScale;
  const alphaSpace = o.alpha * (1 - o.l1Ratio), alphaTime = o.alpha * o.l1Ratio;
  const solverOptions = { wsize, tstep, maxit: o.maxit, tol: tolScaled, nOrient: prep.nOrient, dgapFreq: o.dgapFreq, debias: o.debias };
  const solved = o.nTfmxneIter === 1
    ? await tfMixedNormSolver(M, G, alphaSpace, alphaTime, solverOptions)
    : await iterativeTfMixedNormSolver(M, G, alphaSpace, alphaTime, o.nTfmxneIter, solverOptions);

  const { result, warnings } = solverResult(prep, G, M, tapered, { X: solved.X, columns: solved.activeSet, alphaScale }, o.pickOri);
  const convergence: ConvergenceWarning[] = solved.converged ? [] : [{
    code: 'ECONVERGENCE', message: `TF-MxNE stopped before its duality gap reached tol (gap ${solved.gap.toExponential(3)})`,
    stage: 'tf_mixed_norm', gap: solved.gap, tol: tolScaled, iterations: solved.nIterations,
  }];
  return {
    ...result,
    diagnostics: {
      alphaMax, alphaSpace, alphaTime, tolScaled, objective: solved.E, dualGap: solved.gap, converged: solved.converged,
      nIterations: solved.nIterations, nReweightings: solved.nReweightings, epochs: solved.epochs,
    },
    warnings: [...convergence, ...warnings],
  };
}
