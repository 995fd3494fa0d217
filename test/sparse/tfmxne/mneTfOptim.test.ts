/**
 * The TF-MxNE parts of MNE 1.3's mne/inverse_sparse/tests/test_mxne_optim.py, ported: the same data
 * from the same seed (numpy's RandomState(0), ported in lib/sparse/numpyRandom.ts) and the same
 * assertions — test_tf_mxne, test_norm_epsilon, test_dgapl21l1, test_tf_mxne_vs_mxne,
 * test_iterative_reweighted_tfmxne.
 */
import * as assert from 'node:assert/strict';
import { Matrix } from '../../../lib/linalg/matrix.js';
import { gemm } from '../../../lib/linalg/blas.js';
import { NumpyRandomState } from '../../../lib/sparse/numpyRandom.js';
import { mixedNormSolver } from '../../../lib/sparse/mixedNormSolver.js';
import { L21L1Penalty, normEpsilon } from '../../../lib/sparse/tfmxne/l21l1Penalty.js';
import { TfDictionary } from '../../../lib/sparse/tfmxne/tfDictionary.js';
import { iterativeTfMixedNormSolver, tfMixedNormSolver } from '../../../lib/sparse/tfmxne/tfMixedNormSolver.js';
import { normEpsilonInf, tfDualGap, tfLipschitz, type TfProblem } from '../../../lib/sparse/tfmxne/tfProblem.js';

/** MNE's _generate_tf_data: G 30 × 40 (unit std columns), X with sources 0 and 4, M = GX + noise. */
export function generateTfData(): { M: Matrix; G: Matrix; activeSet: number[] } {
  const n = 30, p = 40, t = 64;
  const rng = new NumpyRandomState(0);
  const G = Matrix.fromRowMajor(n, p, rng.randn(n * p));
  for (let j = 0; j < p; j++) {
    const c = G.col(j);
    const mean = c.reduce((s, v) => s + v, 0) / n;
    const std = Math.sqrt(c.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    for (let i = 0; i < n; i++) c[i] /= std;
  }
  const X = new Matrix(p, t);
  const times = Float64Array.from({ length: t }, (_, k) => (2 * Math.PI * k) / (t - 1));
  for (let k = 0; k < t; k++) {
    X.set(0, k, Math.sin(times[k]));
    X.set(4, k, times[k] <= Math.PI / 2 || times[k] >= Math.PI ? 0 : -2 * Math.sin(4 * times[k]));
  }
  const M = gemm(G, X);
  const noise = rng.randn(n * t);
  for (let i = 0; i < n; i++) for (let k = 0; k < t; k++) M.data[i + k * n] += noise[i * t + k];
  return { M, G, activeSet: [0, 4] };
}

const columns = (a: Int32Array) => Array.from(a);

function problem(M: Matrix, G: Matrix, alphaSpace: number, alphaTime: number, nOrient: number, wsize: number[], tstep: number[]): TfProblem {
  const dict = new TfDictionary(wsize, tstep, M.cols);
  return { M, G, nOrient, dict, penalty: new L21L1Penalty(alphaSpace, alphaTime, dict, nOrient), lipschitz: tfLipschitz(G, nOrient), weights: { space: null, time: null } };
}

describe('MNE test_mxne_optim.py, TF-MxNE parts', () => {
  it('test_tf_mxne: gap < 1e-8 and the true active set [0, 4]', async () => {
    const { M, G, activeSet } = generateTfData();
    const r = await tfMixedNormSolver(M, G, 10, 5, { maxit: 200, tol: 1e-8, nOrient: 1, tstep: 4, wsize: 32 });
    assert.ok(r.gap < 1e-8, `gap ${r.gap}`);
    assert.ok(r.converged);
    assert.deepEqual(columns(r.activeSet), activeSet);
  });

  it('test_norm_epsilon: zero, a single peak, l1Ratio 0 and 1, unit weights, common scaling', () => {
    const dict = new TfDictionary([4], [2], 10);
    const C = dict.nCoefs;
    const Y = new Float64Array(C);
    assert.equal(normEpsilon(Y, 0.03, dict.freqWeight), 0);
    Y[0] = 2;
    assert.equal(normEpsilon(Y, 0.03, dict.freqWeight), 2);
    assert.equal(normEpsilon(Y, 1, dict.freqWeight), 2);
    const ramp = Float64Array.from({ length: C }, (_, k) => k);
    const stftNorm2 = dict.norm2Rows(ramp, new Float64Array(C), 1)[0];
    assert.ok(Math.abs(normEpsilon(ramp, 0, dict.freqWeight) ** 2 - stftNorm2) <= 1e-12 * stftNorm2);
    const rng = new NumpyRandomState(1);
    const y = rng.randn(C).map(Math.abs);
    const plain = normEpsilon(y, 0.03, dict.freqWeight);
    assert.ok(Math.abs(plain - normEpsilon(y, 0.03, dict.freqWeight, 1, new Float64Array(C).fill(1))) <= 1e-12 * plain);
    const y1 = Float64Array.from({ length: C }, (_, k) => k + 1);
    const a = normEpsilon(y1, 0.03, dict.freqWeight, 1, new Float64Array(C).fill(1)) / 2;
    const b = normEpsilon(y1, 0.03, dict.freqWeight, 2, new Float64Array(C).fill(2));
    assert.ok(Math.abs(a - b) <= 1e-12 * a, `${a} vs ${b}`);
  });

  it('test_dgapl21l1: gap 0 at alpha_max; below it, non-zero solutions certified to 1e-8 (nOrient 2, [64, 16] / [4, 2])', async () => {
    const { M, G } = generateTfData();
    for (const l1Ratio of [0.05, 0.1]) {
      const p = problem(M, G, 1 - l1Ratio, l1Ratio, 2, [64, 16], [4, 2]);
      const alphaMax = await normEpsilonInf(p, M);
      const atMax = problem(M, G, (1 - l1Ratio) * alphaMax, l1Ratio * alphaMax, 2, [64, 16], [4, 2]);
      const g = await tfDualGap(atMax, new Map(), -Infinity);
      assert.ok(Math.abs(g.gap) <= 1e-7 * g.pObj, `gap at alpha_max ${g.gap}`);
      for (const div of [1.01, 5]) {
        const r = await tfMixedNormSolver(M, G, ((1 - l1Ratio) * alphaMax) / div, (l1Ratio * alphaMax) / div,
          { maxit: 200, tol: 1e-8, debias: false, nOrient: 2, tstep: [4, 2], wsize: [64, 16] });
        assert.ok(r.gap > -1e-10 && r.gap < 1e-8, `gap ${r.gap} (alpha_max / ${div})`);
        assert.ok(r.activeSet.length > 1, `active set ${r.activeSet}`);
      }
    }
  });

  it('test_tf_mxne_vs_mxne: alphaTime 0 gives MxNE (rtol 0.1)', async () => {
    const { M, G } = generateTfData();
    const tf = await tfMixedNormSolver(M, G, 60, 0, { maxit: 200, tol: 1e-8, debias: false, nOrient: 1, tstep: 4, wsize: 32 });
    const l21 = await mixedNormSolver(M, G, 60, { maxit: 200, tol: 1e-8, nOrient: 1, activeSetSize: null, debias: false, solver: 'bcd', dgapFreq: 10 });
    assert.deepEqual(columns(tf.activeSet), columns(l21.activeSet));
    for (let k = 0; k < tf.X.data.length; k++) {
      assert.ok(Math.abs(tf.X.data[k] - l21.X.data[k]) <= 0.1 * Math.abs(l21.X.data[k]) + 1e-12, `X[${k}] ${tf.X.data[k]} vs ${l21.X.data[k]}`);
    }
  });

  it('test_iterative_reweighted_tfmxne: one reweighting equals TF-MxNE; nOrient 5 and 2 find the true blocks', async () => {
    const { M, G, activeSet } = generateTfData();
    const o = { maxit: 1000, tol: 1e-4, wsize: [64, 16], tstep: [4, 2], debias: false };
    const tf = await tfMixedNormSolver(M, G, 38, 0.5, { ...o, nOrient: 1 });
    const it1 = await iterativeTfMixedNormSolver(M, G, 38, 0.5, 1, o);
    for (let k = 0; k < tf.X.data.length; k++) assert.ok(Math.abs(tf.X.data[k] - it1.X.data[k]) <= 1e-3 * Math.abs(it1.X.data[k]) + 1e-12);
    assert.deepEqual(columns(it1.activeSet), activeSet);
    const five = await iterativeTfMixedNormSolver(M, G, 50, 0.5, 3, { ...o, nOrient: 5 });
    assert.deepEqual(columns(five.activeSet), [0, 1, 2, 3, 4]);
    const two = await iterativeTfMixedNormSolver(M, G, 40, 0.5, 2, { ...o, nOrient: 2 });
    assert.deepEqual(columns(two.activeSet), [0, 1, 4, 5]);
  });
});
