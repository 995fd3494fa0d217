/** The demo's forward physics against closed forms: Sarvas field, EEG in a homogeneous sphere, Berg–Scherg fit. */
import * as assert from 'node:assert/strict';
import { fitBergScherg, multiSphereCoeffs, sphereEegGain } from '../../lib/demo/eegSphere.js';
import { HEAD_ORIGIN, megCoilPoints, type CoilPoints } from '../../lib/demo/helmet.js';
import { makeDemoInfo, sphereGain } from '../../lib/demo/gain.js';
import { makeCortex, usedPoints } from '../../lib/demo/cortex.js';
import { MAG_FACTOR, sphereMegGain } from '../../lib/demo/sarvas.js';

type V = [number, number, number];
const sub = (a: V, b: readonly number[]): V => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: readonly number[], b: readonly number[]): V => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a: readonly number[]) => Math.sqrt(dot(a, a));

/** One point coil per (position, direction) pair, each its own channel. */
function pointCoils(pts: V[], dirs: V[]): CoilPoints {
  const n = pts.length;
  return { n, rmag: Float64Array.from(pts.flat()), cosmag: Float64Array.from(dirs.flat()), w: new Float64Array(n).fill(1), chan: Int32Array.from({ length: n }, (_, k) => k) };
}

/** B·e at points for a dipole q at r0 (head coordinates). */
function field(r0: V, q: V, pts: V[], dirs: V[]): number[] {
  const g = new Float64Array(3 * pts.length);
  sphereMegGain(r0, pointCoils(pts, dirs), HEAD_ORIGIN, g, pts.length, 0);
  return pts.map((_, i) => q[0] * g[i] + q[1] * g[i + pts.length] + q[2] * g[i + 2 * pts.length]);
}

const r0: V = [0.02, -0.03, 0.04 + 0.05];
const sensors: V[] = [[0.05, 0.0, 0.15], [-0.08, 0.03, 0.12], [0.0, -0.1, 0.1], [0.1, 0.05, 0.06]];

describe('demo physics: Sarvas MEG field', () => {
  it('a radial dipole produces no field outside the sphere', () => {
    const radial = sub(r0, HEAD_ORIGIN);
    const tangential = cross(radial, [0, 0, 1]);
    for (const dirs of [[1, 0, 0], [0, 1, 0], [0, 0, 1]] as V[]) {
      const d = sensors.map(() => dirs);
      const br = field(r0, radial, sensors, d);
      const bt = field(r0, tangential, sensors, d);
      for (let i = 0; i < sensors.length; i++) assert.ok(Math.abs(br[i]) < 1e-12 * Math.abs(bt[i]) + 1e-30, `radial ${br[i]} vs tangential ${bt[i]}`);
    }
  });

  it('the radial component equals the primary current (Biot–Savart) field', () => {
    const q: V = [0.3, -0.8, 0.2];
    for (const p of sensors) {
      const er = sub(p, HEAD_ORIGIN).map((x) => x / norm(sub(p, HEAD_ORIGIN))) as V;
      const d = sub(p, r0);
      const primary = (MAG_FACTOR * dot(cross(q, d), er)) / norm(d) ** 3;
      const [b] = field(r0, q, [p], [er]);
      assert.ok(Math.abs(b - primary) < 1e-10 * Math.abs(primary), `${b} vs ${primary}`);
    }
  });

  it('the field outside is curl- and divergence-free (finite differences)', () => {
    const q: V = [0.5, 0.4, -0.2];
    const h = 1e-5;
    const B = (p: V): V => field(r0, q, [p, p, p], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]) as V;
    for (const p of sensors) {
      const J: number[][] = [0, 1, 2].map((k) => {
        const e: V = [0, 0, 0]; e[k] = h;
        const bp = B([p[0] + e[0], p[1] + e[1], p[2] + e[2]]), bm = B([p[0] - e[0], p[1] - e[1], p[2] - e[2]]);
        return [0, 1, 2].map((c) => (bp[c] - bm[c]) / (2 * h)); // J[k][c] = ∂B_c/∂x_k
      });
      const scale = Math.max(...J.flat().map(Math.abs));
      const curl = [J[1][2] - J[2][1], J[2][0] - J[0][2], J[0][1] - J[1][0]];
      const div = J[0][0] + J[1][1] + J[2][2];
      for (const c of [...curl, div]) assert.ok(Math.abs(c) < 1e-6 * scale, `curl/div ${c} vs gradient scale ${scale}`);
    }
  });

  it('a point planar gradiometer is the finite difference of point magnetometers 16.8 mm apart', () => {
    const info = makeDemoInfo({ eeg: false });
    const grad = info.chs[0];
    const coils = megCoilPoints([grad], info.devHeadT!, 'point');
    const g = new Float64Array(3);
    sphereMegGain(r0, coils, HEAD_ORIGIN, g, 1, 0);
    const pts: V[] = [[0, 1, 2].map((i) => coils.rmag[i]) as V, [3, 4, 5].map((i) => coils.rmag[i]) as V];
    const dir = [0, 1, 2].map((i) => coils.cosmag[i]) as V;
    for (let c = 0; c < 3; c++) {
      const q: V = [0, 0, 0]; q[c] = 1;
      const [bp, bm] = field(r0, q, pts, [dir, dir]);
      assert.ok(Math.abs(g[c] - (bp - bm) / 0.0168) <= 1e-4 * Math.abs(g[c]) + 1e-12);
    }
  });

  it('gains have the sizes of a cortical source seen by a Neuromag helmet', () => {
    const info = makeDemoInfo();
    const { rr } = usedPoints(makeCortex(200));
    const G = sphereGain(info, rr);
    const rms = (c: number, type: string) => {
      const rows = info.chs.flatMap((ch, i) => (ch.type === type ? [i] : []));
      return Math.sqrt(rows.reduce((s, i) => s + G.get(i, c) ** 2, 0) / rows.length);
    };
    const med = (type: string) => { const v = Array.from({ length: G.cols }, (_, c) => rms(c, type)).sort((a, b) => a - b); return v[v.length >> 1]; };
    // T/(A·m), T/(m·A·m), V/(A·m): 10 nA·m gives tens of fT, a few pT/m and ~0.5 µV.
    assert.ok(med('mag') > 3e-7 && med('mag') < 2e-5, `mag ${med('mag')}`);
    assert.ok(med('grad') > 5e-6 && med('grad') < 5e-4, `grad ${med('grad')}`);
    assert.ok(med('eeg') > 5 && med('eeg') < 500, `eeg ${med('eeg')}`);
  });
});

describe('demo physics: EEG sphere', () => {
  it('a dipole at the centre of a homogeneous sphere gives 3 Q·r̂ / (4πσR²)', () => {
    const sigma = 0.33;
    const R = 0.09;
    const el: V[] = [[0, 0, R], [R, 0, 0], [0, -R / Math.SQRT2, R / Math.SQRT2]];
    const elHead = Float64Array.from(el.flatMap((e) => [e[0] + HEAD_ORIGIN[0], e[1] + HEAD_ORIGIN[1], e[2] + HEAD_ORIGIN[2]]));
    // Tiny offset from the exact centre (the formula divides by |r0|).
    const src = Float64Array.from([1e-7, 2e-7, HEAD_ORIGIN[2] + 1e-7]);
    const g = new Float64Array(9);
    sphereEegGain(src, elHead, HEAD_ORIGIN, { mu: [1], lambda: [1 / sigma], rv: 0 }, g, 3, 0);
    el.forEach((e, i) => {
      for (let c = 0; c < 3; c++) {
        const want = (3 * e[c]) / R / (4 * Math.PI * sigma * R * R);
        assert.ok(Math.abs(g[i + 3 * c] - want) < 1e-4 * (3 / (4 * Math.PI * sigma * R * R)), `${g[i + 3 * c]} vs ${want}`);
      }
    });
  });

  it('the Berg–Scherg fit reproduces the four-shell series (MNE default layers)', () => {
    const b = fitBergScherg();
    assert.ok(b.rv < 1e-4, `relative residual ${b.rv}`);
    assert.ok(b.mu[0] > b.mu[1] && b.mu[1] > b.mu[2] && Math.max(...b.mu.map(Math.abs)) < 1);
    // λ sum to the first series coefficient over σ_scalp (the n = 1 term is matched exactly).
    const fn = multiSphereCoeffs([{ relRad: 0.9, sigma: 0.33 }, { relRad: 0.92, sigma: 1 }, { relRad: 0.97, sigma: 0.004 }, { relRad: 1, sigma: 0.33 }], 1);
    assert.ok(Math.abs(b.lambda.reduce((s, l) => s + l, 0) * 0.33 - fn[0]) < 1e-9);
  });
});
