/**
 * Gamma-MAP's fallback when CM = G·diag(γ)·Gᵀ + αI has no Cholesky factor (binding/kernels_gamma.cc):
 * the step then inverts CM as MNE does, U·diag(1/(|s| + eps))·Uᵀ from its eigendecomposition, and
 * the solver counts the iteration in `eighFallbacks`. The fixtures never reach it, so it is forced
 * here: at the native level with a negative gamma (CM indefinite, well conditioned), checked against
 * an eigendecomposition computed here by Jacobi rotations; through gammaMapSolver with two identical
 * sensors and an alpha below CM's rounding, where no iteration has a factor.
 */
import * as assert from 'node:assert/strict';
import { Matrix } from '../../../lib/linalg/matrix.js';
import { addon } from '../../../lib/native.js';
import { gammaMapSolver } from '../../../lib/sparse/gammaMap/gammaMapSolver.js';
import { randn } from '../../helpers/random.js';

/** Eigenvalues and eigenvectors (columns of V) of a small symmetric matrix, by cyclic Jacobi rotations. */
function jacobiEigh(S: Matrix): { w: Float64Array; V: Matrix } {
  const n = S.rows, A = S.clone(), V = Matrix.identity(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A.get(p, q) ** 2;
    if (off < 1e-30 * A.frobeniusNorm() ** 2) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (A.get(p, q) === 0) continue;
        const theta = (A.get(q, q) - A.get(p, p)) / (2 * A.get(p, q));
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A.get(k, p), akq = A.get(k, q);
          A.set(k, p, c * akp - s * akq);
          A.set(k, q, s * akp + c * akq);
        }
        for (let k = 0; k < n; k++) {
          const apk = A.get(p, k), aqk = A.get(q, k);
          A.set(p, k, c * apk - s * aqk);
          A.set(q, k, s * apk + c * aqk);
        }
        for (let k = 0; k < n; k++) {
          const vkp = V.get(k, p), vkq = V.get(k, q);
          V.set(k, p, c * vkp - s * vkq);
          V.set(k, q, s * vkp + c * vkq);
        }
      }
    }
  }
  return { w: Float64Array.from({ length: n }, (_, i) => A.get(i, i)), V };
}

describe('Gamma-MAP: the eigendecomposition fallback when CM has no Cholesky factor', () => {
  it('the native step inverts an indefinite CM as U·diag(1/(|s| + eps))·Uᵀ and flags it', async () => {
    const n = 6, k = 8, T = 5, alpha = 0.3;
    const G = randn(n, k, 21), M = randn(n, T, 22);
    const gammas = Float64Array.from([1, 0.5, 2, 1.5, 0.7, 1.2, 0.9, -4]);
    // CM and its eigendecomposition, here.
    const CM = new Matrix(n, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = i === j ? alpha : 0;
        for (let c = 0; c < k; c++) s += G.get(i, c) * gammas[c] * G.get(j, c);
        CM.set(i, j, s);
      }
    }
    const { w, V } = jacobiEigh(CM);
    assert.ok(Math.min(...w) < -1 && Math.min(...w.map(Math.abs)) > 1e-2, `indefinite and well conditioned: ${Array.from(w)}`);
    const eps = 2.220446049250313e-16;
    const CMinvG = new Matrix(n, k);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < n; j++) for (let l = 0; l < n; l++) s += (V.get(i, l) * V.get(j, l)) / (Math.abs(w[l]) + eps) * G.get(j, c);
        CMinvG.set(i, c, s);
      }
    }
    const work = new Float64Array(n * (k + n + T) + k);
    for (const mode of [1, 2] as const) {
      const numer = new Float64Array(k), denom = new Float64Array(k), A = new Matrix(k, T), flags = new Float64Array(1);
      await addon.gammaMapStepAsync(n, k, T, G.data, M.data, gammas, alpha, mode, numer, denom, A.data, flags, work);
      assert.equal(flags[0], 1, 'the step reports the fallback');
      for (let c = 0; c < k; c++) {
        let a2 = 0, gc = 0;
        for (let t = 0; t < T; t++) {
          let a = 0;
          for (let i = 0; i < n; i++) a += CMinvG.get(i, c) * M.get(i, t);
          assert.ok(Math.abs(A.get(c, t) - a) <= 1e-10 * Math.max(1, Math.abs(a)), `A[${c}, ${t}]: ${A.get(c, t)} vs ${a}`);
          a2 += a * a;
        }
        for (let i = 0; i < n; i++) gc += G.get(i, c) * CMinvG.get(i, c);
        const wantNumer = mode === 1 ? gammas[c] ** 2 * (a2 / T) : gammas[c] * Math.sqrt(a2 / T);
        const wantDenom = mode === 1 ? gammas[c] * gc : gc;
        assert.ok(Math.abs(numer[c] - wantNumer) <= 1e-10 * Math.abs(wantNumer), `numer[${c}] (mode ${mode}): ${numer[c]} vs ${wantNumer}`);
        assert.ok(Math.abs(denom[c] - wantDenom) <= 1e-10 * Math.abs(wantDenom), `denom[${c}] (mode ${mode}): ${denom[c]} vs ${wantDenom}`);
      }
    }
    // The same data with positive gammas has a factor: no fallback.
    const flags = new Float64Array(1);
    await addon.gammaMapStepAsync(n, k, T, G.data, M.data, gammas.map(Math.abs), alpha, 1, new Float64Array(k), new Float64Array(k), new Float64Array(k * T), flags, work);
    assert.equal(flags[0], 0);
  });

  it('gammaMapSolver counts every iteration that fell back in eighFallbacks', async () => {
    // Sensors 1–16 copies of sensor 0: their rows of CM differ from row 0 only by alpha, here below
    // CM's rounding, so dpotrf's pivots for them are rounding noise of either sign. One copy gives
    // a factor in about half the iterations, depending on the kernels' rounding; with 16, a
    // factor needs 16 positive pivots in a row (odds ~2⁻¹⁶ per iteration).
    const G = randn(24, 12, 31), M = randn(24, 4, 32);
    for (let r = 1; r <= 16; r++) {
      for (let c = 0; c < 12; c++) G.set(r, c, G.get(0, c));
      for (let t = 0; t < 4; t++) M.set(r, t, M.get(0, t));
    }
    const r = await gammaMapSolver(M, G, 1e-40, { maxit: 5, tol: 1e-30 });
    assert.equal(r.nIterations, 5);
    assert.equal(r.eighFallbacks, r.nIterations, 'one fallback per iteration');
    // A well-posed alpha: the factor exists in every iteration.
    const ok = await gammaMapSolver(M, G, 0.5, { maxit: 5, tol: 1e-30 });
    assert.equal(ok.eighFallbacks, 0);
  });
});
