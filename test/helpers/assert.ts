/** Numeric assertions with the tolerance stated at the call site. */
import * as assert from 'node:assert/strict';
import type { Matrix } from '../../lib/linalg/matrix.js';

/** max|a − b| ≤ rtol · max|b| (+ atol): "relative to the largest value", as the fixture README states tolerances. */
export function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, what = 'values', atol = 0): void {
  assert.equal(a.length, b.length, `${what}: length ${a.length} vs ${b.length}`);
  let scale = 0;
  let worst = 0;
  let at = -1;
  for (let k = 0; k < b.length; k++) scale = Math.max(scale, Math.abs(b[k]));
  for (let k = 0; k < b.length; k++) {
    const d = Math.abs(a[k] - b[k]);
    if (!(d <= worst)) { worst = d; at = k; }
  }
  const limit = rtol * scale + atol;
  assert.ok(worst <= limit, `${what}: max |diff| ${worst} at ${at} (got ${a[at]}, want ${b[at]}) exceeds ${limit} (rtol ${rtol} × max ${scale})`);
}

export function assertMatrixClose(a: Matrix, b: Matrix, rtol: number, what = 'matrix', atol = 0): void {
  assert.equal(a.rows, b.rows, `${what}: rows ${a.rows} vs ${b.rows}`);
  assert.equal(a.cols, b.cols, `${what}: cols ${a.cols} vs ${b.cols}`);
  assertClose(a.data, b.data, rtol, what, atol);
}
