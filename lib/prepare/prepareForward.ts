/**
 * MNE 1.3's `_prepare_forward`, shared by the minimum-norm operator and the sparse solvers:
 * orientation (fixed / loose / free), channel selection, depth and orientation priors, the
 * whitened gain G̃ = W·G·diag(sourceStd), scaled so that ‖G̃‖²_F equals the whitened dimension.
 */
import { InputError } from '../errors.js';
import { gemmAsync } from '../linalg/blas.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Covariance } from '../records/covariance.js';
import type { Forward } from '../records/forward.js';
import type { Info } from '../records/info.js';
import { pickForwardChannels, pickInfo, selectChannels } from './pickChannels.js';
import { depthPrior, orientPrior, type DepthOptions } from './priors.js';
import type { RankOption } from './rank.js';
import { toSurfaceOrientation } from './surfaceOrientation.js';
import { computeWhitener, prepareNoiseCov, type PreparedNoiseCov } from './whitener.js';

export interface PrepareForwardOptions {
  /** 0 fixed, 1 free, in between loose (surface spaces only). */
  loose: number;
  depth: DepthOptions | null;
  rank: RankOption;
  /** true: whitener rows only for non-zero eigenvalues (sparse solvers); 'white': all rows (MNE inverse). */
  pca: true | 'white';
  useCps: boolean;
  /** Depth prior computed after the conversion to fixed orientation (sparse) or before it (MNE inverse). */
  allowFixedDepth: boolean;
}

export interface PreparedForward {
  /** Oriented (surface / fixed) and restricted to the chosen channels. */
  forward: Forward;
  info: Info;
  chNames: string[];
  nOrient: 1 | 3;
  /** Whitened, source-weighted, scaled gain: rows × (nsource · nOrient). */
  gain: Matrix;
  whitener: Matrix;
  noiseCov: PreparedNoiseCov;
  depthPrior: Float64Array | null;
  orientPrior: Float64Array | null;
  sourceStd: Float64Array;
  traceGRGT: number;
}

export async function prepareForward(fwd: Forward, info: Info, cov: Covariance, o: PrepareForwardOptions): Promise<PreparedForward> {
  if (!(o.loose >= 0 && o.loose <= 1)) throw new InputError('loose', 'a number in [0, 1]', String(o.loose));
  const hasVolume = fwd.src.some((s) => s.type === 'vol');
  if (hasVolume && o.loose < 1) throw new InputError('loose', '1 for a volume source space (orientations are free there)', String(o.loose));
  if (o.depth && !(o.depth.exp >= 0)) throw new InputError('depth', 'an exponent ≥ 0', String(o.depth.exp));
  const fixed = o.loose === 0;
  const depth = o.depth && o.depth.exp > 0 ? o.depth : null;
  if (!fixed && fwd.sourceOri === 1) throw new InputError('forward', 'a free-orientation forward for a loose or free inverse (loose > 0)', 'a fixed-orientation forward');

  let forward = fwd;
  let nOrient: 1 | 3 = 3;
  if (fixed && (o.allowFixedDepth || fwd.sourceOri === 1)) {
    forward = toSurfaceOrientation(fwd, { fixed: true, useCps: true });
    nOrient = 1;
  } else if (!fixed && o.loose < 1) {
    forward = toSurfaceOrientation(fwd, { fixed: false, useCps: o.useCps });
  }
  const chNames = selectChannels(info, forward, cov);
  forward = pickForwardChannels(forward, chNames);
  const infoPicked = pickInfo(info, chNames);

  const noiseCov = prepareNoiseCov(cov, info, chNames, o.rank);
  const whitener = computeWhitener(noiseCov, { pca: o.pca });
  let dPrior = null as Float64Array | null;
  if (depth) {
    const W = o.pca === true ? whitener : computeWhitener(noiseCov, { pca: true });
    dPrior = depthPrior(forward.sol, infoPicked, nOrient, depth, W);
  }
  let oPrior: Float64Array | null = null;
  if (fixed && nOrient === 3) {
    // MNE inverse: depth from the free gain, then the normal component of it, then fixed.
    if (dPrior) dPrior = dPrior.filter((_, k) => k % 3 === 2);
    forward = toSurfaceOrientation(fwd, { fixed: true, useCps: o.useCps });
    forward = pickForwardChannels(forward, chNames);
    nOrient = 1;
  } else if (!fixed) {
    oPrior = orientPrior(forward.src, o.loose);
  }

  const gain = await gemmAsync(whitener, forward.sol);
  const n = gain.cols;
  const sourceStd = new Float64Array(n).fill(1);
  for (let k = 0; k < n; k++) {
    if (dPrior) sourceStd[k] *= dPrior[k];
    if (oPrior) sourceStd[k] *= oPrior[k];
    sourceStd[k] = Math.sqrt(sourceStd[k]);
  }
  scaleColumns(gain, sourceStd);
  const traceGRGT = gain.frobeniusNorm() ** 2;
  if (!(traceGRGT > 0) || !Number.isFinite(traceGRGT)) throw new InputError('forward.sol', 'a finite, non-zero gain over the chosen channels', String(traceGRGT));
  const scale = Math.sqrt(noiseCov.nNonzero / traceGRGT);
  for (let k = 0; k < n; k++) sourceStd[k] *= scale;
  for (let k = 0; k < gain.data.length; k++) gain.data[k] *= scale;
  return { forward, info: infoPicked, chNames, nOrient, gain, whitener, noiseCov, depthPrior: dPrior, orientPrior: oPrior, sourceStd, traceGRGT };
}

export function scaleColumns(A: Matrix, s: ArrayLike<number>): void {
  for (let j = 0; j < A.cols; j++) {
    const c = A.col(j);
    const f = s[j];
    for (let i = 0; i < c.length; i++) c[i] *= f;
  }
}
