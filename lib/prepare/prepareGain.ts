/**
 * MNE 1.3's `_prepare_gain` for the sparse solvers: `_prepare_forward` with the sparse depth
 * defaults and CPS normals, then the optional source weights (e.g. max |dSPM| per source), which
 * multiply the gain columns and the source weighting and mask out the sources below `weightsMin`.
 */
import { InputError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Covariance } from '../records/covariance.js';
import type { Forward } from '../records/forward.js';
import type { Info } from '../records/info.js';
import { scaleColumns } from '../linalg/columns.js';
import { prepareForward, type PreparedForward } from './prepareForward.js';
import { DEPTH_SPARSE } from './priors.js';
import type { Memo } from './preparationCache.js';
import type { RankOption } from './rank.js';

export interface PrepareGainOptions {
  loose: number;
  /** Depth exponent (0 or null: no depth weighting). */
  depth: number | null;
  rank: RankOption;
  /** One non-negative weight per source position (not per column), or null; awaited only once the gain is prepared. */
  weights: Float64Array | null | Promise<Float64Array | null>;
  weightsMin: number;
  /**
   * Where the prepared forward (which depends on neither the data nor the weights) comes from
   * when it is shared between solves: a memo around the computation. Its gain is never scaled in
   * place here (a copy is), so the shared one is never changed.
   */
  shared?: (make: () => Promise<PreparedForward>) => Promise<PreparedForward>;
  /** Steps shared with other preparations of the same inputs (prepareForward's `memo`). */
  memo?: Memo;
}

export interface SparseGain extends PreparedForward {
  /** Gain columns kept by the weights mask (all columns without weights). */
  gain: Matrix;
  /** sourceStd × normalised weights, one per column of the full (unmasked) gain. */
  sourceWeighting: Float64Array;
  /** Indices of the kept columns into the full gain, or null when nothing was masked out. */
  keptColumns: Int32Array | null;
}

export async function prepareGain(fwd: Forward, info: Info, cov: Covariance, o: PrepareGainOptions): Promise<SparseGain> {
  const depth = o.depth === null ? null : { exp: o.depth, ...DEPTH_SPARSE };
  // The gain comes back as W·G: source_std (× weights) is applied below to the columns kept only.
  const make = () => prepareForward(fwd, info, cov, { loose: o.loose, depth, rank: o.rank, pca: true, useCps: true, allowFixedDepth: true, scaleGain: false, memo: o.memo });
  const p = o.shared ? await o.shared(make) : await make();
  // A shared prepared gain is never changed: what is scaled in place is a copy (pickCols makes one).
  const own = (m: Matrix) => (o.shared ? m.clone() : m);
  const sourceWeighting = Float64Array.from(p.sourceStd);
  const weights = await o.weights;
  if (weights === null) return { ...p, gain: await scaleColumns(own(p.gain), sourceWeighting), sourceWeighting, keptColumns: null };

  const nsrc = p.gain.cols / p.nOrient;
  if (weights.length !== nsrc) throw new InputError('weights', `one weight per source (${nsrc})`, `${weights.length}`);
  let wmax = -Infinity;
  for (const v of weights) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new InputError('weights', 'finite non-negative values', String(v));
    if (v > wmax) wmax = v;
  }
  // MNE raises on weights_min > weights_max; equal keeps no source either (the mask is w > min).
  // The limit is rounded down, so that "below" it is a value that works.
  if (o.weightsMin >= wmax) {
    throw new InputError('weightsMin', `a value below the largest weight (${Math.floor(wmax * 100) / 100})`, String(o.weightsMin),
      `weights_min > weights_max: ${o.weightsMin} > ${wmax}; lower weightsMin or pass no weights`);
  }
  const col = new Float64Array(p.gain.cols);
  for (let k = 0; k < col.length; k++) col[k] = weights[Math.floor(k / p.nOrient)] / wmax;
  for (let k = 0; k < col.length; k++) sourceWeighting[k] *= col[k];
  const min = o.weightsMin / wmax;
  const kept: number[] = [];
  for (let k = 0; k < col.length; k++) if (col[k] > min) kept.push(k);
  // Scaling each column commutes with the mask: scale only the columns kept, by source_std × weight.
  const gain = kept.length === col.length
    ? await scaleColumns(own(p.gain), sourceWeighting)
    : await scaleColumns(p.gain.pickCols(kept), Float64Array.from(kept, (k) => sourceWeighting[k]));
  return { ...p, gain, sourceWeighting, keptColumns: kept.length === col.length ? null : Int32Array.from(kept) };
}
