/** One sparse-solver dipole, as an element of MNE's `return_as_dipoles=True` list, plus its source. */
import type { Matrix } from '../linalg/matrix.js';

export interface Dipole {
  times: Float64Array;
  /** Position (m, head coordinates); constant over time for sparse solvers. */
  pos: Float64Array;
  /** nTimes × 3 unit orientation per time (0 where the amplitude is 0). */
  ori: Matrix;
  /** A·m per time (signed for fixed orientation). */
  amplitude: Float64Array;
  /** Goodness of fit per time, %, MNE's `_split_gof`. */
  gof: Float64Array;
  /** Position of the source in the forward's source order. */
  sourceIndex: number;
  hemi: 'lh' | 'rh' | 'vol';
  vertno: number;
}
