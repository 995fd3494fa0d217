/** numpy.testing's assertions, elementwise as numpy defines them, for tests ported from MNE. */
import * as assert from 'node:assert/strict';
import { Matrix } from '../../lib/linalg/matrix.js';
import { NumpyRandomState } from '../../lib/sparse/numpyRandom.js';

function sameShape(a: Matrix, b: Matrix, what: string): void {
  assert.equal(`${a.rows}x${a.cols}`, `${b.rows}x${b.cols}`, `${what}: shape`);
}

/** assert_allclose: |a − b| ≤ atol + rtol·|b| for every element. */
export function assertAllclose(a: Matrix, b: Matrix, rtol = 1e-7, atol = 0, what = 'values'): void {
  sameShape(a, b, what);
  a.data.forEach((v, k) => {
    const d = Math.abs(v - b.data[k]);
    assert.ok(d <= atol + rtol * Math.abs(b.data[k]), `${what}: element ${k}: ${v} vs ${b.data[k]} (|diff| ${d}, rtol ${rtol})`);
  });
}

/** assert_array_almost_equal: |a − b| < 1.5·10^−decimal for every element. */
export function assertArrayAlmostEqual(a: ArrayLike<number>, b: ArrayLike<number>, decimal = 6, what = 'values'): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let k = 0; k < a.length; k++) {
    assert.ok(Math.abs(a[k] - b[k]) < 1.5 * 10 ** -decimal, `${what}: element ${k}: ${a[k]} vs ${b[k]} (decimal ${decimal})`);
  }
}

/** rng.randn(rows, cols) of a numpy RandomState: draws fill the rows first (C order). */
export function randnMatrix(rng: NumpyRandomState, rows: number, cols: number): Matrix {
  const d = rng.randn(rows * cols);
  const out = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.data[i + j * rows] = d[i * cols + j];
  return out;
}
