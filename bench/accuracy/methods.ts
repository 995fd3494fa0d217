/**
 * The mxne methods the study runs on every case: the seed settings (which must give MNE's active
 * set, case by case) and each `--auto` strategy (lib/workflow/autoSolve.ts).
 */
import { SEED_OPTIONS } from '../workloads.js';
import { mixedNorm, type MixedNormResult } from '../../lib/sparse/mixedNorm.js';
import { dspmWeights } from '../../lib/workflow/dspmWeights.js';
import { AUTO_STRATEGIES, DEFAULT_AUTO_STRATEGY, autoMixedNorm, type AutoStrategy } from '../../lib/workflow/autoSolve.js';
import type { Evoked } from '../../lib/records/evoked.js';
import type { Preparation } from '../../lib/prepare/preparationCache.js';
import type { Head } from './heads.js';
import type { EstimatedDipole } from './score.js';

export interface MethodOutput { dipoles: EstimatedDipole[]; seconds: number; alpha: number }
/** Solves one case of `head` (its inverse's forward and covariance), with a preparation shared by the head's cases and methods, or none (prepared within the solve). */
export interface Method { name: string; run(evoked: Evoked, head: Head, preparation: Preparation | undefined): Promise<MethodOutput> }

export const SEED_NAME = 'mxne seed';
export const AUTO_NAME = `auto ${DEFAULT_AUTO_STRATEGY}`;

/**
 * The `--auto` time target compares whole solves, as `mxne solve` runs them: on the surface head
 * these two methods prepare within each solve (gain, and the seed's dSPM operator); every other
 * solve shares its head's preparation.
 */
export function solvesFresh(head: Head, method: Method): boolean {
  return head.name === 'surf' && (method.name === SEED_NAME || method.name === AUTO_NAME);
}

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
  name: SEED_NAME,
  run: (evoked, { forward, cov }, preparation) => timed(async () => mixedNorm(evoked, forward, cov, { ...SEED, weights: await dspmWeights(evoked, forward, cov, SEED, preparation) }, preparation)),
};

export function autoMethod(strategy: AutoStrategy): Method {
  return { name: `auto ${strategy}`, run: (evoked, { forward, cov }, preparation) => timed(() => autoMixedNorm(evoked, forward, cov, { strategy }, preparation)) };
}

export const MXNE_METHODS: Method[] = [SEED_METHOD, ...AUTO_STRATEGIES.filter((s) => s !== 'sure').map(autoMethod)];
