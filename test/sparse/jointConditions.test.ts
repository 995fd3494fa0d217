/**
 * The joint multi-condition solve (L2,1,2: penalties/l212.ts, mixedNorm's jointConditions):
 * the penalty's maths, a shared-support problem on plain matrices certified by the joint duality
 * gap, and mixedNorm on the demo generator's data — the true shared sources found in both
 * conditions, and one condition solved jointly equal to plain mixedNorm.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo, type DemoDataset } from '../../lib/demo/index.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { Evoked } from '../../lib/records/evoked.js';
import { mixedNorm } from '../../lib/sparse/mixedNorm.js';
import { mixedNormSolver } from '../../lib/sparse/mixedNormSolver.js';
import { l21DualNorm, l21Value } from '../../lib/sparse/penalties/l21.js';
import { l212DualGap, l212DualNorm, l212ProxBlock, l212Value } from '../../lib/sparse/penalties/l212.js';
import { readSeedInputs } from '../../lib/workflow/solveFiles.js';
import { assertClose } from '../helpers/assert.js';
import { randn } from '../helpers/random.js';

/** Conditions side by side in time: [A | B] (rows = sources, columns = times). */
function stack(As: Matrix[]): Matrix {
  const out = new Matrix(As[0].rows, As.reduce((s, A) => s + A.cols, 0));
  let c0 = 0;
  for (const A of As) { out.data.set(A.data, c0 * A.rows); c0 += A.cols; }
  return out;
}

describe('L2,1,2 penalty (penalties/l212.ts)', () => {
  it('value and dual norm couple the conditions: ℓ2 across them, ℓ1 over sources', () => {
    // Source 0: (3, 4) in A, 12 in B → √(9 + 16 + 144) = 13; source 1: 0 in A, 5 in B → 5.
    const A = new Matrix(2, 2, Float64Array.from([3, 0, 4, 0])), B = new Matrix(2, 1, Float64Array.from([12, 5]));
    assert.equal(l212Value([A.transpose(), B.transpose()], 1), 18);
    assert.equal(l212DualNorm([A.transpose(), B.transpose()], 1), 13);
    // On the conditions stacked in time it is L2,1's.
    assert.equal(l21Value(stack([A, B]).transpose(), 1), 18);
    assert.equal(l21DualNorm(stack([A, B]).transpose(), 1), 13);
  });

  it('prox shrinks a source in every condition by one factor, to zero below the step', () => {
    const [a, b] = l212ProxBlock([Float64Array.from([3, 4]), Float64Array.from([12])], 6.5);
    assertClose([...a, ...b], [1.5, 2, 6], 1e-15);
    const [c, d] = l212ProxBlock([Float64Array.from([3, 4]), Float64Array.from([12])], 13);
    assert.deepEqual([...c, ...d], [0, 0, 0]);
  });

  for (const nOrient of [1, 3]) {
    it(`shared support X[0], X[4] (nOrient ${nOrient}): found in both conditions, certified by the joint gap`, async () => {
      const n = 20, m = 30, T = [12, 8];
      const G = randn(m, n * nOrient, 11);
      const truth = T.map((t, c) => {
        const X = new Matrix(n * nOrient, t);
        for (let k = 0; k < t; k++) {
          X.set(0, k, (c === 0 ? 3 : -2) * Math.cos(k / 3));
          X.set(4 * nOrient, k, (c === 0 ? -2 : 3) * Math.sin(k / 2 + 1));
        }
        return X;
      });
      const noise = T.map((t, c) => randn(m, t, 20 + c));
      const Ms = truth.map((X, c) => {
        const M = new Matrix(m, T[c]);
        for (let i = 0; i < m; i++) for (let k = 0; k < T[c]; k++) {
          let s = 0.05 * noise[c].get(i, k);
          for (let j = 0; j < n * nOrient; j++) s += G.get(i, j) * X.get(j, k);
          M.set(i, k, s);
        }
        return M;
      });
      const Mstack = stack(Ms);
      const alphaMax = l212DualNorm(Ms.map((M) => {
        const GtM = new Matrix(M.cols, G.cols);
        for (let j = 0; j < G.cols; j++) for (let k = 0; k < M.cols; k++) { let s = 0; for (let i = 0; i < m; i++) s += G.get(i, j) * M.get(i, k); GtM.set(k, j, s); }
        return GtM;
      }), nOrient);
      const alpha = 0.2 * alphaMax, tol = 1e-10;
      const r = await mixedNormSolver(Mstack, G, alpha, { nOrient, tol, debias: false, solver: 'bcd' });
      assert.ok(r.converged);
      assert.deepEqual(Array.from(new Set(Array.from(r.activeSet, (c) => Math.floor(c / nOrient)))), [0, 4]);
      // Split the stacked solution back into conditions (all sources, zero rows off the support).
      let t0 = 0;
      const Xs = T.map((t) => {
        const X = new Matrix(n * nOrient, t);
        r.activeSet.forEach((col, i) => { for (let k = 0; k < t; k++) X.set(col, k, r.X.get(i, t0 + k)); });
        t0 += t;
        return X;
      });
      const g = l212DualGap(G, Ms, Xs, alpha, nOrient);
      assert.ok(g.gap >= -1e-12 && g.gap < tol, `joint gap ${g.gap}`);
      assertClose([g.gap], [r.gap], 1e-6, 'joint gap vs the solver\'s', 1e-12);
    });
  }
});

describe('mixedNorm jointConditions (on the demo generator\'s data)', function () {
  this.timeout(300000);
  let tmp = '';
  let demo: DemoDataset;
  let A: Evoked, B: Evoked, inputs: Awaited<ReturnType<typeof readSeedInputs>>;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-joint-'));
    demo = await generateDemo({ outDir: tmp, nSources: 600, seed: 5 });
    inputs = await readSeedInputs({ fwd: demo.fwd, evoked: demo.evoked, cov: demo.cov, condition: demo.condition, baseline: [null, 0], tmin: 0, tmax: 0.3 });
    A = inputs.evoked;
    // Condition B: the same three sources with other time courses (A's data reversed in time,
    // noise included) and another nave, so the joint solve weighs the two conditions differently.
    const d = new Matrix(A.data.rows, A.data.cols);
    for (let t = 0; t < A.nTimes; t++) for (let i = 0; i < d.rows; i++) d.set(i, t, A.data.get(i, A.nTimes - 1 - t));
    B = new Evoked(A.info, d, A.first, 30, 'B', A.kind, A.timing, A.baseline);
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });
  const options = { alpha: 40, loose: 0.2, depth: 0.9, nMxneIter: 10 };

  it('finds the three shared sources in both conditions', async () => {
    const r = await mixedNorm([A, B], inputs.forward, inputs.cov, { ...options, jointConditions: true });
    assert.ok(r.diagnostics.converged);
    assert.ok(r.diagnostics.dualGap < r.diagnostics.tolScaled);
    assert.equal(r.conditions.length, 2);
    for (const c of r.conditions) {
      for (const t of demo.truth) {
        const mm = Math.min(...c.dipoles.map((d) => Math.hypot(d.pos[0] - t.pos[0], d.pos[1] - t.pos[1], d.pos[2] - t.pos[2]))) * 1000;
        assert.ok(mm <= 10, `true source ${t.vertno}: nearest dipole ${mm.toFixed(1)} mm`);
      }
    }
    // One support for both conditions.
    assert.deepEqual(r.conditions[1].dipoles.map((d) => d.sourceIndex), r.conditions[0].dipoles.map((d) => d.sourceIndex));
  });

  it('with one condition equals plain mixedNorm', async () => {
    const joint = await mixedNorm([A], inputs.forward, inputs.cov, { ...options, jointConditions: true });
    const plain = await mixedNorm(A, inputs.forward, inputs.cov, options);
    assert.deepEqual(joint.dipoles.map((d) => d.sourceIndex), plain.dipoles.map((d) => d.sourceIndex));
    assertClose(joint.dipoles.flatMap((d) => Array.from(d.amplitude)), plain.dipoles.flatMap((d) => Array.from(d.amplitude)), 1e-12);
  });

  it('weighs each condition by its nave: B scaled by √(30/60) in the solve, its results in its own units', async () => {
    const joint = await mixedNorm([A, B], inputs.forward, inputs.cov, { ...options, jointConditions: true });
    const halved = B.withData(B.data.clone());
    for (let k = 0; k < halved.data.data.length; k++) halved.data.data[k] *= Math.sqrt(30 / 60);
    const concat = await mixedNorm([A, halved], inputs.forward, inputs.cov, options);
    assert.deepEqual(joint.conditions[1].dipoles.map((d) => d.sourceIndex), concat.conditions[1].dipoles.map((d) => d.sourceIndex));
    assertClose(joint.conditions[1].dipoles.flatMap((d) => Array.from(d.amplitude, (v) => v * Math.sqrt(30 / 60))), concat.conditions[1].dipoles.flatMap((d) => Array.from(d.amplitude)), 1e-10);
  });
});
