/**
 * The variance explained that MNE 1.3 logs after mixed_norm (`_log_exp_var`, "Explained x.x%
 * variance"): 100·(1 − ‖M − G_active·X‖²_F / ‖M‖²_F) on the whitened data.
 */
import { InputError } from '../errors.js';
import { gemm } from '../linalg/blas.js';
import type { Matrix } from '../linalg/matrix.js';
import type { PhysicalSolution } from './physicalSolution.js';

/** M: nSensors × T whitened data (the PCA-reconstructed M·Vh); an empty solution explains 0 %. */
export function explainedVariance(M: Matrix, solution: Pick<PhysicalSolution, 'X' | 'gainActive'>): number {
  const { X, gainActive } = solution;
  if (X.cols !== M.cols || gainActive.rows !== M.rows) {
    throw new InputError('M', `${gainActive.rows} × ${X.cols} (as gainActive·X)`, `${M.rows} × ${M.cols}`);
  }
  const R = X.rows === 0 ? M.clone() : gemm(gainActive, X, { alpha: -1, beta: 1, out: M.clone() });
  let res = 0;
  let tot = 0;
  for (let k = 0; k < M.data.length; k++) {
    res += R.data[k] * R.data[k];
    tot += M.data[k] * M.data[k];
  }
  return 100 * (1 - res / tot);
}
