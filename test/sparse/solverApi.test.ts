/**
 * The public solver API (README "The solvers on plain matrices"): importable from the package
 * root, MNE's defaults, typed errors naming the argument, and the README example runs as written.
 */
import * as assert from 'node:assert/strict';
import { computeBias, InputError, iterativeMixedNormSolver, Matrix, mixedNormSolver } from '../../lib/index.js';
import { SOLVER_DEFAULTS } from '../../lib/sparse/solverOptions.js';
import { requireMne, runPythonJson } from '../helpers/python.js';
import { randn } from '../helpers/random.js';

describe('public solver API', () => {
  const G = randn(30, 40, 1), M = randn(30, 20, 2);
  const gainValues = G.data, dataValues = M.data;

  it('the README example runs as written', async () => {
    const G = new Matrix(30, 40, gainValues), M = new Matrix(30, 20, dataValues);
    const mxne = await mixedNormSolver(M, G, 1, { maxit: 1000, tol: 1e-8, activeSetSize: 2, nOrient: 2 });
    assert.equal(mxne.X.rows, mxne.activeSet.length);
    assert.equal(mxne.X.cols, 20);
    assert.ok(mxne.activeSet.length % 2 === 0 && mxne.activeSet.length > 0);
    assert.equal(mxne.E.length, mxne.nIterations);
    const irmxne = await iterativeMixedNormSolver(M, G, 1, 5, { tol: 1e-8, activeSetSize: 2, signal: AbortSignal.timeout(60_000) });
    const { weights, converged } = await computeBias(M, G.pickCols(irmxne.activeSet), irmxne.X, { maxIter: 1000, tol: 1e-6 });
    assert.equal(weights.length, irmxne.activeSet.length);
    assert.ok(weights.every((w) => w >= 1));
    assert.equal(typeof converged, 'boolean');
  });

  it('bad arguments are InputErrors naming them', async () => {
    const field = (name: string) => (e: unknown) => e instanceof InputError && e.field === name;
    await assert.rejects(mixedNormSolver(M, G, -1), field('alpha'));
    await assert.rejects(mixedNormSolver(M, randn(29, 40, 3), 1), field('G.rows'));
    await assert.rejects(mixedNormSolver(M, G, 1, { nOrient: 3 }), field('nOrient'));
    await assert.rejects(mixedNormSolver(M, G, 1, { maxit: 0 }), field('maxit'));
    await assert.rejects(mixedNormSolver(M, G, 1, { solver: 'ista' as never }), field('solver'));
    const bad = M.clone();
    bad.data[7] = Number.NaN;
    await assert.rejects(mixedNormSolver(bad, G, 1), field('M'));
    const badG = G.clone();
    badG.data[3] = Number.POSITIVE_INFINITY;
    await assert.rejects(mixedNormSolver(M, badG, 1), (e: unknown) => e instanceof RangeError && /finite values in G/.test((e as Error).message));
    await assert.rejects(iterativeMixedNormSolver(M, G, 1, 0), field('nMxneIter'));
    await assert.rejects(iterativeMixedNormSolver(M, G, 1, 2, { weightInit: new Float64Array(40).fill(-1) }), field('weightInit'));
    await assert.rejects(computeBias(M, G, randn(40, 20, 4), { nOrient: 3 }), field('nOrient'));
    await assert.rejects(computeBias(M, G, randn(40, 19, 4)), field('X.cols'));
  });

  describe("defaults against the installed MNE's signatures", function () {
    requireMne(this);
    it('mixed_norm_solver, iterative_mixed_norm_solver and compute_bias', async () => {
      const sig = runPythonJson<Record<string, Record<string, unknown>>>(`
import inspect, json
from mne.inverse_sparse.mxne_optim import mixed_norm_solver, iterative_mixed_norm_solver
from mne.inverse_sparse.mxne_debiasing import compute_bias
d = lambda f: {k: v.default for k, v in inspect.signature(f).parameters.items() if v.default is not inspect.Parameter.empty}
print(json.dumps({"mxne": d(mixed_norm_solver), "irmxne": d(iterative_mixed_norm_solver), "bias": d(compute_bias)}))`);
      for (const f of ['mxne', 'irmxne']) {
        assert.equal(sig[f].maxit, SOLVER_DEFAULTS.maxit);
        assert.equal(sig[f].tol, SOLVER_DEFAULTS.tol);
        assert.equal(sig[f].active_set_size, SOLVER_DEFAULTS.activeSetSize);
        assert.equal(sig[f].debias, SOLVER_DEFAULTS.debias);
        assert.equal(sig[f].n_orient, SOLVER_DEFAULTS.nOrient);
        assert.equal(sig[f].solver, SOLVER_DEFAULTS.solver);
        assert.equal(sig[f].dgap_freq, SOLVER_DEFAULTS.dgapFreq);
      }
      assert.deepEqual([sig.bias.max_iter, sig.bias.tol, sig.bias.n_orient], [1000, 1e-6, 1]);
    });
  });
});
