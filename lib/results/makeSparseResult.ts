/**
 * Everything mixed_norm builds after its solver (fixture README §3 steps 7–10), in one record of a
 * fixed shape: physical amplitudes, dipoles, the sparse source estimate, the residual (when the
 * unwhitened gain is given) and the explained variance. An empty active set is not an error: MNE
 * warns "No active dipoles found. alpha is too big." and returns an empty estimate; so do we, with
 * the warning in `warnings`.
 */
import { InputError } from '../errors.js';
import { gemm } from '../linalg/blas.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Dipole } from '../records/dipole.js';
import type { Evoked } from '../records/evoked.js';
import type { SourceEstimate } from '../records/sourceEstimate.js';
import { computeResidual } from './computeResidual.js';
import { explainedVariance } from './explainedVariance.js';
import { makeDipoles, sparseTimes } from './makeDipoles.js';
import { makeSparseStc } from './makeSparseStc.js';
import { makePhysicalSolution, type ActiveSolution, type PhysicalSolution, type Rescaling } from './physicalSolution.js';
import type { SourceGeometry } from './sourceGeometry.js';

export interface NoActiveSourceWarning {
  readonly code: 'ENOACTIVE';
  readonly message: string;
}

export interface SparseResultInput {
  solution: ActiveSolution;
  rescaling: Rescaling;
  /** The data the solver saw: nSensors × K (U·s after time PCA, else the whitened data). */
  M: Matrix;
  geometry: SourceGeometry;
  /** The inverted evoked: its first time and sampling rate give the result's times. */
  evoked: Evoked;
  /** 'vector' keeps x, y, z rows in `stc`. @default null */
  pickOri?: 'vector' | null;
  /** For the residual: the channels used and the unwhitened gain of the active columns in the
   *  prepared basis (rows = chNames, columns = solution.activeColumns). Without it `residual` is null. */
  residualGain?: { chNames: readonly string[]; gainActive: Matrix };
}

export interface SparseResult {
  solution: PhysicalSolution;
  dipoles: Dipole[];
  stc: SourceEstimate;
  residual: Evoked | null;
  /** Percent, as MNE logs it ("Explained x.x% variance"). */
  explainedVariance: number;
  warnings: NoActiveSourceWarning[];
}

export function makeSparseResult(input: SparseResultInput): SparseResult {
  const { rescaling, geometry, evoked } = input;
  const solution = makePhysicalSolution(input.solution, rescaling);
  // MNE reconstructs the whitened data from the PCA (M·Vh) for the GOF and explained variance.
  const M = rescaling.Vh === null ? input.M : gemm(input.M, rescaling.Vh);
  const tmin = evoked.tmin;
  const tstep = 1 / evoked.info.sfreq;
  if (M.cols !== evoked.nTimes) throw new InputError('M', `${evoked.nTimes} times after the time PCA`, `${M.cols}`);
  const times = sparseTimes(tmin, tstep, M.cols);
  const warnings: NoActiveSourceWarning[] = solution.activeColumns.length === 0
    ? [{ code: 'ENOACTIVE', message: 'No active dipoles found. alpha is too big.' }]
    : [];
  let residual: Evoked | null = null;
  if (input.residualGain !== undefined) {
    const { chNames, gainActive } = input.residualGain;
    residual = computeResidual({ evoked, chNames, gainActive, X: solution.X });
  }
  return {
    solution,
    dipoles: makeDipoles(solution, M, geometry, times),
    stc: makeSparseStc(solution, geometry, tmin, tstep, { pickOri: input.pickOri ?? null }),
    residual,
    explainedVariance: explainedVariance(M, solution),
    warnings,
  };
}
