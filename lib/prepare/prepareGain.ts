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
import { prepareForward, prepareForwardColumns, sourceColumns, type PreparedColumns } from './prepareForward.js';
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
   * when it is shared between solves: a memo around the computation. It then holds the whitened
   * gain (keepWhitened), and each solve copies the columns its weights keep (whitenSources), so
   * nothing shared is changed.
   */
  shared?: (make: () => Promise<PreparedColumns>) => Promise<PreparedColumns>;
  /** Steps shared with other preparations of the same inputs (prepareForward's `memo`). */
  memo?: Memo;
  /** prepareForward's `onWhitener` (not called when the prepared forward comes from `shared`). */
  onWhitener?: (W: Matrix, chNames: string[]) => void;
}

export interface SparseGain extends PreparedColumns {
  /** Gain columns kept by the weights mask (all columns without weights). */
  gain: Matrix;
  /** sourceStd × normalised weights, one per column of the full (unmasked) gain. */
  sourceWeighting: Float64Array;
  /** Indices of the kept columns into the full gain, or null when nothing was masked out. */
  keptColumns: Int32Array | null;
}

export async function prepareGain(fwd: Forward, info: Info, cov: Covariance, o: PrepareGainOptions): Promise<SparseGain> {
  const depth = o.depth === null ? null : { exp: o.depth, ...DEPTH_SPARSE };
  const options = { loose: o.loose, depth, rank: o.rank, pca: true as const, useCps: true, allowFixedDepth: true, memo: o.memo, onWhitener: o.onWhitener };
  // No weights and nothing shared: every column is kept, whitened and scaled in one pass.
  if (o.weights === null && !o.shared) {
    const full = await prepareForward(fwd, info, cov, options);
    return { ...full, sourceWeighting: Float64Array.from(full.sourceStd), keptColumns: null };
  }
  // Column norms (depth prior, trace); the whitened columns are made below, for the sources kept.
  // Shared by several solves, the whitened gain is held, and each solve copies the columns it keeps.
  const make = () => prepareForwardColumns(fwd, info, cov, { ...options, keepWhitened: !!o.shared });
  const p = o.shared ? await o.shared(make) : await make();
  const sourceWeighting = Float64Array.from(p.sourceStd);
  const nsrc = p.sourceStd.length / p.nOrient;
  const all = () => Int32Array.from({ length: nsrc }, (_, k) => k);
  const weights = await o.weights;
  if (weights === null) return { ...p, gain: await scaleColumns(await p.whitenSources(all()), sourceWeighting), sourceWeighting, keptColumns: null };

  if (weights.length !== nsrc) throw new InputError('weights', `one weight per source (${nsrc})`, `${weights.length}`);
  const wmax = largestWeight(weights);
  // MNE raises on weights_min > weights_max; equal keeps no source either (the mask is w > min).
  // The limit is rounded down, so that "below" it is a value that works.
  if (o.weightsMin >= wmax) {
    throw new InputError('weightsMin', `a value below the largest weight (${Math.floor(wmax * 100) / 100})`, String(o.weightsMin),
      `weights_min > weights_max: ${o.weightsMin} > ${wmax}; lower weightsMin or pass no weights`);
  }
  weighColumns(sourceWeighting, weights, p.nOrient, wmax);
  // The mask is per source (all its columns share the weight): whiten just the sources kept.
  const keptSources = sourcesAbove(weights, wmax, o.weightsMin / wmax);
  const keptColumns = sourceColumns(keptSources, p.nOrient);
  // Scaling each column commutes with the mask: scale only the columns kept, by source_std × weight.
  const gain = await scaleColumns(await p.whitenSources(keptSources), gathered(sourceWeighting, keptColumns));
  return { ...p, gain, sourceWeighting, keptColumns: keptSources.length === nsrc ? null : keptColumns };
}

// The per-source loops below are functions of their own: inside prepareGain (once per row, with
// that row's weights), V8 would recompile all of it on every call (on-stack replacement).

/** The largest weight; an InputError at the first negative or non-finite one. */
function largestWeight(weights: Float64Array): number {
  let wmax = -Infinity;
  for (const v of weights) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new InputError('weights', 'finite non-negative values', String(v));
    if (v > wmax) wmax = v;
  }
  return wmax;
}

/** Column k's weighting times its source's weight / wmax, in place. */
function weighColumns(sourceWeighting: Float64Array, weights: Float64Array, nOrient: number, wmax: number): void {
  for (let k = 0; k < sourceWeighting.length; k++) sourceWeighting[k] *= weights[Math.floor(k / nOrient)] / wmax;
}

/** values[idx[k]] for each k. */
function gathered(values: Float64Array, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = values[idx[k]];
  return out;
}

/** The sources whose weight / wmax exceeds `min` (MNE's mask w > weights_min), in order. */
function sourcesAbove(weights: Float64Array, wmax: number, min: number): number[] {
  const kept: number[] = [];
  for (let s = 0; s < weights.length; s++) if (weights[s] / wmax > min) kept.push(s);
  return kept;
}
