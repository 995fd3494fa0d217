/**
 * Step 7 of MNE's mixed_norm (fixture README §3): from the solver's coefficients back to physical
 * units. Undo the time PCA (X·Vh), reapply the source weighting that the prepared gain carried
 * (`_reapply_source_weighting`), and express the active gain columns in the same units, so that
 * gainActive·X is the whitened data estimate.
 */
import { InputError } from '../errors.js';
import { gemm } from '../linalg/blas.js';
import { Matrix } from '../linalg/matrix.js';

/** What the solver hands over (MNE: `X, active_set` of mixed_norm_solver, after the mask is undone). */
export interface ActiveSolution {
  /** nActiveCols × K coefficients in the solver's domain (scaled, weighted, time-PCA components). */
  X: Matrix;
  /** Active columns as indices into the full prepared gain (nsource·nOrient columns), ascending,
   *  whole blocks of nOrient columns. */
  activeColumns: Int32Array;
  /** The solver's gain restricted to the active columns: nSensors(whitened) × nActiveCols. */
  gainActive: Matrix;
  /** Columns per source: 1 (fixed) or 3 (loose / free). */
  nOrient: 1 | 3;
}

export interface Rescaling {
  /** Full-length source weighting (nsource·nOrient), as `source_weighting` after the weights step and
   *  before MNE divides it by alpha_max·0.01 (the fixtures' `source_weighting.npy`). */
  sourceWeighting: Float64Array;
  /** 0.01·alpha_max: the factor the gain and the weighting were divided by. */
  alphaScale: number;
  /** K × T right singular vectors of the time PCA, or null when time PCA was off (K = T). */
  Vh: Matrix | null;
}

/** Sources in physical units: X in A·m per active column and time, gainActive in whitened units per A·m. */
export interface PhysicalSolution {
  /** nActiveCols × T. */
  X: Matrix;
  /** nSensors(whitened) × nActiveCols. */
  gainActive: Matrix;
  activeColumns: Int32Array;
  nOrient: 1 | 3;
}

export function makePhysicalSolution(solution: ActiveSolution, rescaling: Rescaling): PhysicalSolution {
  const { X, activeColumns, gainActive, nOrient } = solution;
  const { sourceWeighting, alphaScale, Vh } = rescaling;
  checkActiveSet(solution, sourceWeighting.length);
  if (Vh !== null && Vh.rows !== X.cols) throw new InputError('Vh', `${X.cols} rows (one per PCA component)`, `${Vh.rows}`);
  const Xt = Vh === null ? X.clone() : X.rows === 0 ? new Matrix(0, Vh.cols) : gemm(X, Vh);
  const G = gainActive.clone();
  for (let a = 0; a < activeColumns.length; a++) {
    const w = sourceWeighting[activeColumns[a]] / alphaScale;
    for (let t = 0; t < Xt.cols; t++) Xt.data[a + t * Xt.rows] *= w;
    // MNE replaces zero weights by 1 before dividing the gain (X was already multiplied by 0).
    const g = G.col(a);
    const d = w === 0 ? 1 : w;
    for (let i = 0; i < g.length; i++) g[i] /= d;
  }
  return { X: Xt, gainActive: G, activeColumns: activeColumns.slice(), nOrient };
}

function checkActiveSet(s: ActiveSolution, nColumns: number): void {
  const a = s.activeColumns;
  if (s.X.rows !== a.length) throw new InputError('solution.X', `${a.length} rows (one per active column)`, `${s.X.rows}`);
  if (s.gainActive.cols !== a.length) throw new InputError('solution.gainActive', `${a.length} columns`, `${s.gainActive.cols}`);
  for (let k = 0; k < a.length; k++) {
    if (a[k] < 0 || a[k] >= nColumns || (k > 0 && a[k] <= a[k - 1])) {
      throw new InputError('solution.activeColumns', `ascending indices in [0, ${nColumns})`, `${a[k]} at ${k}`);
    }
    if (s.nOrient === 3 && (a[k] % 3 !== k % 3 || (k % 3 > 0 && a[k] !== a[k - 1] + 1))) {
      throw new InputError('solution.activeColumns', 'whole blocks of 3 columns', `column ${a[k]} at ${k}`);
    }
  }
}
