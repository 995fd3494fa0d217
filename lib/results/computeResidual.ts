/**
 * Step 9 of MNE's mixed_norm: the residual evoked of MNE 1.3's `_compute_residual`. The estimate
 * G_active·X is computed on the channels the inverse used, the evoked's *active* projectors are
 * applied to it (the data already carry them), inactive ones are only carried along, and the
 * estimate is subtracted from the evoked restricted to those channels.
 */
import { InputError } from '../errors.js';
import { gemm } from '../linalg/blas.js';
import { Matrix } from '../linalg/matrix.js';
import type { Evoked } from '../records/evoked.js';
import { pickInfo } from '../prepare/pickChannels.js';
import { makeProjector } from '../prepare/projector.js';
import { nameIndex, positionsOf } from '../records/nameIndex.js';

export interface ResidualInput {
  /** The evoked that was inverted (all its channels; the used ones are picked here). */
  evoked: Evoked;
  /** Channels the inverse used (MNE's gain_info ch_names), in evoked order. */
  chNames: readonly string[];
  /** Unwhitened forward gain of the active columns, in the prepared basis: chNames.length × nActiveCols. */
  gainActive: Matrix;
  /** Physical source amplitudes (makePhysicalSolution): nActiveCols × T. */
  X: Matrix;
}

export function computeResidual({ evoked, chNames, gainActive, X }: ResidualInput): Evoked {
  if (gainActive.rows !== chNames.length) throw new InputError('gainActive', `${chNames.length} rows (one per used channel)`, `${gainActive.rows}`);
  if (gainActive.cols !== X.rows) throw new InputError('X', `${gainActive.cols} rows (one per active column)`, `${X.rows}`);
  if (X.cols !== evoked.nTimes) throw new InputError('X', `${evoked.nTimes} columns (one per time)`, `${X.cols}`);
  const info = pickInfo(evoked.info, chNames);
  const rowInEvoked = positionsOf(nameIndex(evoked.info.chNames), info.chNames);
  const rowInGain = positionsOf(nameIndex(chNames), info.chNames);
  const estimate = X.rows === 0 ? new Matrix(chNames.length, X.cols) : gemm(gainActive.pickRows(rowInGain), X);
  const active = evoked.info.projs.filter((p) => p.active);
  const { P } = makeProjector(active, info.chNames, info.bads);
  const projected = P === null ? estimate : gemm(P, estimate);
  const data = evoked.data.pickRows(rowInEvoked);
  subtractInPlace(data.data, projected.data);
  return evoked.withData(data, info);
}

/** a −= b elementwise; its own function so V8 compiles the loop, not all of computeResidual, per call. */
function subtractInPlace(a: Float64Array, b: Float64Array): void {
  for (let k = 0; k < a.length; k++) a[k] -= b[k];
}
