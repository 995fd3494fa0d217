/**
 * The native MxNE / irMxNE driver (binding/solvers.cc) on problems made here: a solution certified
 * by its duality gap satisfies the L21 optimality conditions; the active-set strategy lands on the
 * optimum of the all-columns solve; every argument is validated before the job starts. MNE
 * conformance lives in solverProblems.test.ts.
 */
import * as assert from 'node:assert/strict';
import { gemm } from '../../lib/linalg/blas.js';
import { addon } from '../../lib/native.js';
import { groupsNorm2 } from '../../lib/sparse/groupNorms.js';
import { iterativeMixedNormSolver } from '../../lib/sparse/iterativeMixedNormSolver.js';
import { mixedNormSolver, prepareL21 } from '../../lib/sparse/mixedNormSolver.js';
import { assertClose } from '../helpers/assert.js';
import { randn } from '../helpers/random.js';

function problem(nOrient: number, seed: number) {
  const G = randn(40, 30, seed), M = randn(40, 12, seed + 1);
  const GtMt = gemm(M, G, { transA: true });
  let amax = 0;
  for (const v of groupsNorm2(GtMt, nOrient)) amax = Math.max(amax, Math.sqrt(v));
  let normM2 = 0;
  for (let k = 0; k < M.data.length; k++) normM2 += M.data[k] ** 2;
  return { G, M, amax, normM2 };
}

describe('sparse: the native MxNE / irMxNE driver', () => {
  for (const [solver, nOrient] of [['bcd', 3], ['bcd', 1], ['cd', 1]] as const) {
    it(`${solver}, nOrient ${nOrient}: converged solutions meet the optimality conditions`, async () => {
      const { G, M, amax, normM2 } = problem(nOrient, 7);
      const alpha = (nOrient === 3 ? 0.7 : 0.3) * amax;
      const o = { maxit: 20000, tol: 1e-10 * normM2, activeSetSize: null, debias: false, nOrient, solver, dgapFreq: 10 };
      const r = await mixedNormSolver(await prepareL21(M, G), alpha, o);
      assert.ok(r.converged && r.gap < o.tol, `gap ${r.gap}`);
      // KKT: ‖G_jᵀR‖ = α on non-zero blocks, ≤ α on zero blocks.
      const R = M.clone();
      gemm(G.pickCols(r.activeSet), r.X, { alpha: -1, beta: 1, out: R });
      const gn = groupsNorm2(gemm(R, G, { transA: true }), nOrient);
      const active = new Set(Array.from(r.activeSet, (c) => Math.floor(c / nOrient)));
      assert.ok(active.size > 0 && active.size < 30 / nOrient, `${active.size} active blocks`);
      gn.forEach((g, j) => {
        if (active.has(j)) assert.ok(Math.abs(Math.sqrt(g) - alpha) < 1e-3 * alpha, `block ${j}: ${Math.sqrt(g)} vs ${alpha}`);
        else assert.ok(Math.sqrt(g) <= alpha * (1 + 1e-3), `inactive block ${j}: ${Math.sqrt(g)} > ${alpha}`);
      });
      // The active-set strategy reaches the same optimum.
      const s = await mixedNormSolver(await prepareL21(M, G), alpha, { ...o, activeSetSize: 2 });
      assert.deepEqual(Array.from(s.activeSet), Array.from(r.activeSet));
      assertClose(s.X.data, r.X.data, 1e-4, 'X with and without the active-set strategy');
    });
  }

  it('irMxNE: weights of zero drop columns, the history has one entry per reweighting', async () => {
    const { G, M, amax, normM2 } = problem(3, 11);
    const o = { maxit: 3000, tol: 1e-8 * normM2, activeSetSize: 2, debias: true, nOrient: 3, solver: 'bcd' as const, dgapFreq: 10 };
    const w = new Float64Array(30).fill(1);
    w.fill(0, 0, 6);
    const r = await iterativeMixedNormSolver(M, G, 0.5 * amax, 5, o, w);
    assert.ok(r.activeSet.every((c) => c >= 6), `dropped columns stay out: ${r.activeSet}`);
    assert.equal(r.activeSetHistory.length, r.reweightings);
    assert.equal(r.E.length, r.reweightings);
  });

  it('rejects bad arguments with TypeError/RangeError naming them, before the job starts', () => {
    const ok = (): unknown[] => [4, 6, 3, new Float64Array(12), new Float64Array(24), 1, 0, 10, 1e-6, 0, true, 3, false, 10, null, null];
    const bad = (k: number, v: unknown, re: RegExp, kind: typeof TypeError | typeof RangeError = RangeError) => {
      const args = ok();
      args[k] = v;
      assert.throws(() => (addon.l21DriverAsync as (...x: unknown[]) => unknown)(...args), (e: unknown) => e instanceof kind && re.test((e as Error).message));
    };
    const sevenColumns = ok();
    sevenColumns[1] = 7;
    sevenColumns[4] = new Float64Array(28);
    assert.throws(() => (addon.l21DriverAsync as (...x: unknown[]) => unknown)(...sevenColumns), /multiple of nOrient/);
    bad(3, new Float64Array(5), /M/);
    bad(4, [1], /G/, TypeError);
    bad(4, new Float64Array(24).fill(Number.NaN), /G/);
    bad(5, -1, /alpha/);
    bad(7, 0, /maxit/);
    bad(11, 4, /nOrient/);
    bad(12, true, /nOrient 1/);
    bad(13, 0, /dgapFreq/);
    bad(14, new Float64Array(5), /weightInit/);
    bad(14, new Float64Array(6).fill(-1), /weightInit/);
    bad(15, new Float64Array(5), /GtMt/);
  });
});
