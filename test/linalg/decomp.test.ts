import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { NativeError } from '../../lib/errors.js';
import {
  cholesky, eigh, eighAsync, gemv, lstsq, lstsqAsync, solveSpd, solveSpdAsync, svd, svdAsync,
} from '../../lib/linalg/decomp.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { addon } from '../../lib/native.js';
import { assertClose, assertMatrixClose } from '../helpers/assert.js';
import { randn } from '../helpers/random.js';

// ---- plain-TS references --------------------------------------------------------------------

function mul(A: Matrix, B: Matrix): Matrix {
  assert.equal(A.cols, B.rows);
  const C = new Matrix(A.rows, B.cols);
  for (let j = 0; j < B.cols; j++) {
    for (let k = 0; k < A.cols; k++) {
      const b = B.get(k, j);
      for (let i = 0; i < A.rows; i++) C.data[i + j * A.rows] += A.data[i + k * A.rows] * b;
    }
  }
  return C;
}

const T = (A: Matrix): Matrix => A.transpose();

function scaleCols(A: Matrix, d: ArrayLike<number>): Matrix {
  const C = A.clone();
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) C.data[i + j * A.rows] *= d[j];
  return C;
}

function symmetric(n: number, seed: number): Matrix {
  const R = randn(n, n, seed);
  const S = new Matrix(n, n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) S.set(i, j, (R.get(i, j) + R.get(j, i)) / 2);
  return S;
}

function spd(n: number, seed: number): Matrix {
  const R = randn(n + 3, n, seed);
  const S = mul(T(R), R);
  for (let i = 0; i < n; i++) S.set(i, i, S.get(i, i) + 1);
  return S;
}

/** The same matrix stored in a subarray view of a larger buffer filled with a sentinel. */
function asView(A: Matrix, offset = 3): { view: Matrix; buf: Float64Array } {
  const buf = new Float64Array(A.data.length + offset + 4).fill(-99);
  buf.set(A.data, offset);
  return { view: new Matrix(A.rows, A.cols, buf.subarray(offset, offset + A.data.length)), buf };
}

function assertOrthonormalCols(Q: Matrix, what: string): void {
  assertMatrixClose(mul(T(Q), Q), Matrix.identity(Q.cols), 0, `${what}ᵀ${what} = I`, 1e-12);
}

function assertAscending(v: ArrayLike<number>, what: string): void {
  for (let i = 1; i < v.length; i++) assert.ok(v[i - 1] <= v[i], `${what}[${i - 1}] = ${v[i - 1]} > ${v[i]}`);
}

function checkEigh(A: Matrix, r: { values: Float64Array; vectors: Matrix }): void {
  const n = A.rows;
  assert.equal(r.values.length, n);
  assert.equal(r.vectors.rows, n);
  assert.equal(r.vectors.cols, n);
  assertAscending(r.values, 'values');
  assertOrthonormalCols(r.vectors, 'V');
  assertMatrixClose(mul(scaleCols(r.vectors, r.values), T(r.vectors)), A, 1e-12, 'V diag(w) Vᵀ', 1e-300);
}

function checkSvd(A: Matrix, r: { U: Matrix; s: Float64Array; Vt: Matrix }): void {
  const k = Math.min(A.rows, A.cols);
  assert.deepEqual([r.U.rows, r.U.cols, r.s.length, r.Vt.rows, r.Vt.cols], [A.rows, k, k, k, A.cols]);
  for (let i = 0; i < k; i++) assert.ok(r.s[i] >= 0 && (i === 0 || r.s[i] <= r.s[i - 1]), `s not descending at ${i}`);
  assertOrthonormalCols(r.U, 'U');
  assertOrthonormalCols(T(r.Vt), 'V');
  assertMatrixClose(mul(scaleCols(r.U, r.s), r.Vt), A, 1e-12, 'U diag(s) Vt', 1e-300);
}

/** Minimum-norm least squares: normal equations Aᵀ(AX − B) = 0 and X in the row space of A. */
function checkLstsq(A: Matrix, B: Matrix, X: Matrix): void {
  assert.deepEqual([X.rows, X.cols], [A.cols, B.cols]);
  if (X.data.length === 0) return;
  const R = mul(A, X);
  for (let k = 0; k < R.data.length; k++) R.data[k] -= B.data[k];
  const scale = Math.max(A.maxAbs() ** 2 * X.maxAbs(), A.maxAbs() * B.maxAbs(), 1e-300);
  assertClose(mul(T(A), R).data, new Float64Array(A.cols * B.cols), 0, 'Aᵀ(AX − B)', 1e-11 * scale);
  const { s, Vt } = svd(A);
  const r = s.filter((v) => v > 1e-10 * s[0]).length;
  const Vr = new Matrix(r, A.cols);
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < r; i++) Vr.set(i, j, Vt.get(i, j));
  assertMatrixClose(mul(T(Vr), mul(Vr, X)), X, 1e-11, 'X in the row space of A', 1e-300);
}

function refGemv(A: Matrix, x: Float64Array, trans: boolean): Float64Array {
  return mul(trans ? T(A) : A, new Matrix(x.length, 1, x)).data;
}

// ---- tests ----------------------------------------------------------------------------------------

describe('linalg/decomp', () => {
  describe('eigh', () => {
    for (const n of [0, 1, 2, 7, 40]) {
      it(`${n}x${n}: A = V diag(w) Vᵀ, VᵀV = I, ascending, A untouched`, () => {
        const A = symmetric(n, 10 + n);
        const before = A.data.slice();
        checkEigh(A, eigh(A));
        assert.deepEqual(A.data, before);
      });
    }

    it('reads only the lower triangle', () => {
      const S = symmetric(9, 3);
      const A = S.clone();
      for (let j = 1; j < 9; j++) for (let i = 0; i < j; i++) A.set(i, j, 1e3 * (i + 2 * j));
      checkEigh(S, eigh(A));
    });

    it('accepts a subarray view and a rank-deficient input', () => {
      const R = randn(12, 3, 4);
      const A = mul(R, T(R)); // rank 3
      const { view, buf } = asView(A);
      const r = eigh(view);
      checkEigh(A, r);
      assertClose(r.values.subarray(0, 9), new Float64Array(9), 0, 'null eigenvalues', 1e-12 * A.maxAbs());
      assert.equal(buf[2], -99);
      assert.equal(buf[3 + 144], -99);
    });

    it('eighAsync gives the decomposition', async () => {
      const A = symmetric(30, 5);
      checkEigh(A, await eighAsync(A));
    });
  });

  describe('svd', () => {
    const shapes: Array<[number, number]> = [[0, 3], [3, 0], [0, 0], [1, 1], [7, 3], [3, 7], [40, 12], [12, 40]];
    for (const [m, n] of shapes) {
      it(`${m}x${n}: A = U diag(s) Vt, UᵀU = I, VtVtᵀ = I, A untouched`, () => {
        const A = randn(m, n, 20 + m + n);
        const before = A.data.slice();
        checkSvd(A, svd(A));
        assert.deepEqual(A.data, before);
      });
    }

    it('rank-deficient 20x15 of rank 3 (subarray view): 12 zero singular values', () => {
      const A = mul(randn(20, 3, 6), randn(3, 15, 7));
      const { view } = asView(A, 5);
      const r = svd(view);
      checkSvd(A, r);
      assertClose(r.s.subarray(3), new Float64Array(12), 0, 'null singular values', 1e-13 * r.s[0]);
      assert.ok(r.s[2] > 1e-3 * r.s[0]);
    });

    it('svdAsync gives the decomposition of a wide matrix', async () => {
      const A = randn(15, 60, 8);
      checkSvd(A, await svdAsync(A));
    });
  });

  describe('cholesky', () => {
    for (const n of [0, 1, 6, 35]) {
      it(`${n}x${n}: L Lᵀ = A, strict upper part zero, A untouched`, () => {
        const A = spd(n, 30 + n);
        const before = A.data.slice();
        const L = cholesky(A);
        for (let j = 0; j < n; j++) for (let i = 0; i < j; i++) assert.equal(L.get(i, j), 0);
        for (let i = 0; i < n; i++) assert.ok(L.get(i, i) > 0);
        assertMatrixClose(mul(L, T(L)), A, 1e-13, 'L Lᵀ', 1e-300);
        assert.deepEqual(A.data, before);
      });
    }

    it('writes into a subarray-view out and reads a subarray-view A', () => {
      const A = spd(5, 2);
      const { view } = asView(A, 1);
      const buf = new Float64Array(40).fill(7);
      const out = new Matrix(5, 5, buf.subarray(10, 35));
      assert.equal(cholesky(view, { out }), out);
      assertMatrixClose(mul(out, T(out)), A, 1e-13);
      assert.equal(buf[9], 7);
      assert.equal(buf[35], 7);
    });

    it('not positive definite: NativeError naming the failing pivot', () => {
      const A = Matrix.fromRows([[4, 0, 0, 0], [0, 2, 0, 0], [0, 0, -1, 0], [0, 0, 0, 3]]);
      assert.throws(() => cholesky(A), (e: unknown) => {
        assert.ok(e instanceof NativeError);
        assert.equal(e.op, 'cholesky');
        assert.equal(e.info, 3);
        assert.match(e.message, /not positive definite \(pivot 3/);
        return true;
      });
    });
  });

  describe('solveSpd', () => {
    const shapes: Array<[number, number]> = [[0, 2], [1, 1], [5, 0], [8, 3], [30, 5]];
    for (const [n, nrhs] of shapes) {
      it(`${n}x${n} · X = B (${n}x${nrhs}), A and B untouched`, () => {
        const A = spd(n, 40 + n);
        const B = randn(n, nrhs, 41 + n);
        const a0 = A.data.slice();
        const b0 = B.data.slice();
        const X = solveSpd(A, B);
        assert.deepEqual([X.rows, X.cols], [n, nrhs]);
        assertMatrixClose(mul(A, X), B, 1e-12, 'A X', 1e-300);
        assert.deepEqual(A.data, a0);
        assert.deepEqual(B.data, b0);
      });
    }

    it('subarray views in, solveSpdAsync agrees', async () => {
      const A = spd(12, 9);
      const B = randn(12, 4, 10);
      const X = solveSpd(asView(A).view, asView(B, 2).view);
      assertMatrixClose(mul(A, X), B, 1e-12);
      assertMatrixClose(await solveSpdAsync(A, B), X, 1e-14);
    });

    it('not positive definite: NativeError (sync and async)', async () => {
      const A = Matrix.fromRows([[1, 2], [2, 1]]);
      const B = randn(2, 1);
      assert.throws(() => solveSpd(A, B), { name: 'NativeError', op: 'solveSpd', info: 2, message: /pivot 2/ });
      await assert.rejects(solveSpdAsync(A, B), { name: 'NativeError', op: 'solveSpd', info: 2 });
    });
  });

  describe('lstsq', () => {
    const shapes: Array<[number, number, number]> = [[0, 3, 2], [3, 0, 2], [4, 3, 0], [1, 1, 1], [30, 5, 3], [5, 30, 2],
      [12, 12, 1]];
    for (const [m, n, nrhs] of shapes) {
      it(`${m}x${n}, ${nrhs} right-hand sides: normal equations, minimum norm, inputs untouched`, () => {
        const A = randn(m, n, 50 + m);
        const B = randn(m, nrhs, 51 + n);
        const a0 = A.data.slice();
        const b0 = B.data.slice();
        const X = lstsq(A, B);
        checkLstsq(A, B, X);
        if (m === 0) assert.ok(X.data.every((v) => v === 0));
        assert.deepEqual(A.data, a0);
        assert.deepEqual(B.data, b0);
      });
    }

    it('wide A: exact solution with the minimum norm', () => {
      const A = randn(4, 9, 60);
      const B = randn(4, 2, 61);
      const X = lstsq(A, B);
      assertMatrixClose(mul(A, X), B, 1e-12);
      // minimum norm = Aᵀ (AAᵀ)⁻¹ B
      assertMatrixClose(X, mul(T(A), solveSpd(mul(A, T(A)), B)), 1e-11);
    });

    it('rank-deficient tall (25x8 of rank 3) and wide (6x14 of rank 2), subarray views', async () => {
      for (const [m, n, r, seed] of [[25, 8, 3, 70], [6, 14, 2, 80]]) {
        const A = mul(randn(m, r, seed), randn(r, n, seed + 1));
        const B = randn(m, 3, seed + 2);
        const X = lstsq(asView(A).view, asView(B, 7).view);
        checkLstsq(A, B, X);
        assertMatrixClose(await lstsqAsync(A, B), X, 1e-12);
      }
    });

    it('writes into a subarray-view out', () => {
      const A = randn(10, 4, 90);
      const B = randn(10, 2, 91);
      const buf = new Float64Array(12).fill(7);
      const out = new Matrix(4, 2, buf.subarray(2, 10));
      assert.equal(lstsq(A, B, { out }), out);
      checkLstsq(A, B, out);
      assert.deepEqual([buf[1], buf[10]], [7, 7]);
    });
  });

  describe('gemv', () => {
    for (const [m, n] of [[0, 3], [3, 0], [1, 1], [7, 4], [4, 30]]) {
      for (const trans of [false, true]) {
        it(`${m}x${n} trans=${trans} matches the TS reference`, () => {
          const A = randn(m, n, 100 + m);
          const x = randn(trans ? m : n, 1, 101).data;
          assertClose(gemv(A, x, { trans }), refGemv(A, x, trans), 1e-13, 'y', 1e-300);
        });
      }
    }

    it('alpha, beta and a subarray-view out (the rest of the buffer untouched)', () => {
      const A = randn(6, 5, 110);
      const x = asView(randn(5, 1, 111)).view.data;
      const buf = new Float64Array(10).fill(2);
      const out = buf.subarray(2, 8);
      const want = refGemv(A, x, false).map((v) => 3 * v + 0.5 * 2);
      assert.equal(gemv(A, x, { alpha: 3, beta: 0.5, out }), out);
      assertClose(out, want, 1e-13);
      assert.deepEqual([buf[1], buf[8]], [2, 2]);
    });

    it('beta = 0 ignores NaN in out; an empty product scales out by beta', () => {
      const out = new Float64Array(3).fill(NaN);
      assertClose(gemv(randn(3, 2), new Float64Array([1, 1]), { out }), refGemv(randn(3, 2), new Float64Array([1, 1]), false), 1e-14);
      const out2 = new Float64Array([1, 2, 3]);
      assert.deepEqual(Array.from(gemv(new Matrix(3, 0), new Float64Array(0), { beta: 2, out: out2 })), [2, 4, 6]);
    });
  });

  describe('argument errors (before any LAPACK call)', () => {
    it('a non-Matrix gives a TypeError naming the argument', () => {
      assert.throws(() => eigh(null as unknown as Matrix), { name: 'TypeError', message: 'Expected Matrix for A but received null' });
      assert.throws(() => svd([[1]] as unknown as Matrix), { name: 'TypeError', message: /Matrix for A but received Array/ });
      assert.throws(() => solveSpd(spd(2, 1), 3 as unknown as Matrix), { name: 'TypeError', message: /Matrix for B but received number/ });
      assert.throws(() => gemv(randn(2, 2), [1, 2] as unknown as Float64Array), { name: 'TypeError', message: /Float64Array of length 2 for x but received Array/ });
    });

    it('wrong buffer types and short buffers name the argument', () => {
      assert.throws(() => addon.eigh(2, new Float32Array(4) as unknown as Float64Array, new Float64Array(2), new Float64Array(4)),
        { name: 'TypeError', message: 'Expected Float64Array of length 4 for A but received Float32Array of length 4' });
      assert.throws(() => addon.eigh(3, new Float64Array(8), new Float64Array(3), new Float64Array(9)),
        { name: 'RangeError', message: 'Expected Float64Array of length 9 for A but received Float64Array of length 8' });
      assert.throws(() => addon.svd(3, 2, new Float64Array(6), new Float64Array(6), new Float64Array(1), new Float64Array(4)),
        { name: 'RangeError', message: /length 2 for s but received Float64Array of length 1/ });
      assert.throws(() => addon.lstsq(3, 2, 1, new Float64Array(6), new Float64Array(3), -1, new Float64Array(3)),
        { name: 'RangeError', message: /length 2 for X/ });
      assert.throws(() => gemv(randn(3, 2), new Float64Array(3)), { name: 'RangeError', message: /length 2 for x but received Float64Array of length 3/ });
      assert.throws(() => gemv(randn(3, 2), new Float64Array(2), { out: new Float64Array(2) }), { name: 'RangeError', message: /length 3 for out/ });
    });

    it('negative, fractional or mismatched sizes are RangeErrors naming them', () => {
      assert.throws(() => addon.eigh(-1, new Float64Array(0), new Float64Array(0), new Float64Array(0)),
        { name: 'RangeError', message: /for n but received -1/ });
      assert.throws(() => addon.svd(2.5, 1, new Float64Array(2), new Float64Array(2), new Float64Array(1), new Float64Array(1)),
        { name: 'RangeError', message: /for m but received 2.5/ });
      assert.throws(() => addon.solveSpd(2, '1' as unknown as number, new Float64Array(4), new Float64Array(2), new Float64Array(2)),
        { name: 'TypeError', message: /for nrhs but received string/ });
      assert.throws(() => eigh(randn(3, 4)), { name: 'RangeError', message: 'Expected square Matrix for A but received 3x4' });
      assert.throws(() => cholesky(randn(2, 3)), { name: 'RangeError', message: /square Matrix for A/ });
      assert.throws(() => solveSpd(spd(3, 1), randn(2, 1)), { name: 'RangeError', message: /3 rows in B .* received 2x1/ });
      assert.throws(() => lstsq(randn(4, 3), randn(5, 2)), { name: 'RangeError', message: /4 rows in B/ });
      assert.throws(() => cholesky(spd(3, 1), { out: new Matrix(2, 2) }), { name: 'RangeError', message: /3x3 Matrix for out/ });
      const eigh2 = addon.eigh as unknown as (n: number, A: Float64Array) => unknown;
      assert.throws(() => eigh2(2, new Float64Array(4)), { name: 'TypeError', message: 'Expected 4 arguments but received 2' });
    });

    it('NaN or Inf in an input is a RangeError naming it', async () => {
      const bad = (A: Matrix, k: number, v: number): Matrix => { const B = A.clone(); B.data[k] = v; return B; };
      assert.throws(() => eigh(bad(symmetric(3, 1), 4, NaN)), { name: 'RangeError', message: /finite values in A but element 4 is nan/ });
      await assert.rejects(eighAsync(bad(symmetric(3, 1), 0, Infinity)), { name: 'RangeError', message: /finite values in A/ });
      assert.throws(() => svd(bad(randn(3, 5), 7, -Infinity)), { name: 'RangeError', message: /finite values in A but element 7/ });
      await assert.rejects(svdAsync(bad(randn(3, 5), 1, NaN)), { name: 'RangeError', message: /finite values in A/ });
      assert.throws(() => cholesky(bad(spd(3, 1), 8, NaN)), { name: 'RangeError', message: /finite values in A/ });
      assert.throws(() => solveSpd(bad(spd(3, 1), 2, NaN), randn(3, 1)), { name: 'RangeError', message: /finite values in A/ });
      assert.throws(() => solveSpd(spd(3, 1), bad(randn(3, 1), 2, NaN)), { name: 'RangeError', message: /finite values in B/ });
      assert.throws(() => lstsq(bad(randn(4, 2), 5, NaN), randn(4, 1)), { name: 'RangeError', message: /finite values in A/ });
      await assert.rejects(lstsqAsync(randn(4, 2), bad(randn(4, 1), 3, Infinity)), { name: 'RangeError', message: /finite values in B/ });
      assert.throws(() => lstsq(randn(4, 2), randn(4, 1), { rcond: NaN }), { name: 'RangeError', message: /finite number for rcond/ });
    });

    it('an output sharing memory with an input is a RangeError', () => {
      const buf = new Float64Array(16);
      assert.throws(() => addon.cholesky(2, buf.subarray(0, 4), buf.subarray(2, 6)), { name: 'RangeError', message: /A and L not to share memory/ });
      assert.throws(() => addon.lstsq(2, 2, 1, new Float64Array(4), buf.subarray(0, 2), -1, buf.subarray(1, 3)),
        { name: 'RangeError', message: /B and X not to share memory/ });
    });
  });

  describe('async', () => {
    it('64 concurrent eighAsync and 64 svdAsync calls give correct results', async () => {
      const sym = Array.from({ length: 64 }, (_, i) => symmetric(20 + (i % 17), 200 + i));
      const rect = Array.from({ length: 64 }, (_, i) => randn(10 + (i % 13), 25 - (i % 11), 300 + i));
      const [eigs, svds] = await Promise.all([Promise.all(sym.map((A) => eighAsync(A))), Promise.all(rect.map((A) => svdAsync(A)))]);
      sym.forEach((A, i) => {
        checkEigh(A, eigs[i]);
        assert.deepEqual(eigs[i].values, eigh(A).values);
      });
      rect.forEach((A, i) => {
        checkSvd(A, svds[i]);
        assert.deepEqual(svds[i].s, svd(A).s);
      });
    });

    it('a child process started while 8 large async svd calls run finishes', async function () {
      const As = Array.from({ length: 8 }, (_, i) => randn(400, 300, 400 + i));
      // A deadlock never ends; the calls themselves take 8 × one svd (tens of ms natively, tens of
      // seconds under valgrind): the bound is 20 s beyond twice that, measured here.
      const t0 = performance.now();
      svd(As[0]);
      this.timeout(20000 + 16 * (performance.now() - t0));
      const pending = As.map((A) => svdAsync(A));
      const child = new Promise<void>((resolve, reject) => {
        execFile(process.execPath, ['-e', '0'], (err) => (err ? reject(err) : resolve()));
      });
      await child;
      const rs = await Promise.all(pending);
      rs.forEach((r, i) => {
        assert.equal(r.s.length, 300);
        assertMatrixClose(mul(scaleCols(r.U, r.s), r.Vt), As[i], 1e-12);
      });
    });
  });
});
