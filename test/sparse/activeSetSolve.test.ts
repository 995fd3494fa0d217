/**
 * The native inner solver (binding/kernels.cc) on problems made here: the returned point is
 * certified by its own duality gap and satisfies the L21 optimality conditions; every argument
 * is validated before the kernel runs. MNE conformance lives in solverProblems.test.ts.
 */
import * as assert from 'node:assert/strict';
import { gemm, gram } from '../../lib/linalg/blas.js';
import { addon } from '../../lib/native.js';
import { activeSetSolve } from '../../lib/sparse/activeSetSolve.js';
import { groupsNorm2 } from '../../lib/sparse/groupNorms.js';
import { blockLipschitz } from '../../lib/sparse/lipschitz.js';
import { randn } from '../helpers/random.js';

function problem(m: number, a: number, T: number, nOrient: number, seed: number) {
  const G = randn(m, a, seed), M = randn(m, T, seed + 1);
  const GtG = gram(G);
  const GtMt = gemm(M, G, { transA: true });
  let normM2 = 0;
  for (const v of M.data) normM2 += v * v;
  let amax = 0;
  for (const v of groupsNorm2(GtMt, nOrient)) amax = Math.max(amax, Math.sqrt(v));
  return { G, M, p: { GtG, GtMt, normM2, nOrient }, alphaMax: amax };
}

describe('sparse/activeSetSolve (native BCD and CD kernels)', () => {
  for (const [solver, nOrient] of [['bcd', 3], ['bcd', 1], ['cd', 1]] as const) {
    it(`${solver}, nOrient ${nOrient}: converges and meets the optimality conditions`, async () => {
      const { G, M, p, alphaMax } = problem(40, 30, 12, nOrient, 7);
      const alpha = (nOrient === 3 ? 0.7 : 0.3) * alphaMax;
      const tol = 1e-10 * p.normM2;
      const r = await activeSetSolve(p, { solver, alpha, lipschitz: blockLipschitz(p.GtG, nOrient), maxit: 20000, tol, dgapFreq: 10, init: null });
      assert.ok(r.converged, `gap ${r.gap}`);
      assert.ok(r.gap < tol);
      // KKT: ‖G_jᵀR‖ = α on non-zero blocks (and G_jᵀR ∥ X_j), ≤ α on zero blocks.
      const X = r.Xt.transpose();
      const R = M.clone();
      gemm(G, X, { alpha: -1, beta: 1, out: R });
      const GtRt = gemm(R, G, { transA: true });
      const gn = groupsNorm2(GtRt, nOrient), xn = groupsNorm2(r.Xt, nOrient);
      let activeBlocks = 0;
      gn.forEach((g, j) => {
        if (xn[j] > 0) { activeBlocks++; assert.ok(Math.abs(Math.sqrt(g) - alpha) < 1e-3 * alpha, `block ${j}: ${Math.sqrt(g)} vs ${alpha}`); }
        else assert.ok(Math.sqrt(g) <= alpha * (1 + 1e-3), `inactive block ${j}: ${Math.sqrt(g)} > ${alpha}`);
      });
      assert.ok(activeBlocks > 0 && activeBlocks < 30 / nOrient, `${activeBlocks} active blocks`);
      assert.deepEqual(Array.from(r.active), Array.from({ length: 30 }, (_, k) => (xn[Math.floor(k / nOrient)] > 0 ? 1 : 0)));
    });
  }

  it('starts from a warm start and then needs fewer epochs', async () => {
    const { p, alphaMax } = problem(40, 30, 12, 3, 11);
    const o = { solver: 'bcd' as const, alpha: 0.3 * alphaMax, lipschitz: blockLipschitz(p.GtG, 3), maxit: 5000, tol: 1e-8 * p.normM2, dgapFreq: 10, init: null };
    const cold = await activeSetSolve(p, o);
    const warm = await activeSetSolve(p, { ...o, init: cold.Xt });
    assert.ok(warm.epochs <= 10 && cold.epochs >= warm.epochs, `${cold.epochs} then ${warm.epochs}`);
  });

  it('rejects bad arguments with TypeError/RangeError naming them, before any work', () => {
    const a = 6, T = 4;
    const ok = (): Parameters<typeof addon.l21Solve> => [false, a, T, 3, new Float64Array(a * a), new Float64Array(T * a), 1,
      new Float64Array(2).fill(1), 1, 1e-6, 10, 10, true, new Float64Array(T * a), new Float64Array(2), new Float64Array(4)];
    const bad = (k: number, v: unknown, re: RegExp, kind: typeof TypeError | typeof RangeError = RangeError) => {
      const args = ok() as unknown[];
      args[k] = v;
      assert.throws(() => (addon.l21Solve as (...x: unknown[]) => unknown)(...args), (e: unknown) => e instanceof kind && re.test((e as Error).message));
    };
    bad(1, 7, /nOrient/);
    bad(3, 4, /nOrient/);
    bad(4, new Float64Array(3), /GtG/);
    bad(4, [1, 2], /GtG/, TypeError);
    bad(5, new Float64Array(a * T).fill(NaN), /GtMt/);
    bad(7, new Float64Array([1, 0]), /lipschitz/);
    bad(8, -1, /alpha/);
    bad(11, 0, /dgapFreq/);
    bad(14, new Float64Array(1), /E/);
    const args = ok();
    args[0] = true;
    assert.throws(() => addon.l21Solve(...args), /nOrient 1/);
    const shared = new Float64Array(T * a);
    const alias = ok();
    alias[13] = shared; alias[5] = shared;
    assert.throws(() => addon.l21Solve(...alias), /GtMt|Xt/);
  });
});
