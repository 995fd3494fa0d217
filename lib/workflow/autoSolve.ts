/**
 * `mxne solve --auto`: irMxNE with alpha and the source weighting chosen from the data, no
 * hand-set numbers. Every strategy whitens with the covariance of the noise of the average
 * (cov/nave: the whitened noise then has unit variance, which SURE's σ = 1 and the discrepancy
 * principle both assume; MNE's mixed_norm takes the covariance as given). The strategies are the
 * candidates of the accuracy study (bench/ACCURACY.md); the default is the one it picked.
 */
import { InputError } from '../errors.js';
import type { Covariance } from '../records/covariance.js';
import type { Evoked } from '../records/evoked.js';
import type { Forward } from '../records/forward.js';
import { mixedNorm, type MixedNormResult } from '../sparse/mixedNorm.js';
import type { MixedNormOptions } from '../sparse/mixedNormOptions.js';
import type { Preparation } from '../prepare/preparationCache.js';
import { dspmWeights } from './dspmWeights.js';

/**
 * discrepancy: the largest alpha whose whitened residual looks like noise, depth weighting only.
 * sure: alpha by SURE (MNE's estimator, σ = 1 on unit-noise data), depth weighting only.
 * sure-mask: SURE with the seed's dSPM mask (weights, weightsMin 8).
 * depth: the seed's alpha 55 without the dSPM mask (irMxNE from depth weighting only).
 */
export const AUTO_STRATEGIES = ['discrepancy', 'sure', 'sure-mask', 'depth'] as const;
export type AutoStrategy = (typeof AUTO_STRATEGIES)[number];
export const DEFAULT_AUTO_STRATEGY: AutoStrategy = 'discrepancy';

/** Settings every strategy shares (the seed's, without alpha and the mask). */
const BASE: MixedNormOptions = { loose: 'auto', depth: 0.9, maxit: 3000, tol: 1e-4, activeSetSize: 10, debias: true, nMxneIter: 10 };

/** The covariance of the noise of an average of `nave` trials: cov/nave. */
export function averageNoiseCov(cov: Covariance, nave: number): Covariance {
  if (!(nave > 0) || !Number.isFinite(nave)) throw new InputError('evoked.nave', 'a positive number of averaged trials', String(nave));
  const data = cov.data.clone();
  for (let k = 0; k < data.data.length; k++) data.data[k] /= nave;
  return { ...cov, data, eig: cov.eig === null ? null : cov.eig.map((v) => v / nave) };
}

/** The preparation of solves whitened by averageNoiseCov(cov, nave), from that of solves with `cov`. */
export function averageNoisePreparation(p: Preparation, nave: number): Preparation {
  return { ...p, key: `${p.key}|cov/${nave}` };
}

export interface AutoOptions {
  strategy?: AutoStrategy;
  /** Overrides of the shared settings (loose, depth, tol, maxit, rank, pickOri, …). */
  mixedNorm?: Omit<MixedNormOptions, 'alpha' | 'weights' | 'weightsMin'>;
}

/**
 * `preparation` (batch runs, the accuracy study): as mixedNorm's, for inputs `forward`, `cov` and
 * the evoked's info; the whitened solve's own preparation is keyed by nave too (it whitens with cov/nave).
 */
export async function autoMixedNorm(evoked: Evoked, forward: Forward, cov: Covariance, o: AutoOptions = {}, preparation?: Preparation): Promise<MixedNormResult & { strategy: AutoStrategy }> {
  const strategy = o.strategy ?? DEFAULT_AUTO_STRATEGY;
  if (!AUTO_STRATEGIES.includes(strategy)) throw new InputError('strategy', AUTO_STRATEGIES.join(', '), String(strategy));
  const settings: MixedNormOptions = { ...BASE, ...o.mixedNorm };
  const avgCov = averageNoiseCov(cov, evoked.nave);
  const strategyOptions: Record<AutoStrategy, () => MixedNormOptions> = {
    discrepancy: () => ({ alpha: 'discrepancy' }),
    sure: () => ({ alpha: 'sure', randomState: 0 }),
    // dSPM scales the covariance by nave itself: its weights come from the covariance as given.
    'sure-mask': () => ({ alpha: 'sure', randomState: 0, weights: dspmWeights(evoked, forward, cov, settings, preparation), weightsMin: 8 }),
    depth: () => ({ alpha: 55 }),
  };
  const r = await mixedNorm(evoked, forward, avgCov, { ...settings, ...strategyOptions[strategy]() }, preparation && averageNoisePreparation(preparation, evoked.nave));
  return { ...r, strategy };
}
