/** MNE's `combine_xyz`: the norm of every 3-row group (a source's x/y/z), per time. */
import { Matrix } from '../linalg/matrix.js';

export function combineXyz(X: Matrix): Matrix {
  const R = X.rows, n = R / 3;
  const out = new Matrix(n, X.cols);
  for (let t = 0; t < X.cols; t++) {
    for (let i = 0; i < n; i++) {
      const b = 3 * i + t * R;
      const x = X.data[b], y = X.data[b + 1], z = X.data[b + 2];
      out.data[i + t * n] = Math.sqrt(x * x + y * y + z * z);
    }
  }
  return out;
}
