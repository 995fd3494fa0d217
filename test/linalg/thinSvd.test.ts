import * as assert from 'node:assert/strict';
import { gemm } from '../../lib/linalg/blas.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { thinSvd } from '../../lib/linalg/thinSvd.js';
import { assertClose, assertMatrixClose } from '../helpers/assert.js';
import { randn } from '../helpers/random.js';

describe('results: thinSvd (one-sided Jacobi)', function () {
  it('gives orthonormal U, descending s, and A·Aᵀ = U·s²·Uᵀ', function () {
    const A = randn(50, 7, 3);
    const { U, s } = thinSvd(A);
    assertMatrixClose(gemm(U, U, { transA: true }), Matrix.identity(7), 1e-14, 'UᵀU');
    for (let k = 1; k < 7; k++) assert.ok(s[k] <= s[k - 1]);
    const Us = U.clone();
    for (let j = 0; j < 7; j++) for (let i = 0; i < 50; i++) Us.set(i, j, U.get(i, j) * s[j] * s[j]);
    assertMatrixClose(gemm(Us, U, { transB: true }), gemm(A, A, { transB: true }), 1e-13, 'AAᵀ');
  });

  it('keeps tiny singular values accurate (relative) and gives zero columns for a zero singular value', function () {
    const A = new Matrix(4, 3);
    A.set(0, 0, 1); A.set(1, 1, 1e-9); // third column zero
    const { U, s } = thinSvd(A);
    assertClose(s, [1, 1e-9, 0], 1e-15, 's');
    assert.deepEqual(Array.from(U.col(2)), [0, 0, 0, 0]);
    assert.equal(Math.abs(U.get(1, 1)), 1);
  });
});
