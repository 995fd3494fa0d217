/**
 * What the 3-D view draws, as JSON for the page: the source space surfaces (mm, head coordinates,
 * float32/uint32 as base64), or the sources of a volume source space as points, and per dipole its position, orientation and amplitude per time.
 */
import type { SourceSpace } from '../records/sourceSpace.js';
import { DIPOLE_HEX } from '../viz/palette.js';
import type { DipoleSummary } from '../workflow/summary.js';

export interface SceneData {
  surfaces: { positions: string; triangles: string }[];
  /** Used sources of source spaces without triangles (volume, discrete), drawn as points: float32 mm, base64. */
  points: string;
  dipoles: { pos: number[]; ori: number[][]; amplitude: number[]; colour: string }[];
  times: number[];
  /** Where the camera looks (mm): the centre of the surfaces' bounding box; and half its diagonal. */
  centre: number[];
  radius: number;
  maxAmplitude: number;
  maxArrowMm: number;
  initialTime: number;
}

function base64(a: Float32Array | Uint32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function sceneData(src: SourceSpace[], times: number[], dipoles: DipoleSummary[]): SceneData {
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  const surfaces = src.filter((s) => s.tris !== null && s.ntri > 0).map((s) => {
    const positions = new Float32Array(3 * s.np);
    for (let i = 0; i < s.np; i++) {
      for (let c = 0; c < 3; c++) {
        const x = s.rr.get(i, c) * 1e3;
        positions[3 * i + c] = x;
        lo[c] = Math.min(lo[c], x); hi[c] = Math.max(hi[c], x);
      }
    }
    return { positions: base64(positions), triangles: base64(Uint32Array.from(s.tris!)) };
  });
  const grid = src.filter((s) => s.tris === null || s.ntri === 0);
  const points = new Float32Array(3 * grid.reduce((n, s) => n + s.nuse, 0));
  let p = 0;
  for (const s of grid) {
    for (const v of s.vertno) {
      for (let c = 0; c < 3; c++) {
        const x = s.rr.get(v, c) * 1e3;
        points[p++] = x;
        lo[c] = Math.min(lo[c], x); hi[c] = Math.max(hi[c], x);
      }
    }
  }
  const drawn = surfaces.length > 0 || points.length > 0;
  const maxAmplitude = Math.max(1e-30, ...dipoles.flatMap((d) => d.amplitude.map(Math.abs)));
  // Open on the time of the strongest peak, so the first picture shows the arrows.
  const strongest = dipoles.reduce((b, d, k) => (Math.abs(d.peakAmplitude) > Math.abs(dipoles[b].peakAmplitude) ? k : b), 0);
  const peak = dipoles.length ? dipoles[strongest].peakTime : times[0];
  const initialTime = times.reduce((best, t, k) => (Math.abs(t - peak) < Math.abs(times[best] - peak) ? k : best), 0);
  return {
    surfaces, points: base64(points),
    dipoles: dipoles.map((d, k) => ({ pos: d.pos.map((x) => x * 1e3), ori: d.ori, amplitude: d.amplitude, colour: DIPOLE_HEX[k % DIPOLE_HEX.length] })),
    times, centre: drawn ? [0, 1, 2].map((c) => (lo[c] + hi[c]) / 2) : [0, 0, 40],
    radius: drawn ? Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) / 2 : 100, maxAmplitude, maxArrowMm: 40, initialTime,
  };
}
