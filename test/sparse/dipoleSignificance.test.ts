/**
 * The pruning test of alpha = 'discrepancy' (lib/sparse/dipoleSignificance.ts) on the demo
 * generator's head (MEG, free orientation: two dimensions of field per source in a sphere), whitened so that the noise has unit variance: the
 * statistic is χ²_d under noise, the threshold is the χ² quantile scipy gives, and a two-source
 * simulation keeps both true sources while a planted noise-only neighbour and a far noise-only
 * source are dropped; relocation moves a source set a grid step off back to the true one, after
 * which its satellite fails the test.
 */
import * as assert from 'node:assert/strict';
import { makeCortex } from '../../lib/demo/cortex.js';
import { makeDemoInfo, makeForward } from '../../lib/demo/gain.js';
import { NOISE_VARIANCE } from '../../lib/demo/generateDemo.js';
import { makeRng, type Rng } from '../../lib/demo/rng.js';
import { gemm } from '../../lib/linalg/blas.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import jStat from 'jstat';
import { noiseProbability, refitStatistics, significantSources } from '../../lib/sparse/dipoleSignificance.js';
import { relocateSources } from '../../lib/sparse/relocateSources.js';
import type { Forward } from '../../lib/records/forward.js';

const K = 30;
/** A spherical head's MEG sees no radial dipole: two dimensions of field per source. */
const d = 2 * K;

function noise(rows: number, rng: Rng): Matrix {
  const N = new Matrix(rows, K);
  for (let k = 0; k < N.data.length; k++) N.data[k] = rng.normal();
  return N;
}

/** What the best of P noise-only sources stays under with probability 1 − level: the χ²_d quantile at 1 − level/P. */
const significanceThreshold = (dof: number, P: number, level: number) => jStat.chisquare.inv(1 - level / P, dof);

const distMm = (f: Forward, a: number, b: number) => Math.hypot(...[0, 1, 2].map((c) => f.sourceRr.get(a, c) - f.sourceRr.get(b, c))) * 1000;

describe('dipole significance (the likelihood-ratio pruning of alpha = discrepancy)', function () {
  this.timeout(60000);
  let fwd: Forward;
  /** The gain whitened by the noise SD of an average of 60 trials: unit-variance noise. */
  let G: Matrix;
  let a = 0, b = 0, neighbour = 0, far = 0;

  before(() => {
    const info = makeDemoInfo({ eeg: false });
    fwd = makeForward(info, makeCortex(600, 5));
    G = fwd.sol.clone();
    info.chs.forEach((c, i) => {
      const sd = Math.sqrt(NOISE_VARIANCE[c.type as 'mag' | 'grad'] / 60);
      for (let j = 0; j < G.cols; j++) G.set(i, j, G.get(i, j) / sd);
    });
    a = 10;
    b = Array.from({ length: fwd.nsource }, (_, k) => k).find((k) => distMm(fwd, a, k) > 60)!;
    neighbour = Array.from({ length: fwd.nsource }, (_, k) => k).find((k) => k !== a && distMm(fwd, a, k) < 15)!;
    far = Array.from({ length: fwd.nsource }, (_, k) => k).find((k) => distMm(fwd, a, k) > 40 && distMm(fwd, b, k) > 40)!;
  });

  /** Sources a and b (radial-ish orientations, Gabor-like time courses) at SNR `snr` (whitened RMS over channels at the peak), plus unit noise. */
  function twoSources(snr: number, rng: Rng): Matrix {
    const M = noise(G.rows, rng);
    for (const [s, ori, t0] of [[a, [0.3, 0.5, 0.8], 10], [b, [0.7, -0.2, 0.6], 18]] as const) {
      const topo = gemm(G.pickCols([3 * s, 3 * s + 1, 3 * s + 2]), Matrix.fromRows([ori]).transpose());
      const scale = snr / Math.sqrt(topo.data.reduce((x, v) => x + v * v, 0) / G.rows);
      for (let t = 0; t < K; t++) {
        const w = scale * Math.exp(-0.5 * ((t - t0) / 3) ** 2) * Math.cos(0.6 * (t - t0));
        for (let i = 0; i < G.rows; i++) M.data[i + t * G.rows] += w * topo.data[i];
      }
    }
    return M;
  }

  it("a statistic's noise probability is the χ² tail (scipy: chi2.sf(149.48211162347, 90) = 8.3333333333e-5, chi2.sf(120, 60) = 6.876264968732e-6)", () => {
    assert.ok(Math.abs(noiseProbability({ deltaRss: 149.48211162347, dof: 90 }) / 8.333333333336774e-5 - 1) < 1e-8);
    assert.ok(Math.abs(noiseProbability({ deltaRss: 120, dof: 60 }) / 6.876264968732136e-6 - 1) < 1e-8);
    // a source that adds no dimension of field is never significant
    assert.equal(noiseProbability({ deltaRss: 5, dof: 0 }), 1);
    // the test's threshold at level 0.05 over 600 sources is where the probability is 0.05/600
    assert.ok(Math.abs(significanceThreshold(90, 600, 0.05) - 149.48211162347) < 1e-6);
  });

  it('under noise alone a source\'s statistic is χ² with d = 2K degrees of freedom (mean d, variance 2d)', () => {
    const rng = makeRng(11);
    const stats = Array.from({ length: 300 }, () => {
      const s = refitStatistics(noise(G.rows, rng), G, [a, b, far], 3)[0];
      assert.equal(s.dof, d);
      return s.deltaRss;
    });
    const mean = stats.reduce((x, v) => x + v, 0) / stats.length;
    const variance = stats.reduce((x, v) => x + (v - mean) ** 2, 0) / (stats.length - 1);
    // The mean's standard error is √(2d/300) ≈ 0.77: within 4 of them.
    assert.ok(Math.abs(mean - d) < 4 * Math.sqrt((2 * d) / stats.length), `mean ${mean.toFixed(2)} vs ${d}`);
    assert.ok(Math.abs(variance / (2 * d) - 1) < 0.3, `variance ${variance.toFixed(1)} vs ${2 * d}`);
  });

  it('two true sources at SNR 2 stay; a planted noise-only neighbour (< 15 mm) and a far noise-only source are dropped', () => {
    const threshold = significanceThreshold(d, fwd.nsource, 0.05);
    for (let seed = 1; seed <= 5; seed++) {
      const M = twoSources(2, makeRng(seed));
      assert.deepEqual(significantSources(M, G, [neighbour, far, b, a], 3, fwd.nsource, 0.05), [a, b].sort((x, y) => x - y), `seed ${seed}`);
      // the survivors' statistics, refitted together, pass the threshold; the dropped ones' do not
      const kept = refitStatistics(M, G, [a, b], 3);
      assert.ok(kept.every((s) => s.deltaRss > threshold && noiseProbability(s) < 0.05 / fwd.nsource), `seed ${seed}: ${kept.map((s) => s.deltaRss.toFixed(0))} vs ${threshold.toFixed(0)}`);
      const planted = refitStatistics(M, G, [a, b, neighbour, far], 3).slice(2);
      assert.ok(planted.every((s) => s.deltaRss < threshold), `seed ${seed}: planted ${planted.map((s) => s.deltaRss.toFixed(0))} vs ${threshold.toFixed(0)}`);
    }
  });

  it('the statistic of the neighbour is what the refitted true source cannot explain: with a alone in the set, the neighbour carries a\'s field', () => {
    const threshold = significanceThreshold(d, fwd.nsource, 0.05);
    const M = twoSources(4, makeRng(3));
    // Without a in the set, the neighbour explains much of a's field and passes the test…
    assert.ok(refitStatistics(M, G, [neighbour, b], 3)[0].deltaRss > threshold);
    // …with a refitted next to it, nothing is left for it.
    assert.ok(refitStatistics(M, G, [a, neighbour, b], 3)[1].deltaRss < threshold);
  });

  it('no source: nothing survives; an empty set stays empty', () => {
    assert.deepEqual(significantSources(noise(G.rows, makeRng(4)), G, [a, b, neighbour, far], 3, fwd.nsource, 0.05), []);
    assert.deepEqual(refitStatistics(noise(G.rows, makeRng(4)), G, [], 3), []);
  });

  it('relocation: a source set beside the true one moves back to it; then the satellite carrying the leftover fails the test', () => {
    const M = twoSources(8, makeRng(6));
    // a's neighbour and a second neighbour of a, as a penalised solve may leave them: both needed while a is missing
    const second = Array.from({ length: fwd.nsource }, (_, k) => k).find((k) => k !== a && k !== neighbour && distMm(fwd, a, k) < 25 && distMm(fwd, neighbour, k) > 8)!;
    const blocks = [neighbour, second, b].sort((x, y) => x - y);
    assert.deepEqual(significantSources(M, G, blocks, 3, fwd.nsource, 0.05), blocks, 'without relocation both stand-ins of a pass');
    const moved = relocateSources(M, G, blocks, 3);
    assert.ok(moved.includes(a) && moved.includes(b), `relocated to ${moved} (a ${a}, b ${b})`);
    assert.deepEqual(significantSources(M, G, moved, 3, fwd.nsource, 0.05), [a, b].sort((x, y) => x - y));
  });

  it('relocation leaves sources at the true points where they are', () => {
    const M = twoSources(3, makeRng(7));
    assert.deepEqual(relocateSources(M, G, [b, a], 3), [a, b].sort((x, y) => x - y));
  });
});
