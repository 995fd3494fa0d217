/**
 * The MxNE / irMxNE solvers (the active-set loop in lib/sparse/activeSet.ts around the native inner
 * solve of binding/solvers.cc) on problems made here: a solution certified by its duality gap
 * satisfies the L21 optimality conditions; the active-set strategy lands on the optimum of the
 * all-columns solve; every argument of the native inner solve is validated before the job starts.
 * MNE conformance lives in solverProblems.test.ts.
 */
import * as assert from 'node:assert/strict';
import { gemm } from '../../lib/linalg/blas.js';
import { addon } from '../../lib/native.js';
import { computeBias } from '../../lib/sparse/computeBias.js';
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

/** ‖v‖² in the residual kernel's order (binding/blocks.h SquareSum): four running sums by index mod 4, added in pairs. */
function squareSum(v: ArrayLike<number>): number {
  const s = [0, 0, 0, 0];
  for (let k = 0; k < v.length; k++) s[k % 4] += v[k] * v[k];
  return (s[0] + s[1]) + (s[2] + s[3]);
}

describe('sparse: the MxNE / irMxNE solvers over the native inner solve', () => {
  for (const [solver, nOrient] of [['bcd', 3], ['bcd', 1], ['cd', 1]] as const) {
    it(`${solver}, nOrient ${nOrient}: converged solutions meet the optimality conditions`, async () => {
      const { G, M, amax, normM2 } = problem(nOrient, 7);
      const alpha = (nOrient === 3 ? 0.7 : 0.3) * amax;
      const o = { maxit: 20000, tol: 1e-10 * normM2, activeSetSize: null, debias: false, nOrient, solver, dgapFreq: 10 };
      const r = await mixedNormSolver(M, G, alpha, o);
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
      const s = await mixedNormSolver(M, G, alpha, { ...o, activeSetSize: 2 });
      assert.deepEqual(Array.from(s.activeSet), Array.from(r.activeSet));
      assertClose(s.X.data, r.X.data, 1e-4, 'X with and without the active-set strategy');
    });
  }

  it('irMxNE: weights of zero drop columns, the history has one entry per reweighting', async () => {
    const { G, M, amax, normM2 } = problem(3, 11);
    const o = { maxit: 3000, tol: 1e-8 * normM2, activeSetSize: 2, debias: true, nOrient: 3, solver: 'bcd' as const, dgapFreq: 10 };
    const w = new Float64Array(30).fill(1);
    w.fill(0, 0, 6);
    const r = await iterativeMixedNormSolver(M, G, 0.5 * amax, 5, { ...o, weightInit: w });
    assert.ok(r.activeSet.every((c) => c >= 6), `dropped columns stay out: ${r.activeSet}`);
    assert.equal(r.activeSetHistory.length, r.nIterations);
    assert.equal(r.E.length, r.nIterations);
  });

  it('the inline inner solve (small solves) gives the pool\'s solution bit for bit', async () => {
    const { G, M, amax, normM2 } = problem(3, 5);
    const GtMt = gemm(M, G, { transA: true });
    const cols = Int32Array.from({ length: 12 }, (_, c) => c + 6);
    const args = { m: 40, n: 30, T: 12, G: G.data, GtMt: GtMt.data, cols, normM2, alpha: 0.3 * amax, maxit: 500, tol: 1e-10 * normM2, nOrient: 3, cd: false, dgapFreq: 10 };
    const XtInline = new Float64Array(12 * 12), XtPool = new Float64Array(12 * 12);
    const inline = addon.l21InnerSolve({ ...args, Xt: XtInline });
    const pool = await addon.l21InnerSolveAsync({ ...args, Xt: XtPool });
    assert.ok(inline.converged && inline.epochs > 10, `epochs ${inline.epochs}`);
    assert.deepEqual(inline, pool);
    assert.deepEqual(XtInline, XtPool);
    assert.throws(() => addon.l21InnerSolve({ ...args, Xt: new Float64Array(5) }), /Xt/);
  });

  it('an inline solve stopped by its epoch cap runs again in the pool from the same warm start', async () => {
    // 200 samples: the epoch cap of an inline attempt (~4M flops / 2·a²·T) stays below the budget of 3000.
    const G = randn(40, 30, 13), M = randn(40, 200, 14);
    let amax = 0, normM2 = 0;
    for (const v of groupsNorm2(gemm(M, G, { transA: true }), 3)) amax = Math.max(amax, Math.sqrt(v));
    for (let k = 0; k < M.data.length; k++) normM2 += M.data[k] ** 2;
    const o = { maxit: 3000, tol: 1e-8 * normM2, activeSetSize: 2, debias: true, nOrient: 3, solver: 'bcd' as const, dgapFreq: 10 };
    const want = await iterativeMixedNormSolver(M, G, 0.4 * amax, 5, o);
    assert.ok(want.converged && want.activeSet.length > 0, `${want.activeSet.length} active columns`);
    // Every inline attempt now stops unconverged after spoiling Xt: the pool must start from the warm start again.
    const inline = addon.l21InnerSolve;
    let attempts = 0;
    addon.l21InnerSolve = (a) => {
      attempts++;
      a.Xt.fill(1);
      return { E: new Float64Array(0), gap: Infinity, converged: false, epochs: a.maxit };
    };
    try {
      const got = await iterativeMixedNormSolver(M, G, 0.4 * amax, 5, o);
      assert.ok(attempts > 0, 'the inline path was taken');
      assert.deepEqual(got, want);
    } finally {
      addon.l21InnerSolve = inline;
    }
  });

  it('debiasing a small active set inline gives the pool\'s factors bit for bit', async () => {
    // X shrunk to half of what explains M: the factors move towards 2 over many iterations.
    const GA = randn(40, 9, 17), X = randn(9, 12, 19), M = gemm(GA, X, { alpha: 2 });
    const noise = randn(40, 12, 18);
    for (let k = 0; k < M.data.length; k++) M.data[k] += 0.1 * noise.data[k];
    const args = { m: 40, n: 9, T: 12, M: M.data, GA: GA.data, X: X.data, B: randn(9, 9, 20).data, maxIter: 1000, tol: 1e-6, nOrient: 3 };
    const inline = addon.computeBias(args);
    assert.ok(inline.iterations > 10 && inline.D.every((d) => d > 1.5), `${inline.iterations} iterations, D ${inline.D}`);
    assert.deepEqual(inline, await addon.computeBiasAsync(args));
    assert.throws(() => addon.computeBias({ ...args, nOrient: 2 }), /nOrient/);
  });

  it('debiasing factors do not depend on the solves before (the seed-0 draws kept between solves)', async () => {
    const debias = (n: number) => {
      const GA = randn(40, n, 30 + n), X = randn(n, 12, 31 + n), M = gemm(GA, X, { alpha: 1.5 });
      return computeBias(M, GA, X, { nOrient: 3 });
    };
    // 6 rows: 36 draws, kept with the first 1,024; 60 rows: 3,600 draws extend what is kept.
    const small = await debias(6), large = await debias(60), smallAgain = await debias(6), largeAgain = await debias(60);
    assert.deepEqual(smallAgain, small);
    assert.deepEqual(largeAgain, large);
    assert.ok(small.weights.every((w) => w > 1.2), `${small.weights}`);
  });

  it('rejects bad arguments with TypeError/RangeError naming them, before the job starts', () => {
    const ok = (): Record<string, unknown> => ({
      m: 4, n: 6, T: 3, G: new Float64Array(24), GtMt: new Float64Array(18), cols: Int32Array.from([0, 1, 2]), Xt: new Float64Array(9),
      normM2: 1, alpha: 1, maxit: 10, tol: 1e-6, nOrient: 3, cd: false, dgapFreq: 10,
    });
    const call = (o: unknown) => (addon.l21InnerSolveAsync as (x: unknown) => unknown)(o);
    const bad = (k: string, v: unknown, re: RegExp, kind: typeof TypeError | typeof RangeError = RangeError) => {
      assert.throws(() => call({ ...ok(), [k]: v }), (e: unknown) => e instanceof kind && re.test((e as Error).message));
    };
    assert.throws(() => call({ ...ok(), n: 7, G: new Float64Array(28), GtMt: new Float64Array(21) }), /multiples of nOrient/);
    assert.throws(() => call(5), /options/);
    bad('G', new Float64Array(5), /G/);
    bad('G', [1], /G/, TypeError);
    bad('G', new Float64Array(24).fill(Number.NaN), /G/);
    bad('GtMt', new Float64Array(5), /GtMt/);
    bad('cols', [0, 1, 2], /cols/, TypeError);
    bad('cols', Int32Array.from([0, 1]), /multiples of nOrient/);
    bad('cols', Int32Array.from([1, 2, 3]), /cols/);
    bad('cols', Int32Array.from([3, 4, 6]), /cols/);
    bad('cols', Int32Array.from([3, 4, 5, 0, 1, 2]), /cols/);
    bad('Xt', new Float64Array(8), /Xt/);
    bad('alpha', -1, /alpha/);
    bad('maxit', 0, /maxit/);
    bad('nOrient', 0, /nOrient/);
    bad('cd', true, /nOrient 1/);
    bad('dgapFreq', 0, /dgapFreq/);
    bad('cancel', new Float64Array(1), /cancel/, TypeError);
  });

  it('the residual kernel: R, ‖R‖², GᵀR (directly or from the columns\' Gram) and its block sums, as plain products give them', async () => {
    const m = 40, T = 12, n = 300, G = randn(m, n, 21), M = randn(m, T, 22), GtMt = gemm(M, G, { transA: true });
    const cols = Int32Array.from([3, 4, 5, 150, 151, 152, 297, 298, 299]), Xt = randn(T, 9, 23);
    // The reference: the products and sums activeSet.ts made before the kernel existed.
    const R = M.clone();
    gemm(G.pickCols(cols), Xt.transpose(), { alpha: -1, beta: 1, out: R });
    const GtRt = gemm(R, G, { transA: true });
    let xGtR = 0;
    cols.forEach((c, j) => { for (let t = 0; t < T; t++) xGtR += Xt.data[t + j * T] * GtRt.data[t + c * T]; });
    const want = groupsNorm2(GtRt, 3);
    for (const corr of [null, GtMt]) {
      const out = { R: new Float64Array(m * T), GtRt: new Float64Array(T * n), norms2: new Float64Array(n / 3) };
      const args = { m, n, T, nOrient: 3, M: M.data, G: G.data, GtMt: corr?.data, cols, Xt: Xt.data, ...out };
      const r = addon.sparseResidual(args);
      assert.deepEqual(out.R, R.data);
      assert.equal(r.normR2, squareSum(R.data));
      // a·(m + T) = 468 < m·T = 480: with GᵀM the kernel takes the Gram form, equal up to rounding.
      const rtol = corr === null ? 0 : 1e-12;
      assertClose(out.GtRt, GtRt.data, rtol, 'GᵀR');
      assertClose(out.norms2, want, rtol, 'block norms');
      assertClose([r.xGtR], [xGtR], rtol, '⟨X, GᵀR⟩');
      assert.deepEqual(await addon.sparseResidualAsync(args), r);
      // Without GtRt, GᵀR is summed over chunks of 42 blocks (three here, the columns in all three);
      // without R too, R is formed inside (directly) or only summed (Gram form): the same sums, up to
      // the rounding of a chunk's GEMM against the whole product's (a kernel may round a product's
      // last columns differently by its width: OpenBLAS's Prescott kernels do, by an ulp).
      for (const R of [new Float64Array(m * T), undefined]) {
        const summed = { R, norms2: new Float64Array(n / 3) };
        const rs = addon.sparseResidual({ ...args, GtRt: undefined, ...summed });
        assert.equal(rs.normR2, r.normR2);
        assertClose([rs.xGtR], [r.xGtR], 1e-12, 'chunked ⟨X, GᵀR⟩');
        assertClose(summed.norms2, out.norms2, 1e-12, 'chunked block norms');
      }
    }
    // Without norms2 only ‖R‖² (and R when asked for; else summed over chunks of time samples).
    const R2 = new Float64Array(m * T), normR2 = squareSum(R.data);
    assert.equal(addon.sparseResidual({ m, n, T, nOrient: 3, M: M.data, G: G.data, cols, Xt: Xt.data, R: R2 }).normR2, normR2);
    assert.deepEqual(R2, R.data);
    assert.equal(addon.sparseResidual({ m, n, T, nOrient: 3, M: M.data, G: G.data, cols, Xt: Xt.data }).normR2, normR2);
    // No columns and no R: GᵀM, its block norms and ‖M‖², M left as it was.
    const none = { GtRt: new Float64Array(T * n), norms2: new Float64Array(n / 3) }, M0 = M.data.slice();
    const r0 = addon.sparseResidual({ m, n, T, nOrient: 3, M: M.data, G: G.data, cols: new Int32Array(0), Xt: new Float64Array(0), ...none });
    assert.deepEqual(none.GtRt, GtMt.data);
    assert.deepEqual(none.norms2, groupsNorm2(GtMt, 3));
    assert.equal(r0.normR2, squareSum(M0));
    assert.deepEqual(M.data, M0);
    // sumR2 false (‖M‖² known from an earlier call): the same GᵀM and block norms, ‖R‖² not summed.
    const known = { GtRt: new Float64Array(T * n), norms2: new Float64Array(n / 3) };
    const rk = addon.sparseResidual({ m, n, T, nOrient: 3, M: M.data, G: G.data, cols: new Int32Array(0), Xt: new Float64Array(0), ...known, sumR2: false });
    assert.ok(Number.isNaN(rk.normR2));
    assert.deepEqual(known, none);
    // A non-finite input makes a sum non-finite; the kernel then names the element (a RangeError, past
    // the first chunk of the scan): in G, read whole for GᵀR, and in M, in both calls.
    const badG = G.clone(), badM = M.clone();
    badG.data[5000] = Number.NaN;
    badM.data[7] = Number.POSITIVE_INFINITY;
    const corrOut = { GtRt: new Float64Array(T * n), norms2: new Float64Array(n / 3) };
    assert.throws(() => addon.sparseResidual({ m, n, T, nOrient: 3, M: M.data, G: badG.data, cols, Xt: Xt.data, R: R2, ...corrOut }),
      { name: 'RangeError', message: /finite values in G but element 5000 is nan/ });
    await assert.rejects(addon.sparseResidualAsync({ m, n, T, nOrient: 3, M: M.data, G: badG.data, GtMt: GtMt.data, cols, Xt: Xt.data, R: R2, ...corrOut }),
      { name: 'RangeError', message: /finite values in G but element 5000 is nan/ });
    assert.throws(() => addon.sparseResidual({ m, n, T, nOrient: 3, M: badM.data, G: G.data, cols, Xt: Xt.data, R: R2 }),
      { name: 'RangeError', message: /finite values in M but element 7 is inf/ });
    // Without ‖R‖², a non-finite M still shows in GᵀM's block norms.
    assert.throws(() => addon.sparseResidual({ m, n, T, nOrient: 3, M: badM.data, G: G.data, cols: new Int32Array(0), Xt: new Float64Array(0), ...corrOut, sumR2: false }),
      { name: 'RangeError', message: /finite values in M but element 7 is inf/ });
    // Finite inputs whose products overflow: a kernel error, not an argument's.
    const huge = M.clone();
    huge.data.fill(1e300);
    assert.throws(() => addon.sparseResidual({ m, n, T, nOrient: 3, M: huge.data, G: G.data, cols, Xt: Xt.data, R: R2, ...corrOut }),
      (e: unknown) => (e as { code?: string }).code === 'EKERNEL' && /overflowed/.test((e as Error).message));
  });

  it('GᵀM in two halves (a large gain) equals the one product, with its block norms and ‖M‖²', async () => {
    // m·T·n = 100·100·3,363 ≥ 2^25: prepareL21 runs two jobs.
    const G = randn(100, 3363, 26), M = randn(100, 100, 27);
    const d = await prepareL21(M, G, 3);
    const GtMt = gemm(M, G, { transA: true });
    assert.deepEqual(d.GtMt.data, GtMt.data);
    assert.deepEqual(d.GtMtNorms2, groupsNorm2(GtMt, 3));
    assert.equal(d.normM2, squareSum(M.data));
    // Given ‖M‖² (irMxNE's later rounds), the same GᵀM and norms, ‖M‖² passed through.
    const again = await prepareL21(M, G, 3, undefined, d.normM2);
    assert.deepEqual(again.GtMt.data, d.GtMt.data);
    assert.deepEqual(again.GtMtNorms2, d.GtMtNorms2);
    assert.equal(again.normM2, d.normM2);
  });

  it('an inner solve checks the columns it reads; a non-finite gain value anywhere stops the whole solve, naming G', async () => {
    const G = randn(40, 300, 24), M = randn(40, 12, 25);
    G.data[40 * 299 + 7] = Number.POSITIVE_INFINITY;
    const GtMt = gemm(M, G.pickCols(Int32Array.from({ length: 300 }, (_, c) => (c === 299 ? 0 : c))), { transA: true });
    const r = addon.l21InnerSolve({ m: 40, n: 300, T: 12, G: G.data, GtMt: GtMt.data, cols: Int32Array.from([0, 1, 2]), Xt: new Float64Array(36),
      normM2: 1, alpha: 1, maxit: 10, tol: 1e-6, nOrient: 3, cd: false, dgapFreq: 10 });
    assert.ok(Number.isFinite(r.gap), 'column 299 is not read');
    // Whether the first active set holds that block or the first gap check meets it, the solve names G.
    await assert.rejects(mixedNormSolver(M, G, 1, { nOrient: 3, activeSetSize: 2 }),
      (e: unknown) => e instanceof RangeError && /finite values in G but element 11967 is inf/.test((e as Error).message));
  });
});
