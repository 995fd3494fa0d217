import * as assert from 'node:assert/strict';
import { columnNorms2, divide, gatherColumns, rowNorms2Scaled, rowNorms2ScaledSync, scaleColumns, scaleRows } from '../../lib/linalg/columns.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { randn } from '../helpers/random.js';

describe('linalg/columns: native passes over a large matrix', () => {
  it('scaleRows multiplies row i by s[i] in place; scaleColumns column j by s[j]', async () => {
    const A = Matrix.fromRows([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(Array.from((await scaleRows(A, Float64Array.of(2, -1))).data), [2, -4, 4, -5, 6, -6]);
    assert.deepEqual(Array.from((await scaleColumns(A, Float64Array.of(1, 0, 0.5))).data), [2, -4, 0, -0, 3, -3]);
  });

  it('rowNorms2Scaled is Σ_j (A[i, j]·s[j])², sync and async, the same bits as the plain loop', async () => {
    const A = randn(37, 11, 3);
    const s = Float64Array.from({ length: 11 }, (_, j) => (j === 4 ? 0 : 0.3 + j));
    const want = new Float64Array(37);
    for (let j = 0; j < 11; j++) for (let i = 0; i < 37; i++) { if (s[j] === 0) continue; const t = A.get(i, j) * s[j]; want[i] += t * t; }
    assert.deepEqual(Array.from(await rowNorms2Scaled(A, s)), Array.from(want));
    assert.deepEqual(Array.from(rowNorms2ScaledSync(A, s)), Array.from(want));
    assert.deepEqual(Array.from(await columnNorms2(Matrix.fromRows([[3], [4]]))), [25]);
  });

  it('gatherColumns copies the given columns in the given order; divide divides (the bits of x / d)', async () => {
    const A = randn(5, 6, 4);
    const G = await gatherColumns(A, [5, 0, 5, 2]);
    assert.deepEqual([G.rows, G.cols], [5, 4]);
    assert.deepEqual(Array.from(G.data), [...A.col(5), ...A.col(0), ...A.col(5), ...A.col(2)]);
    assert.equal((await gatherColumns(A, [])).cols, 0);
    await assert.rejects(async () => gatherColumns(A, [6]), /column indices in \[0, 6\)/);
    await assert.rejects(async () => gatherColumns(A, [1.5]), /column indices/);
    const d = 0.37;
    const want = Array.from(A.data, (x) => x / d);
    assert.deepEqual(Array.from((await divide(A, d)).data), want);
  });

  it('refuses weights of the wrong length or non-finite ones, naming the argument', async () => {
    const A = randn(4, 3, 1);
    await assert.rejects(async () => scaleRows(A, new Float64Array(3)), /for s/);
    assert.throws(() => rowNorms2ScaledSync(A, Float64Array.of(1, NaN, 1)), /s/);
    await assert.rejects(async () => rowNorms2Scaled(A, new Float64Array(4)), /for s/);
  });
});
