/**
 * makeInverseOperator + applyInverse on a small synthetic problem (demo helmet + EEG cap, folded
 * cortex, sphere forward, random full covariance, random evoked): no fixtures needed. Checks the
 * relations MNE's formulas imply and the input errors.
 */
import * as assert from 'node:assert/strict';
import { ChannelMismatchError, InputError } from '../../lib/errors.js';
import { makeCortex } from '../../lib/demo/cortex.js';
import { makeDemoInfo, makeForward } from '../../lib/demo/gain.js';
import { applyInverse, prepareInverseOperator } from '../../lib/inverse/applyInverse.js';
import { makeInverseOperator, type InverseOperator } from '../../lib/inverse/makeInverseOperator.js';
import { gemm } from '../../lib/linalg/blas.js';
import { solveSpd } from '../../lib/linalg/decomp.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { PreparationCache, stepMemo } from '../../lib/prepare/preparationCache.js';
import { normalOrthBasis, sourceNormals } from '../../lib/prepare/surfaceOrientation.js';
import { computeWhitener } from '../../lib/prepare/whitener.js';
import type { Covariance } from '../../lib/records/covariance.js';
import { Evoked } from '../../lib/records/evoked.js';
import type { Forward } from '../../lib/records/forward.js';
import type { Info } from '../../lib/records/info.js';
import { assertClose } from '../helpers/assert.js';
import { randn } from '../helpers/random.js';

const SCALE = { mag: 1e-13, grad: 3e-12, eeg: 3e-6 } as const;

function randomCov(info: Info): Covariance {
  const n = info.nchan;
  const A = randn(n, 2 * n, 7);
  const C = gemm(A, A, { transB: true });
  const s = info.chs.map((c) => SCALE[c.type as keyof typeof SCALE] / Math.sqrt(2 * n));
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) C.data[i + j * n] *= s[i] * s[j];
  return { names: [...info.chNames], data: C, diag: false, bads: [], projs: [], nfree: 100, eig: null, eigvec: null };
}

function randomEvoked(info: Info, fwd: Forward, nave: number): Evoked {
  const X = randn(fwd.sol.cols, 20, 3);
  for (let k = 0; k < X.data.length; k++) X.data[k] *= 1e-9;
  const data = gemm(fwd.sol, X);
  const noise = randn(info.nchan, 20, 5);
  for (let j = 0; j < 20; j++) info.chs.forEach((c, i) => { data.data[i + j * info.nchan] += 0.3 * SCALE[c.type as keyof typeof SCALE] * noise.get(i, j); });
  return new Evoked(info, data, -5, nave, 'synthetic');
}

function rowsOf(M: Matrix, ...rows: number[]): number[] {
  return rows.flatMap((i) => Array.from({ length: M.cols }, (_, t) => M.get(i, t)));
}

describe('makeInverseOperator + applyInverse (synthetic)', function () {
  const base = makeDemoInfo({ eeg: true });
  // A bad channel, and MEG + EEG with the average reference projector.
  const info: Info = { ...base, bads: [base.chNames[3]] };
  const src = makeCortex(40, 3);
  const fwd = makeForward(info, src, 'point');
  const cov = randomCov(info);
  const evoked = randomEvoked(info, fwd, 12);
  let fixed: InverseOperator, free: InverseOperator, loose: InverseOperator;

  before(async () => {
    [fixed, free, loose] = await Promise.all([
      makeInverseOperator(info, fwd, cov, { depth: 0.9, fixed: true }),
      makeInverseOperator(info, fwd, cov, { depth: 0.8, loose: 1, fixed: false }),
      makeInverseOperator(info, fwd, cov, {}),
    ]);
  });

  it('builds operators of the requested orientation over the good channels', () => {
    assert.equal(fixed.nOrient, 1);
    assert.equal(free.nOrient, 3);
    assert.equal(loose.nOrient, 3);
    assert.equal(loose.loose, 0.2, "loose 'auto' is 0.2 for a surface source space");
    assert.equal(fixed.chNames.length, info.nchan - 1);
    assert.ok(!fixed.chNames.includes(info.chNames[3]));
    assert.equal(fixed.methods, 3);
    // ‖G̃‖²_F = Σ sing² = the whitened dimension (the trace scaling).
    for (const inv of [fixed, free, loose]) {
      const s2 = inv.sing.reduce((a, s) => a + s * s, 0);
      assertClose([s2], [inv.noiseCov.nNonzero], 1e-12, 'Σ sing²');
      assert.equal(inv.noiseCov.nNonzero, inv.chNames.length - 1, 'rank: one EEG projector');
    }
  });

  it('MNE equals the Tikhonov kernel √R·G̃ᵀ(G̃G̃ᵀ + λ²I)⁻¹·W·P, independent of nave', async () => {
    const lambda2 = 1 / 9;
    const stc = await applyInverse(evoked, fixed, { method: 'MNE', lambda2 });
    // G̃ = W·G·diag(sourceStd), rebuilt from the prepared forward (not from the SVD).
    const G = gemm(computeWhitener(fixed.noiseCov, { pca: 'white' }), fixed.forward.sol.pickRows(fixed.rows));
    for (let j = 0; j < G.cols; j++) for (let i = 0; i < G.rows; i++) G.data[i + j * G.rows] *= fixed.sourceStd[j];
    const n = G.rows;
    const A = gemm(G, G, { transB: true });
    for (let i = 0; i < n; i++) A.data[i + i * n] += lambda2;
    const p = prepareInverseOperator(fixed, 1, lambda2, 'MNE');
    const data = evoked.data.pickRows(fixed.chNames.map((c) => info.chNames.indexOf(c)));
    const Wd = gemm(p.whitener, p.proj ? gemm(p.proj, data) : data);
    const sol = gemm(G, solveSpd(A, Wd), { transA: true });
    for (let t = 0; t < sol.cols; t++) for (let k = 0; k < sol.rows; k++) sol.data[k + t * sol.rows] *= Math.sqrt(fixed.sourceCov[k]);
    assertClose(stc.data.data, sol.data, 1e-9, 'MNE vs Tikhonov');
    const nave3 = new Evoked(info, evoked.data, evoked.first, 3, 'nave 3');
    assertClose((await applyInverse(nave3, fixed, { method: 'MNE' })).data.data, stc.data.data, 1e-12, 'MNE does not depend on nave');
  });

  it('dSPM = MNE / noise norm, for fixed, free and loose operators; dSPM ∝ √nave', async () => {
    for (const inv of [fixed, free, loose]) {
      const mne = await applyInverse(evoked, inv, { method: 'MNE' });
      const dspm = await applyInverse(evoked, inv);
      const { noisenorm } = prepareInverseOperator(inv, evoked.nave, 1 / 9, 'dSPM');
      assert.equal(dspm.data.rows, inv.nsource);
      assert.equal(noisenorm!.length, inv.nsource);
      const want = mne.data.clone();
      for (let k = 0; k < want.data.length; k++) want.data[k] *= noisenorm![k % inv.nsource];
      assertClose(dspm.data.data, want.data, 1e-12, `dSPM, nOrient ${inv.nOrient}`);
      if (inv.nOrient === 3) for (const v of dspm.data.data) assert.ok(v >= 0, 'combined x/y/z norms are ≥ 0');
      const nave48 = await applyInverse(new Evoked(info, evoked.data, evoked.first, 48, ''), inv);
      assertClose(nave48.data.data, dspm.data.data.map((v) => 2 * v), 1e-12, 'dSPM × √(48/12)');
      // sLORETA: the noise weight reginv·√(1 + sing²/λ²).
      const sl = prepareInverseOperator(inv, evoked.nave, 1 / 9, 'sLORETA');
      const ratio = sl.noisenorm!.map((v, k) => v / noisenorm![k]);
      for (const r of ratio) assert.ok(r > 0 && r < 1, 'sLORETA weights are larger than dSPM weights');
    }
  });

  it("pickOri 'vector' and 'normal' agree with the combined estimate", async () => {
    for (const inv of [free, loose]) {
      const comb = await applyInverse(evoked, inv);
      const vec = await applyInverse(evoked, inv, { pickOri: 'vector' });
      const nor = await applyInverse(evoked, inv, { pickOri: 'normal' });
      assert.equal(vec.vector, true);
      assert.equal(vec.data.rows, 3 * inv.nsource);
      const norms = new Float64Array(comb.data.data.length);
      const nproj = new Float64Array(comb.data.data.length);
      // Normals of the operator: x/y/z operator (loose 1): the last row of _normal_orth of the CPS normal; surface-oriented: its third rows.
      const normals: number[][] = inv.loose === 1
        ? (await Promise.all(src.map(async (s) => {
          const R = await normalOrthBasis(sourceNormals(s, true));
          return Array.from({ length: s.nuse }, (_, p) => [0, 1, 2].map((c) => R.get(3 * p + 2, c)));
        }))).flat()
        : Array.from({ length: inv.nsource }, (_, k) => [0, 1, 2].map((c) => inv.sourceNn.get(3 * k + 2, c)));
      for (let t = 0; t < comb.data.cols; t++) {
        for (let k = 0; k < inv.nsource; k++) {
          const xyz = [0, 1, 2].map((c) => vec.data.get(3 * k + c, t));
          norms[k + t * inv.nsource] = Math.hypot(...xyz);
          nproj[k + t * inv.nsource] = xyz[0] * normals[k][0] + xyz[1] * normals[k][1] + xyz[2] * normals[k][2];
        }
      }
      assertClose(norms, comb.data.data, 1e-12, `‖vector‖ = combined (loose ${inv.loose})`);
      assertClose(nor.data.data, nproj, 1e-9, `normal = n·vector (loose ${inv.loose})`);
    }
    // Fixed: the vector estimate is the signed amplitude along each normal.
    const f = await applyInverse(evoked, fixed);
    const fv = await applyInverse(evoked, fixed, { pickOri: 'vector' });
    assertClose(rowsOf(fv.data, 3, 4, 5), [0, 1, 2].flatMap((c) => rowsOf(f.data, 1).map((v) => v * fixed.sourceNn.get(1, c))), 1e-12, 'fixed vector');
  });

  it('a memo shares the preparation among evokeds of one nave, bit for bit', async () => {
    const data2 = evoked.data.clone();
    for (let k = 0; k < data2.data.length; k++) data2.data[k] *= -2;
    const second = new Evoked(info, data2, evoked.first, evoked.nave, '');
    const nave48 = new Evoked(info, evoked.data, evoked.first, 48, '');
    for (const inv of [fixed, free]) {
      const cache = new PreparationCache();
      const memo = stepMemo({ cache, key: 'op' });
      for (const e of [evoked, second, nave48]) {
        const alone = await applyInverse(e, inv);
        const shared = await applyInverse(e, inv, {}, memo);
        assert.deepEqual(shared.data.data, alone.data.data, `nOrient ${inv.nOrient}, nave ${e.nave}`);
      }
      // One preparation for nave 12 (made once, then served to the second evoked), one for nave 48.
      assert.deepEqual([cache.misses, cache.hits], [2, 1]);
    }
  });

  it('returns an estimate with the evoked times and the source vertices', async () => {
    const stc = await applyInverse(evoked, fixed);
    assert.equal(stc.kind, 'surface');
    assert.equal(stc.tmin, evoked.times[0]);
    assert.equal(stc.tstep, 1 / info.sfreq);
    assert.deepEqual(stc.vertices.map((v) => Array.from(v)), src.map((s) => Array.from(s.vertno)));
    assert.equal(stc.data.cols, evoked.nTimes);
  });

  it('rejects bad options and inputs, naming the field', async () => {
    const field = (f: string) => (e: unknown) => e instanceof InputError && e.field === f;
    await assert.rejects(makeInverseOperator(info, fwd, cov, { fixed: true, loose: 0.2 }), field('loose'));
    await assert.rejects(makeInverseOperator(info, fwd, cov, { fixed: false, loose: 0 }), field('fixed'));
    await assert.rejects(makeInverseOperator(info, fwd, cov, { loose: 1.5 }), field('loose'));
    await assert.rejects(makeInverseOperator(info, fwd, cov, { depth: -1 }), field('depth'));
    await assert.rejects(makeInverseOperator(info, fwd, cov, { fixd: true } as never), field('options.fixd'));
    const volFwd: Forward = { ...fwd, src: fwd.src.map((s) => ({ ...s, type: 'vol' as const })) };
    await assert.rejects(makeInverseOperator(info, volFwd, cov, { loose: 0.2 }), field('loose'));
    const fixedFwd: Forward = { ...fwd, sourceOri: 1, sol: fwd.sol.pickCols(Array.from({ length: fwd.nsource }, (_, k) => 3 * k + 2)) };
    await assert.rejects(makeInverseOperator(info, fixedFwd, cov, { fixed: true, depth: 0.8 }), field('forward'));
    await assert.rejects(makeInverseOperator({ ...info, compGrade: 1 }, fwd, cov), ChannelMismatchError);
    await assert.rejects(makeInverseOperator(info, { ...fwd, sol: fwd.sol.pickCols(range(0, 30)) }, cov), field('forward.sol'));

    await assert.rejects(applyInverse(evoked, fixed, { lambda2: -1 }), field('lambda2'));
    await assert.rejects(applyInverse(evoked, fixed, { method: 'eLORETA' as never }), field('method'));
    await assert.rejects(applyInverse(evoked, fixed, { pickOri: 'normal' }), field('pickOri'));
    await assert.rejects(applyInverse(evoked, fixed, { pickOri: 'tangent' as never }), field('pickOri'));
    await assert.rejects(applyInverse(evoked, fixed, { lamda2: 1 } as never), field('options.lamda2'));
    await assert.rejects(applyInverse(new Evoked(info, evoked.data, 0, 0, ''), fixed), field('nave'));
    await assert.rejects(applyInverse({} as Evoked, fixed), field('evoked'));
    const keep = range(0, info.nchan).filter((k) => k !== 10);
    const fewer: Info = { ...info, chs: keep.map((k) => info.chs[k]), chNames: keep.map((k) => info.chNames[k]), nchan: keep.length };
    await assert.rejects(applyInverse(new Evoked(fewer, evoked.data.pickRows(keep), 0, 12, ''), fixed), ChannelMismatchError);
    const noRef: Info = { ...info, projs: [] };
    await assert.rejects(applyInverse(new Evoked(noRef, evoked.data, 0, 12, ''), fixed), field('evoked.info.projs'));
    const nan = evoked.data.clone();
    nan.data[0] = NaN;
    await assert.rejects(applyInverse(new Evoked(info, nan, 0, 12, ''), fixed), field('evoked.data'));
  });
});

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, k) => a + k);
}
