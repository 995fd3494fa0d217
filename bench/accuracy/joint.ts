/**
 * Multi-condition cases: two conditions of one recording share 1–2 sources (same place and
 * orientation, their own time courses and SNR) and one condition may add a source of its own; the
 * conditions have their own nave. Three ways to solve them, each with the discrepancy-principle
 * alpha of `--auto`: each condition alone, MNE's concatenation of the conditions in time (a list
 * without jointConditions), and the joint L2,1,2 solve (jointConditions). Scored per condition.
 */
import { makeRng } from '../../lib/demo/rng.js';
import type { Evoked } from '../../lib/records/evoked.js';
import { mixedNorm, type MixedNormResult } from '../../lib/sparse/mixedNorm.js';
import { autoMixedNorm, averageNoiseCov, averageNoisePreparation } from '../../lib/workflow/autoSolve.js';
import type { Head } from './heads.js';
import { estimated } from './methods.js';
import { scoreCase, type CaseScore } from './score.js';
import { drawNave, drawSites, drawSource, synthesize, type TrueSource } from './simulate.js';

export const JOINT_METHODS = ['each condition alone', 'concatenation in time (MNE)', 'joint L2,1,2'] as const;
export type JointMethod = (typeof JOINT_METHODS)[number];

export interface JointCaseResult {
  id: number; seed: number; head: string; naves: number[];
  /** True sources per condition (shared ones first, then the condition's own). */
  truth: TrueSource[][];
  nShared: number;
  scores: Record<JointMethod, CaseScore[]>;
  seconds: Record<JointMethod, number>;
}

function simulate(head: Head, seed: number): { evokeds: Evoked[]; truth: TrueSource[][]; nShared: number; naves: number[] } {
  const rng = makeRng(seed);
  const nShared = 1 + Math.floor(rng.uniform() * 2);
  const own = rng.uniform() < 0.5 ? -1 : Math.floor(rng.uniform() * 2);
  const naves = [drawNave(rng), drawNave(rng)];
  const sites = drawSites(head, nShared + (own >= 0 ? 1 : 0), rng);
  const shared = sites.slice(0, nShared).map((site) => drawSource(head, site, naves[0], rng));
  const truth = [0, 1].map((c) => [
    ...shared.map((s, j) => drawSource(head, sites[j], naves[c], rng, s.ori)),
    ...(own === c ? [drawSource(head, sites[nShared], naves[c], rng)] : []),
  ]);
  return { evokeds: truth.map((t, c) => synthesize(head, t, naves[c], rng, `condition ${c}`)), truth, nShared, naves };
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, (performance.now() - t0) / 1000];
}

/** The study's two-condition heads: the volume is left out (its free orientations triple the joint problem's size). */
export function jointHeads(heads: Head[]): Head[] {
  return heads.filter((h) => h.name !== 'vol');
}

/** Two-condition case `i` (seed `seed`) on `head`, solved the three ways. */
export async function solveJointCase(head: Head, i: number, seed: number): Promise<JointCaseResult> {
  const { evokeds, truth, nShared, naves } = simulate(head, seed);
  const { forward, cov, preparation } = head;
  const listOptions = { alpha: 'discrepancy' as const, loose: 'auto' as const, depth: 0.9, nMxneIter: 10 };
  const score = (rs: MixedNormResult[]) => rs.map((r, c) => scoreCase(truth[c], estimated(r)));
  const [alone, tAlone] = await timed(() => Promise.all(evokeds.map((e) => autoMixedNorm(e, forward, cov, { strategy: 'discrepancy' }, preparation))));
  // A list is whitened by the first condition's noise of the average (MNE's concatenation takes one covariance).
  const avgCov = averageNoiseCov(cov, naves[0]), avgPreparation = averageNoisePreparation(preparation, naves[0]);
  const [concat, tConcat] = await timed(() => mixedNorm(evokeds, forward, avgCov, listOptions, avgPreparation));
  const [joint, tJoint] = await timed(() => mixedNorm(evokeds, forward, avgCov, { ...listOptions, jointConditions: true }, avgPreparation));
  const perCondition = (r: MixedNormResult) => r.conditions.map((c) => ({ ...r, ...c }));
  return {
    id: i, seed, head: head.name, naves, truth, nShared,
    scores: { 'each condition alone': score(alone), 'concatenation in time (MNE)': score(perCondition(concat)), 'joint L2,1,2': score(perCondition(joint)) },
    seconds: { 'each condition alone': tAlone, 'concatenation in time (MNE)': tConcat, 'joint L2,1,2': tJoint },
  };
}
