/**
 * The penalty contract (skglm's test_penalties, STYLE §6): on random inputs the L21 + L1 penalty's
 * prox, value and dual norm agree with one another. Norms and inner products count each STFT
 * coefficient as MNE does (twice, except the DC and Nyquist bins).
 */
import * as assert from 'node:assert/strict';
import { L21L1Penalty, type TfBlock } from '../../../lib/sparse/tfmxne/l21l1Penalty.js';
import { TfDictionary } from '../../../lib/sparse/tfmxne/tfDictionary.js';
import { rng } from '../../helpers/random.js';

const dict = new TfDictionary([16, 8], [4, 2], 20);
const C = dict.nCoefs, w = dict.freqWeight;

function randomBlock(no: number, seed: number, scale = 1): TfBlock {
  const r = rng(seed);
  return { re: Float64Array.from({ length: no * C }, () => (r() - 0.5) * scale), im: Float64Array.from({ length: no * C }, () => (r() - 0.5) * scale) };
}

/** ½‖z − b‖² + spaceLc·‖z‖₂ + timeLc·‖z‖₁, counted. */
function proxObjective(p: L21L1Penalty, z: TfBlock, b: TfBlock, spaceLc: number, timeLc: number): number {
  let q = 0;
  for (let k = 0; k < z.re.length; k++) q += w[k % C] * ((z.re[k] - b.re[k]) ** 2 + (z.im[k] - b.im[k]) ** 2);
  return 0.5 * q + spaceLc * p.l21(z) + timeLc * p.l1(z);
}

describe('L21 + L1 penalty: prox, value and dual norm agree', () => {
  it('value is alphaSpace·sqrt(Σ w|z|²) + alphaTime·Σ w·‖z_c‖ (brute force)', () => {
    const p = new L21L1Penalty(0.7, 0.3, dict, 3);
    for (let seed = 1; seed <= 5; seed++) {
      const b = randomBlock(3, seed);
      let s2 = 0, s1 = 0;
      for (let c = 0; c < C; c++) {
        let n2 = 0;
        for (let o = 0; o < 3; o++) n2 += b.re[o * C + c] ** 2 + b.im[o * C + c] ** 2;
        s2 += w[c] * n2;
        s1 += w[c] * Math.sqrt(n2);
      }
      const want = 0.7 * Math.sqrt(s2) + 0.3 * s1;
      assert.ok(Math.abs(p.value(b) - want) <= 1e-12 * want);
    }
  });

  it('prox minimises ½‖z − b‖² + penalty/L: no random perturbation (nor zero) does better', () => {
    const p = new L21L1Penalty(1, 1, dict, 3);
    const r = rng(99);
    for (let seed = 1; seed <= 20; seed++) {
      const b = randomBlock(3, seed, 2);
      const spaceLc = 0.5 + r() * 3, timeLc = r() * 0.4;
      const z: TfBlock = { re: b.re.slice(), im: b.im.slice() };
      if (!p.prox(z, spaceLc, timeLc)) { z.re.fill(0); z.im.fill(0); }
      const f = proxObjective(p, z, b, spaceLc, timeLc);
      const zero = { re: new Float64Array(z.re.length), im: new Float64Array(z.im.length) };
      assert.ok(f <= proxObjective(p, zero, b, spaceLc, timeLc) + 1e-12);
      for (let trial = 0; trial < 20; trial++) {
        const step = 1e-3 * (1 + trial);
        const y: TfBlock = { re: z.re.map((v) => v + (r() - 0.5) * step), im: z.im.map((v) => v + (r() - 0.5) * step) };
        assert.ok(f <= proxObjective(p, y, b, spaceLc, timeLc) + 1e-12, `seed ${seed}: a perturbation lowers the prox objective`);
      }
    }
  });

  it('dual norm: Hölder holds for random z and is attained at the soft-thresholded y', () => {
    const r = rng(7);
    for (const l1Ratio of [0.03, 0.3, 0.8]) {
      const p = new L21L1Penalty(1 - l1Ratio, l1Ratio, dict, 1);
      for (let seed = 1; seed <= 10; seed++) {
        const y = Float64Array.from({ length: C }, () => r() * 3);
        const nu = p.dualNorm(y);
        const norm = (z: Float64Array) => p.value({ re: z, im: new Float64Array(C) });
        const inner = (z: Float64Array) => z.reduce((s, v, c) => s + w[c] * v * y[c], 0);
        for (let t = 0; t < 50; t++) {
          const z = Float64Array.from({ length: C }, () => r());
          assert.ok(inner(z) <= nu * norm(z) * (1 + 1e-12), 'Hölder');
        }
        const zStar = y.map((v) => Math.max(v - l1Ratio * nu, 0));
        assert.ok(Math.abs(inner(zStar) / norm(zStar) - nu) <= 1e-10 * nu, `attained: ${inner(zStar) / norm(zStar)} vs ${nu}`);
      }
    }
  });
});
