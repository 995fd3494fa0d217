/** A noise covariance, as MNE's `Covariance`. */
import type { Matrix } from '../linalg/matrix.js';
import type { Projection } from './info.js';

export interface Covariance {
  names: string[];
  /** Always the full n×n matrix; a diagonal covariance read from file is expanded (see `diag`). */
  data: Matrix;
  diag: boolean;
  bads: string[];
  projs: Projection[];
  nfree: number;
  /** Eigen decomposition when stored in the file (eigenvalues ascending, eigenvectors as rows), else null. */
  eig: Float64Array | null;
  eigvec: Matrix | null;
}
