/**
 * Long solves can be stopped and bounded: an AbortSignal stops a native solve between epochs and
 * the call rejects with the signal's reason; progress arrives on the main thread while the solve
 * runs; process.exit() ends a process whose native solve would otherwise run for hours; maxit
 * bounds the epochs of a whole MxNE solve (alpha = 0 used to run maxit² epochs).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { SolveProgress } from '../../lib/sparse/solverOptions.js';
import { mixedNormSolver } from '../../lib/sparse/mixedNormSolver.js';
import { sureAlpha } from '../../lib/sparse/sure.js';
import { noLeakCheckEnv } from '../helpers/foreignEnv.js';
import { randn } from '../helpers/random.js';

/** A solve that does not converge for hours: alpha ≈ 0, tol 0, all 600 columns at once. */
const endless = () => ({ M: randn(200, 50, 3), G: randn(200, 600, 4) });
const ENDLESS = { maxit: 1_000_000_000, tol: 0, activeSetSize: null, debias: false, solver: 'bcd' as const, dgapFreq: 1 };

describe('sparse: cancelling and bounding native solves', function () {
  this.timeout(60000);

  it('an AbortSignal stops the solve between epochs; the call rejects with its reason', async () => {
    const { M, G } = endless();
    const controller = new AbortController();
    const run = mixedNormSolver(M, G, 1e-12, { ...ENDLESS, signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(run, (e: unknown) => (e as Error).name === 'AbortError');
  });

  it('progress arrives on the main thread after each active-set iteration, ending with the result', async () => {
    const M = randn(30, 20, 5), G = randn(30, 40, 6);
    const seen: SolveProgress[] = [];
    const r = await mixedNormSolver(M, G, 2, { maxit: 3000, tol: 1e-10, activeSetSize: 1, debias: false, solver: 'bcd', onProgress: (p) => seen.push(p) });
    // Reports are queued on the event loop: let the last ones arrive.
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(r.nIterations > 1, `${r.nIterations} active-set iterations`);
    assert.deepEqual(seen.map((p) => p.outer), Array.from({ length: r.nIterations }, (_, k) => k + 1));
    const last = seen[seen.length - 1];
    assert.equal(last.epochs, r.epochs);
    assert.equal(last.gap, r.gap);
  });

  it("SURE's progress says which of the grid's solves runs: two per alpha, twice with reweighting", async () => {
    const M = randn(30, 20, 7), G = randn(30, 40, 8), grid = Float64Array.from([80, 50, 20]);
    for (const nMxneIter of [1, 3]) {
      const seen: SolveProgress[] = [];
      const o = { maxit: 3000, tol: 1e-8, activeSetSize: 5, debias: false, nOrient: 1, solver: 'bcd' as const, dgapFreq: 10, onProgress: (p: SolveProgress) => seen.push(p) };
      await sureAlpha(M, G, grid, nMxneIter, o, 0);
      await new Promise((resolve) => setImmediate(resolve));
      const count = 2 * grid.length * (nMxneIter > 1 ? 2 : 1);
      assert.ok(seen.every((p) => p.solve?.count === count), `count ${count}`);
      const indices = [...new Set(seen.map((p) => p.solve!.index))];
      assert.deepEqual(indices, [...indices].sort((a, b) => a - b), 'in order');
      assert.equal(indices[0], 1);
      assert.ok(indices[indices.length - 1] <= count && indices.length >= 2 * grid.length, `${indices.length} solves reported`);
      assert.deepEqual([...new Set(seen.filter((p) => p.solve!.index <= 2 * grid.length).map((p) => p.solve!.alpha))], [...grid]);
    }
  });

  it('an already aborted signal rejects before the job starts', async () => {
    const { M, G } = endless();
    await assert.rejects(mixedNormSolver(M, G, 1, { signal: AbortSignal.abort() }), (e: unknown) => (e as Error).name === 'AbortError');
  });

  it('process.exit() ends a process while a native solve runs', () => {
    const lib = path.resolve(__dirname, '../../lib');
    const script = `
      const { mixedNormSolver } = require(${JSON.stringify(path.join(lib, 'sparse/mixedNormSolver.js'))});
      const { Matrix } = require(${JSON.stringify(path.join(lib, 'linalg/matrix.js'))});
      const M = new Matrix(200, 50), G = new Matrix(200, 600);
      for (let k = 0; k < M.data.length; k++) M.data[k] = Math.sin(k * 1.3);
      for (let k = 0; k < G.data.length; k++) G.data[k] = Math.cos(k * 0.7 + (k % 13));
      mixedNormSolver(M, G, 1e-12, ${JSON.stringify(ENDLESS)});
      setTimeout(() => process.exit(7), 500);`;
    const r = spawnSync(process.execPath, ['-e', script], { timeout: 50000, encoding: 'utf8', env: noLeakCheckEnv() });
    assert.equal(r.signal, null, `the child had to be killed (still solving): ${r.stderr}`);
    assert.equal(r.status, 7, r.stderr);
  });

  it('maxit bounds the epochs of a whole MxNE solve, and the outcome is data (alpha 0)', async () => {
    const M = randn(30, 20, 5), G = randn(30, 40, 6);
    const r = await mixedNormSolver(M, G, 0, { maxit: 50, tol: 1e-12, activeSetSize: 2, debias: false, solver: 'bcd' });
    assert.ok(r.epochs <= 50, `${r.epochs} epochs`);
    assert.equal(r.converged, false);
    assert.ok(r.warnings.some((w) => w.code === 'ECONVERGENCE'));
  });
});
