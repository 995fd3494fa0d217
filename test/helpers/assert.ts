/** Numeric assertions with the tolerance stated at the call site. */
import * as assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { eigh } from '../../lib/linalg/decomp.js';
import { Matrix } from '../../lib/linalg/matrix.js';

/**
 * With MXNE_TOLERANCE_LOG=FILE, each check appends {test, what, margin} (measured error ÷ bound) to
 * FILE: scripts/tolerance-margins.sh runs the suite under every OpenBLAS kernel set the CPU runs
 * and reports the worst margin per tolerance.
 */
let currentTest = '';
if (typeof beforeEach === 'function' && process.env.MXNE_TOLERANCE_LOG) {
  beforeEach(function () { currentTest = this.currentTest?.fullTitle() ?? ''; });
}
function recordMargin(what: string, margin: number): void {
  const file = process.env.MXNE_TOLERANCE_LOG;
  if (file) appendFileSync(file, `${JSON.stringify({ test: currentTest, what, margin })}\n`);
}

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
  recordMargin(what, limit > 0 ? worst / limit : worst === 0 ? 0 : Infinity);
  assert.ok(worst <= limit, `${what}: max |diff| ${worst} at ${at} (got ${a[at]}, want ${b[at]}) exceeds ${limit} (rtol ${rtol} × max ${scale})`);
}

export function assertMatrixClose(a: Matrix, b: Matrix, rtol: number, what = 'matrix', atol = 0): void {
  assert.equal(a.rows, b.rows, `${what}: rows ${a.rows} vs ${b.rows}`);
  assert.equal(a.cols, b.cols, `${what}: cols ${a.cols} vs ${b.cols}`);
  assertClose(a.data, b.data, rtol, what, atol);
}

/**
 * ‖a − b‖₂ ≤ rtol · ‖b‖₂ for symmetric a and b: for quantities whose error bound is derived in the
 * spectral norm (perturbation of an eigendecomposition), not element by element.
 */
export function assertSpectralClose(a: Matrix, b: Matrix, rtol: number, what = 'matrix'): void {
  assert.equal(a.rows, b.rows, `${what}: rows ${a.rows} vs ${b.rows}`);
  assert.equal(a.cols, b.cols, `${what}: cols ${a.cols} vs ${b.cols}`);
  const norm2 = (m: Matrix) => Math.max(...Array.from(eigh(m).values, Math.abs));
  const d = new Matrix(a.rows, a.cols);
  for (let k = 0; k < d.data.length; k++) d.data[k] = a.data[k] - b.data[k];
  const rel = norm2(d) / norm2(b);
  recordMargin(what, rel / rtol);
  assert.ok(rel <= rtol, `${what}: ‖diff‖₂/‖ref‖₂ = ${rel.toExponential(3)} exceeds ${rtol.toExponential(3)}`);
}
