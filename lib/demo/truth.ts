/**
 * The demo's true sources: three cortical dipoles along the surface normal (left temporal, right
 * temporal, left occipital), with damped-sine (Gabor) time courses peaking at 85, 150 and 230 ms.
 * Each vertex is picked near a target direction (jittered a few degrees by the seed), preferring
 * sulcal walls, where the normal is most tangential and MEG sees the source best.
 */
import type { SourceSpace } from '../records/sourceSpace.js';
import { HEAD_ORIGIN } from './helmet.js';
import type { Rng } from './rng.js';

export interface DemoSource {
  sourceIndex: number;
  hemi: 'lh' | 'rh';
  vertno: number;
  /** m, head coordinates. */
  pos: [number, number, number];
  ori: [number, number, number];
  /** s */
  peakTime: number;
  /** A·m */
  amplitude: number;
}

const TARGETS: { hemi: 'lh' | 'rh'; dir: [number, number, number]; peakTime: number }[] = [
  { hemi: 'lh', dir: [-0.99, 0.05, 0.12], peakTime: 0.085 },
  { hemi: 'rh', dir: [0.95, -0.12, 0.25], peakTime: 0.15 },
  { hemi: 'lh', dir: [-0.5, -0.8, 0.33], peakTime: 0.23 },
];

/** Oscillation frequency (Hz) and envelope width (s) of the time courses. */
const FREQ = 8;
const WIDTH = 0.022;

/** Unit-amplitude time course peaking at `peakTime`: a Gaussian-windowed cosine. */
export function waveform(t: number, peakTime: number): number {
  const d = t - peakTime;
  return Math.exp(-0.5 * (d / WIDTH) ** 2) * Math.cos(2 * Math.PI * FREQ * d);
}

/** The true sources (amplitude still 1 A·m; the caller scales them to the SNR asked for). */
export function pickTruth(src: SourceSpace[], rng: Rng): DemoSource[] {
  const offsets = [0, src[0].nuse];
  return TARGETS.map((target) => {
    const h = target.hemi === 'lh' ? 0 : 1;
    const s = src[h];
    const jitter = target.dir.map((v) => v + 0.06 * (rng.uniform() - 0.5));
    const l = Math.hypot(...jitter);
    const dir = jitter.map((v) => v / l);
    const cand: { k: number; cos: number; tang: number }[] = [];
    s.vertno.forEach((v, k) => {
      const r = [0, 1, 2].map((d) => s.rr.get(v, d) - HEAD_ORIGIN[d]);
      const rl = Math.hypot(...r);
      const n = [0, 1, 2].map((d) => s.nn.get(v, d));
      const radial = (r[0] * n[0] + r[1] * n[1] + r[2] * n[2]) / rl;
      cand.push({ k, cos: (r[0] * dir[0] + r[1] * dir[1] + r[2] * dir[2]) / rl, tang: Math.sqrt(Math.max(0, 1 - radial * radial)) });
    });
    cand.sort((a, b) => b.cos - a.cos);
    const best = cand.slice(0, 15).reduce((a, b) => (b.tang > a.tang ? b : a));
    const v = s.vertno[best.k];
    return {
      sourceIndex: offsets[h] + best.k, hemi: target.hemi, vertno: v,
      pos: [s.rr.get(v, 0), s.rr.get(v, 1), s.rr.get(v, 2)], ori: [s.nn.get(v, 0), s.nn.get(v, 1), s.nn.get(v, 2)],
      peakTime: target.peakTime, amplitude: 1,
    };
  });
}
