/**
 * The penalty contract (skglm's test_penalties): on random inputs, each penalty's prox, value,
 * dual norm and subdifferential agree with each other, and the native BCD applies the same prox.
 */
import * as assert from 'node:assert/strict';
import { Matrix } from '../../lib/linalg/matrix.js';
import { mixedNormSolver } from '../../lib/sparse/mixedNormSolver.js';
import { l05Reweight, l05Value } from '../../lib/sparse/penalties/l05.js';
import { l21DualNorm, l21ProxBlock, l21SubdiffDistance, l21Value } from '../../lib/sparse/penalties/l21.js';
import { randn, rng } from '../helpers/random.js';

const CASES = [[1, 1], [1, 7], [2, 5], [3, 4], [5, 3]] as const;  // [nOrient, T]

/** Xt (T × nBlocks·nOrient) with some blocks exactly zero. */
function blocks(nOrient: number, T: number, seed: number): Matrix {
  const X = randn(T, 6 * nOrient, seed);
  X.data.fill(0, 2 * nOrient * T, 3 * nOrient * T);
  return X;
}

const block = (Xt: Matrix, j: number, nOrient: number) => Xt.data.slice(j * nOrient * Xt.rows, (j + 1) * nOrient * Xt.rows);

describe('penalty contract', () => {
  for (const [nOrient, T] of CASES) {
    describe(`nOrient ${nOrient}, T ${T}`, () => {
      it('L21: the prox point satisfies its own optimality condition, lowers the value, and its residual is dual-feasible', () => {
        const r = rng(nOrient * 100 + T);
        for (let trial = 0; trial < 50; trial++) {
          const x = randn(nOrient * T, 1, trial + 1).data;
          const step = 3 * r();
          const z = l21ProxBlock(x.slice(), step);
          const resid = x.map((v, k) => v - z[k]);
          // x − z ∈ step·∂‖z‖
          assert.ok(l21SubdiffDistance(z, resid, step) <= 1e-12 * (1 + step), `subdiff distance ${l21SubdiffDistance(z, resid, step)}`);
          const asMatrix = (a: Float64Array) => new Matrix(T, nOrient, a);
          assert.ok(l21Value(asMatrix(z), nOrient) <= l21Value(asMatrix(x), nOrient) + 1e-15);
          // Moreau: (x − z)/step is the projection of x/step on the dual ball: dual norm ≤ 1.
          assert.ok(l21DualNorm(asMatrix(resid.map((v) => v / step)), nOrient) <= 1 + 1e-12);
        }
      });

      it('L21: value and dual norm are dual to each other (Hölder, with equality at the normalised point)', () => {
        const X = blocks(nOrient, T, 7), A = randn(T, 6 * nOrient, 8);
        let inner = 0;
        for (let k = 0; k < X.data.length; k++) inner += X.data[k] * A.data[k];
        assert.ok(Math.abs(inner) <= l21Value(X, nOrient) * l21DualNorm(A, nOrient) * (1 + 1e-12));
        const U = X.clone();
        for (let j = 0; j < 6; j++) {
          const b = block(X, j, nOrient);
          const n = Math.hypot(...b);
          for (let k = 0; k < b.length; k++) U.data[j * b.length + k] = n === 0 ? 0 : b[k] / n;
        }
        let eq = 0;
        for (let k = 0; k < X.data.length; k++) eq += X.data[k] * U.data[k];
        assert.ok(Math.abs(eq - l21Value(X, nOrient)) <= 1e-12 * eq);
        assert.ok(Math.abs(l21DualNorm(U, nOrient) - 1) <= 1e-12);
      });

      it('L0.5: the reweighted L21 surrogate majorises it and touches it at the reweighting point', () => {
        const X0 = blocks(nOrient, T, 11);
        const w = l05Reweight(X0, nOrient);
        const keep = Array.from({ length: 6 }, (_, j) => j).filter((j) => w[j * nOrient] > 0);
        const norm = (Xt: Matrix, j: number) => Math.hypot(...block(Xt, j, nOrient));
        const surrogate = (Y: Matrix) => l05Value(X0, nOrient) + keep.reduce((s, j) => s + (norm(Y, j) - norm(X0, j)) / w[j * nOrient], 0);
        for (let trial = 0; trial < 20; trial++) {
          const Y = randn(T, 6 * nOrient, 100 + trial);
          for (let j = 0; j < 6; j++) if (!keep.includes(j)) Y.data.fill(0, j * nOrient * T, (j + 1) * nOrient * T);
          assert.ok(l05Value(Y, nOrient) <= surrogate(Y) + 1e-12, `trial ${trial}`);
        }
        assert.ok(Math.abs(surrogate(X0) - l05Value(X0, nOrient)) <= 1e-12);
      });

      it('the native BCD applies the same prox: one epoch from zero with GᵀG = I is prox(GᵀM)', async () => {
        const nb = 6, n = nb * nOrient, m = n + 3;
        const G = new Matrix(m, n);
        for (let j = 0; j < n; j++) G.data[j + j * m] = 1;
        const M = randn(m, T, 21);
        // alpha between the block norms of GᵀM, so that some blocks survive and some do not.
        const norms = Array.from({ length: nb }, (_, j) => {
          let s2 = 0;
          for (let c = 0; c < nOrient; c++) for (let t = 0; t < T; t++) s2 += M.data[j * nOrient + c + t * m] ** 2;
          return Math.sqrt(s2);
        }).sort((a, b) => a - b);
        const alpha = (norms[2] + norms[3]) / 2;
        const r = await mixedNormSolver(M, G, alpha, { maxit: 1, tol: 0, activeSetSize: null, debias: false, solver: 'bcd', nOrient });
        const expected = new Map<number, number[]>();
        for (let j = 0; j < nb; j++) {
          const b = new Float64Array(nOrient * T);
          for (let c = 0; c < nOrient; c++) for (let t = 0; t < T; t++) b[c * T + t] = M.data[j * nOrient + c + t * m];
          const z = l21ProxBlock(b, alpha);
          if (z.some((v) => v !== 0)) for (let c = 0; c < nOrient; c++) expected.set(j * nOrient + c, Array.from(z.subarray(c * T, (c + 1) * T)));
        }
        assert.ok(expected.size > 0 && expected.size < n, `${expected.size / nOrient} of ${nb} blocks survive the prox`);
        assert.deepEqual(Array.from(r.activeSet), [...expected.keys()]);
        r.activeSet.forEach((col, i) => {
          const want = expected.get(col)!;
          for (let t = 0; t < T; t++) assert.ok(Math.abs(r.X.data[i + t * r.X.rows] - want[t]) <= 1e-14 * Math.abs(want[t]) + 1e-300, `column ${col}, t ${t}`);
        });
      });
    });
  }
});
