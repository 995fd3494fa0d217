/**
 * Rank of a noise covariance per channel group, as MNE 1.3's `compute_rank` on a Covariance
 * (rank=None): each group's block (MEG = mag + grad together, EEG) projected by the info's
 * projectors restricted to that group, scaled per type (mag 1e12, grad 1e11, eeg 1e5), and its
 * singular values counted above n·max(s)·eps, exactly as `_estimate_rank_meeg_cov`.
 */
import { InputError } from '../errors.js';
import { gemmAsync } from '../linalg/blas.js';
import { svdValuesAsync } from '../linalg/decomp.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Info } from '../records/info.js';
import type { PickGroup, TypePicks } from './picksByType.js';
import { makeProjector } from './projector.js';

/**
 * null: estimate from the data; 'full': the channel count; 'info': the channel count less the
 * projectors (MaxFilter's rank from the processing history is not read); or a rank per group.
 */
export type RankOption = null | 'full' | 'info' | Partial<Record<PickGroup, number>>;

/** MNE's scalings_cov_rank: brings each type's covariance near 1 so one threshold fits all. */
const RANK_SCALINGS: Record<string, number> = { mag: 1e12, grad: 1e11, eeg: 1e5 };

/**
 * `C` is the covariance over `info`'s channels, already projected by all projectors (as in
 * `_smart_eigh`); `groups` come from picksByType(info, {megCombined: true}).
 */
export async function computeRank(C: Matrix, info: Info, groups: TypePicks[], rank: RankOption): Promise<Map<PickGroup, number>> {
  // Given ranks are checked for every group before an estimate starts; the estimates (an SVD per group) run at once.
  const known = groups.map(({ type, picks }) => knownRank(type, picks, info, rank));
  const ranks = await Promise.all(groups.map(({ picks }, k) => known[k] ?? estimateRank(C, info, picks)));
  return new Map(groups.map(({ type }, k) => [type, ranks[k]]));
}

/** The group's rank when the option says it (given, 'full', 'info'); undefined when it is estimated from the data. */
function knownRank(type: PickGroup, picks: number[], info: Info, rank: RankOption): number | undefined {
  const given = rank === null || typeof rank === 'string' ? undefined : rank[type];
  if (given !== undefined) {
    if (!Number.isInteger(given) || given < 1 || given > picks.length) {
      throw new InputError(`rank.${type}`, `an integer in [1, ${picks.length}] (the ${type} channel count)`, `${given}`);
    }
    return given;
  }
  if (rank === 'full') return picks.length;
  if (rank === 'info') return picks.length - makeProjector(info.projs, picks.map((k) => info.chNames[k])).nproj;
  return undefined;
}

async function estimateRank(C: Matrix, info: Info, picks: number[]): Promise<number> {
  const names = picks.map((k) => info.chNames[k]);
  let block = C.pickRows(picks).pickCols(picks);
  const { P } = makeProjector(info.projs, names);
  if (P !== null) block = await gemmAsync(await gemmAsync(P, block), P, { transB: true });
  const n = picks.length;
  scaleSymmetric(block, picks.map((k) => RANK_SCALINGS[info.chs[k].type] ?? 1));
  const s = await svdValuesAsync(block);
  const tol = n * (s[0] ?? 0) * Number.EPSILON;
  let r = 0;
  for (const v of s) if (v > tol) r++;
  return r;
}

/** B[i, j] *= scale[i]·scale[j] in place; its own function so V8 compiles the loop, not estimateRank, per call. */
function scaleSymmetric(B: Matrix, scale: number[]): void {
  const n = B.rows;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) B.data[i + j * n] *= scale[i] * scale[j];
}
