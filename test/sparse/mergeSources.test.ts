/**
 * The merge test of alpha = 'discrepancy' (lib/sparse/mergeSources.ts) on the demo generator's head
 * (MEG, whitened to unit noise for an average of 60 trials): a true source between two grid points,
 * fitted by both of them, becomes one dipole next to it; two true sources well apart stay two.
 * The off-grid field is the demo's own sphere model at the point (lib/demo/gain.ts sphereGain).
 */
import * as assert from 'node:assert/strict';
import { makeCortex } from '../../lib/demo/cortex.js';
import { makeDemoInfo, makeForward, sphereGain } from '../../lib/demo/gain.js';
import { NOISE_VARIANCE } from '../../lib/demo/generateDemo.js';
import { makeRng, type Rng } from '../../lib/demo/rng.js';
import { gemm } from '../../lib/linalg/blas.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import { significantSources } from '../../lib/sparse/dipoleSignificance.js';
import { mergeSources } from '../../lib/sparse/mergeSources.js';
import { normalizeMixedNormOptions } from '../../lib/sparse/mixedNormOptions.js';
import type { Info } from '../../lib/records/info.js';
import type { Forward } from '../../lib/records/forward.js';

const K = 30;
const NAVE = 60;
const RULE = { level: 0.05, misfit: 0 };
const defaults = normalizeMixedNormOptions({ alpha: 'discrepancy' }).alpha;
const DEFAULT_MISFIT = defaults.kind === 'discrepancy' ? defaults.mergeMisfit : Number.NaN;

describe('merge test (two dipoles or one, after the pruning of alpha = discrepancy)', function () {
  this.timeout(60000);
  let info: Info, fwd: Forward, G: Matrix, sd: Float64Array;
  let a = 0, neighbour = 0, b = 0;
  const rr = (k: number) => [0, 1, 2].map((c) => fwd.sourceRr.get(k, c));
  const distMm = (p: number[], q: number[]) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) * 1000;
  const whiten = (g: Matrix) => { const w = g.clone(); for (let i = 0; i < w.rows; i++) for (let j = 0; j < w.cols; j++) w.set(i, j, w.get(i, j) / sd[i]); return w; };

  before(() => {
    info = makeDemoInfo({ eeg: false });
    fwd = makeForward(info, makeCortex(600, 5));
    sd = Float64Array.from(info.chs, (c) => Math.sqrt(NOISE_VARIANCE[c.type as 'mag' | 'grad'] / NAVE));
    G = whiten(fwd.sol);
    a = 10;
    const ks = Array.from({ length: fwd.nsource }, (_, k) => k);
    neighbour = ks.filter((k) => k !== a).sort((x, y) => distMm(rr(a), rr(x)) - distMm(rr(a), rr(y)))[0];
    b = ks.find((k) => distMm(rr(a), rr(k)) > 60)!;
  });

  /** Unit noise plus dipoles at points `at` (head coordinates, m) with orientations `ori`, each at whitened RMS `snr` at its peak. */
  function record(sources: Array<{ at: number[]; ori: number[]; t0: number }>, snr: number, rng: Rng): Matrix {
    const M = new Matrix(G.rows, K);
    for (let k = 0; k < M.data.length; k++) M.data[k] = rng.normal();
    for (const { at, ori, t0 } of sources) {
      const topo = gemm(whiten(sphereGain(info, Float64Array.from(at))), Matrix.fromRows([ori]).transpose());
      const scale = snr / Math.sqrt(topo.data.reduce((x, v) => x + v * v, 0) / G.rows);
      for (let t = 0; t < K; t++) {
        const w = scale * Math.exp(-0.5 * ((t - t0) / 3) ** 2) * Math.cos(0.6 * (t - t0));
        for (let i = 0; i < G.rows; i++) M.data[i + t * G.rows] += w * topo.data[i];
      }
    }
    return M;
  }

  // At SNR 5 one grid source explains the midway source to within noise; at SNR 15 the two grid
  // points fit its field significantly better than any one (the interpolation error exceeds the
  // noise) and the test keeps both — what `mergeMisfit` is for.
  it('a true source midway between two grid points, fitted by both at SNR 5: one dipole next to it; the far true source stays', () => {
    const mid = rr(a).map((v, c) => (v + rr(neighbour)[c]) / 2);
    for (let seed = 1; seed <= 3; seed++) {
      const M = record([{ at: mid, ori: [0.3, 0.5, 0.8], t0: 10 }, { at: rr(b), ori: [0.7, -0.2, 0.6], t0: 18 }], 5, makeRng(seed));
      const split = [a, neighbour, b].sort((x, y) => x - y);
      const merged = mergeSources(M, G, split, 3, fwd.nsource, RULE);
      assert.equal(merged.length, 2, `seed ${seed}: ${merged} (split ${split}; pruning keeps ${significantSources(M, G, split, 3, fwd.nsource, RULE.level)})`);
      assert.ok(merged.includes(b), `seed ${seed}: ${merged}`);
      const one = merged.find((k) => k !== b)!;
      assert.ok(distMm(rr(one), mid) < 10, `seed ${seed}: the merged dipole ${distMm(rr(one), mid).toFixed(1)} mm from the truth`);
    }
  });

  it('at SNR 15 the test keeps both grid points; with mergeMisfit 0.05 (an interpolation error of 5 % of the pair\'s energy) they merge', () => {
    const mid = rr(a).map((v, c) => (v + rr(neighbour)[c]) / 2);
    for (let seed = 1; seed <= 3; seed++) {
      const M = record([{ at: mid, ori: [0.3, 0.5, 0.8], t0: 10 }, { at: rr(b), ori: [0.7, -0.2, 0.6], t0: 18 }], 15, makeRng(seed));
      const split = [a, neighbour, b].sort((x, y) => x - y);
      assert.deepEqual(mergeSources(M, G, split, 3, fwd.nsource, RULE), split, `seed ${seed}`);
      const merged = mergeSources(M, G, split, 3, fwd.nsource, { ...RULE, misfit: 0.05 });
      assert.equal(merged.length, 2, `seed ${seed}: ${merged}`);
      assert.ok(merged.includes(b) && distMm(rr(merged.find((k) => k !== b)!), mid) < 10, `seed ${seed}: ${merged}`);
    }
  });

  it('two true sources well apart stay two', () => {
    for (let seed = 1; seed <= 3; seed++) {
      const M = record([{ at: rr(a), ori: [0.3, 0.5, 0.8], t0: 10 }, { at: rr(b), ori: [0.7, -0.2, 0.6], t0: 18 }], 2, makeRng(seed));
      assert.deepEqual(mergeSources(M, G, [b, a], 3, fwd.nsource, RULE), [a, b].sort((x, y) => x - y), `seed ${seed}`);
      assert.deepEqual(mergeSources(M, G, [b, a], 3, fwd.nsource, { ...RULE, misfit: DEFAULT_MISFIT }), [a, b].sort((x, y) => x - y), `seed ${seed}, default mergeMisfit`);
    }
  });
});
