/**
 * The mxne methods the study runs on every case: the seed settings (which must give MNE's active
 * set, case by case) and each `--auto` strategy (lib/workflow/autoSolve.ts).
 */
import { SEED_OPTIONS } from '../workloads.js';
import { mixedNorm, type MixedNormResult } from '../../lib/sparse/mixedNorm.js';
import { dspmWeights } from '../../lib/workflow/dspmWeights.js';
import { AUTO_STRATEGIES, autoMixedNorm, type AutoStrategy } from '../../lib/workflow/autoSolve.js';
import type { Covariance } from '../../lib/records/covariance.js';
import type { Evoked } from '../../lib/records/evoked.js';
import type { Forward } from '../../lib/records/forward.js';
import type { EstimatedDipole } from './score.js';

export interface MethodOutput { dipoles: EstimatedDipole[]; seconds: number; alpha: number }
export interface Method { name: string; run(evoked: Evoked, forward: Forward, cov: Covariance): Promise<MethodOutput> }

/** MNE's loose='auto' with the rest of the seed settings (0.2 on surfaces, 1 on a volume). */
export const SEED = { ...SEED_OPTIONS, loose: 'auto' as const };

export function estimated(r: MixedNormResult): EstimatedDipole[] {
  return r.dipoles.map((d) => ({ pos: Array.from(d.pos), peak: d.amplitude.reduce((m, v) => Math.max(m, Math.abs(v)), 0), sourceIndex: d.sourceIndex }));
}

async function timed(f: () => Promise<MixedNormResult>): Promise<MethodOutput> {
  const t0 = performance.now();
  const r = await f();
  return { dipoles: estimated(r), seconds: (performance.now() - t0) / 1000, alpha: r.diagnostics.alpha };
}

export const SEED_METHOD: Method = {
  name: 'mxne seed',
  run: (evoked, forward, cov) => timed(async () => mixedNorm(evoked, forward, cov, { ...SEED, weights: await dspmWeights(evoked, forward, cov, SEED) })),
};

export function autoMethod(strategy: AutoStrategy): Method {
  return { name: `auto ${strategy}`, run: (evoked, forward, cov) => timed(() => autoMixedNorm(evoked, forward, cov, { strategy })) };
}

export const MXNE_METHODS: Method[] = [SEED_METHOD, ...AUTO_STRATEGIES.filter((s) => s !== 'sure').map(autoMethod)];
