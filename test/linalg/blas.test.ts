import * as assert from 'node:assert/strict';
import { gemm, gemmAsync, gram, gramAsync, INLINE_FLOPS, splitsInTwo } from '../../lib/linalg/blas.js';
import { scaleColumns } from '../../lib/linalg/columns.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { assertMatrixClose } from '../helpers/assert.js';
import { randn } from '../helpers/random.js';

function refGemm(A: Matrix, B: Matrix, tA: boolean, tB: boolean): Matrix {
  const a = tA ? A.transpose() : A;
  const b = tB ? B.transpose() : B;
  const C = new Matrix(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.get(i, k) * b.get(k, j);
      C.set(i, j, s);
    }
  }
  return C;
}

describe('linalg/blas', () => {
  const shapes: Array<[number, number, number]> = [[0, 3, 2], [1, 1, 1], [7, 3, 5], [40, 2, 9], [3, 30, 0]];
  for (const [m, k, n] of shapes) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        it(`gemm ${m}x${k} · ${k}x${n} transA=${tA} transB=${tB} matches the TS reference`, () => {
          const A = tA ? randn(k, m, 1) : randn(m, k, 1);
          const B = tB ? randn(n, k, 2) : randn(k, n, 2);
          assertMatrixClose(gemm(A, B, { transA: tA, transB: tB }), refGemm(A, B, tA, tB), 1e-13, 'C', 1e-300);
        });
      }
    }
  }

  it('gemm writes into a subarray view and leaves the rest of the buffer alone', () => {
    const A = randn(4, 3, 3);
    const B = randn(3, 2, 4);
    const buf = new Float64Array(20).fill(7);
    const out = new Matrix(4, 2, buf.subarray(5, 13));
    gemm(A, B, { out });
    assertMatrixClose(out, refGemm(A, B, false, false), 1e-13);
    assert.equal(buf[4], 7);
    assert.equal(buf[13], 7);
  });

  it('gemmAsync resolves to the same product', async () => {
    const A = randn(50, 20, 5);
    const B = randn(20, 10, 6);
    assertMatrixClose(await gemmAsync(A, B), refGemm(A, B, false, false), 1e-13);
  });

  it('gemmAsync runs a large product in two column halves that add up to the one-call product', async () => {
    // 200 × 300 × 4,475 multiply-adds: past the split; an odd column count, so the halves differ.
    const [m, k, n] = [200, 300, 4475];
    assert.ok(splitsInTwo(m * k * n) && !splitsInTwo(m * k * 100));
    const A = randn(m, k, 11), At = A.transpose(), B = randn(k, n, 12);
    const whole = gemm(A, B);
    // Each column is one call's arithmetic either way; the bound (k·ε of the magnitudes) holds on any kernel.
    const atol = k * Number.EPSILON * whole.data.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    assertMatrixClose(await gemmAsync(A, B), whole, 0, 'A·B', atol);
    assertMatrixClose(await gemmAsync(At, B, { transA: true }), whole, 0, 'Aᵀᵀ·B', atol);
    // β and α with an `out` that already holds values, each half scaling its own columns.
    const C0 = randn(m, n, 13);
    const expected = gemm(A, B, { alpha: 2, beta: -1, out: new Matrix(m, n, C0.data.slice()) });
    assertMatrixClose(await gemmAsync(A, B, { alpha: 2, beta: -1, out: new Matrix(m, n, C0.data.slice()) }), expected, 0, '2·A·B − C', 2 * atol);
  });

  it('gemmAsync and gramAsync outputs made without zeroing hold the product in full', async () => {
    // A buffer of the same size freed just before is likely to be the one reused: fill one with NaN first.
    new Float64Array(Buffer.allocUnsafeSlow(300 * 300 * 8).buffer).fill(NaN);
    const A = randn(300, 400, 14);
    const G = await gramAsync(A, { outer: true });
    assertMatrixClose(G, refGemm(A, A, false, true), 1e-12, 'AAᵀ', 1e-10);
    const P = await gemmAsync(A, A, { transB: true });
    assertMatrixClose(P, G, 1e-12, 'A·Aᵀ', 1e-10);
  });

  it('Matrix.uninitialized has the shape asked for and refuses a bad one like the constructor', () => {
    const M = Matrix.uninitialized(3, 4);
    assert.equal(M.data.length, 12);
    assert.equal(M.data.byteOffset, 0);
    assert.equal(Matrix.uninitialized(0, 5).data.length, 0);
    assert.throws(() => Matrix.uninitialized(-1, 2), { name: 'RangeError', message: /non-negative integer shape/ });
    assert.throws(() => Matrix.uninitialized(2.5, 2), { name: 'RangeError', message: /non-negative integer shape/ });
  });

  it('gram equals AᵀA and AAᵀ with both triangles', () => {
    const A = randn(9, 4, 7);
    assertMatrixClose(gram(A), refGemm(A, A, true, false), 1e-13);
    assertMatrixClose(gram(A, { outer: true }), refGemm(A, A, false, true), 1e-13);
  });

  it('gemm rejects mismatched inner dimensions with a RangeError naming them', () => {
    assert.throws(() => gemm(randn(3, 4), randn(5, 2)), { name: 'RangeError', message: /inner dimensions.*4 and 5/ });
  });

  it('gemm rejects a Float32Array buffer with a TypeError naming A', async () => {
    const { addon } = await import('../../lib/native.js');
    assert.throws(() => addon.gemm(false, false, 2, 2, new Float32Array(4) as unknown as Float64Array, 2, 2,
      new Float64Array(4), 1, 0, new Float64Array(4)),
    { name: 'TypeError', message: 'Expected Float64Array of length 4 for A but received Float32Array of length 4' });
  });

  it('scaleColumns scales each column, inline below INLINE_FLOPS and in the pool above, and checks s', async () => {
    for (const [rows, cols] of [[40, 9], [1100, 1000]]) {
      assert.equal(rows * cols < INLINE_FLOPS, rows === 40, 'one case on each side of the threshold');
      const A = randn(rows, cols, 3), s = Float64Array.from({ length: cols }, (_, j) => 0.5 + j);
      const want = A.clone();
      for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) want.data[i + j * rows] *= s[j];
      assert.deepEqual((await scaleColumns(A, s)).data, want.data);
      s[1] = Number.NaN;
      await assert.rejects(scaleColumns(A, s), /finite values in s/);
    }
  });
});
