/**
 * The demo's sensors: a Neuromag-306-like helmet (102 locations, each with two orthogonal planar
 * gradiometers FIFFV_COIL_VV_PLANAR_T1 and one magnetometer FIFFV_COIL_VV_MAG_T3, named and
 * ordered as Neuromag: MEG 0113, MEG 0112, MEG 0111, ...) in device coordinates, a device→head
 * transform, and ~60 EEG electrodes on the scalp sphere (head coordinates, no reference electrode).
 * Coil integration points follow MNE's coil_def.dat, so MNE's make_forward_solution sees the same coils.
 * Every stored number (loc, transform) is rounded to float32 first, as the FIF file will hold it.
 */
import { Matrix } from '../linalg/matrix.js';
import type { ChannelInfo, Transform } from '../records/info.js';
import { FIFF } from '../io/fiff/constants.js';

export const COIL_EEG = 1;
export const COIL_VV_PLANAR_T1 = 3012;
export const COIL_VV_MAG_T3 = 3024;

/** The spherical head of the demo: centre (head coordinates, m) and scalp radius, as MNE's sample sphere. */
export const HEAD_ORIGIN: readonly [number, number, number] = [0, 0, 0.04];
export const HEAD_RADIUS = 0.09;
/** Helmet sensor radius around the device origin (m). */
const HELMET_RADIUS = 0.12;

type Vec3 = [number, number, number];
const f32 = (v: number[]): number[] => v.map((x) => Math.fround(x));
const norm = (v: Vec3): Vec3 => { const n = Math.hypot(v[0], v[1], v[2]); return [v[0] / n, v[1] / n, v[2] / n]; };
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** n unit vectors spread evenly (Fibonacci spiral) over the cap within `maxPolar` radians of +z. */
export function fibonacciCap(n: number, maxPolar: number): Vec3[] {
  const golden = Math.PI * (3 - Math.sqrt(5));
  const zmin = Math.cos(maxPolar);
  const out: Vec3[] = [];
  for (let k = 0; k < n; k++) {
    const z = 1 - ((1 - zmin) * (k + 0.5)) / n;
    const rho = Math.sqrt(Math.max(0, 1 - z * z));
    out.push([rho * Math.cos(k * golden), rho * Math.sin(k * golden), z]);
  }
  return out;
}

/** The device→head transform: a 6° pitch and a shift that puts the helmet centre near the head sphere's. */
export function demoDevHeadT(): Transform {
  const a = (6 * Math.PI) / 180;
  const [c, s] = [Math.cos(a), Math.sin(a)];
  const rows = [[1, 0, 0, 0.0015], [0, c, -s, 0.008], [0, s, c, 0.045], [0, 0, 0, 1]].map((r, i) => (i < 3 ? f32(r) : r));
  return { from: FIFF.FIFFV_COORD_DEVICE, to: FIFF.FIFFV_COORD_HEAD, trans: Matrix.fromRows(rows) };
}

function channel(name: string, kind: number, type: ChannelInfo['type'], coilType: number, unit: number, logNo: number, loc: number[], coordFrame: number): ChannelInfo {
  return { name, kind, type, coilType, unit, unitMul: 0, cal: 1, range: 1, logNo, scanNo: 0, loc: Float64Array.from(f32(loc)), coordFrame };
}

/** 306 MEG channels: per location grad (…3), grad (…2), mag (…1), Neuromag's order. */
export function makeHelmet(): ChannelInfo[] {
  const chs: ChannelInfo[] = [];
  fibonacciCap(102, (98 * Math.PI) / 180).forEach((u, k) => {
    const ez = u;
    const ex = Math.abs(u[2]) > 0.999 ? ([1, 0, 0] as Vec3) : norm(cross([0, 0, 1], u));
    const ey = cross(ez, ex);
    const r0 = u.map((x) => HELMET_RADIUS * x);
    const base = `MEG ${String(Math.floor(k / 4) + 1).padStart(2, '0')}${(k % 4) + 1}`;
    const logNo = 100 * (Math.floor(k / 4) + 1) + 10 * ((k % 4) + 1);
    const dev = FIFF.FIFFV_COORD_DEVICE;
    // Second gradiometer: the first rotated by 90° about the normal (ex' = ey, ey' = -ex).
    chs.push(channel(`${base}3`, FIFF.FIFFV_MEG_CH, 'grad', COIL_VV_PLANAR_T1, FIFF.FIFF_UNIT_T_M, logNo + 3, [...r0, ...ex, ...ey, ...ez], dev));
    chs.push(channel(`${base}2`, FIFF.FIFFV_MEG_CH, 'grad', COIL_VV_PLANAR_T1, FIFF.FIFF_UNIT_T_M, logNo + 2, [...r0, ...ey, ...ex.map((x) => -x), ...ez], dev));
    chs.push(channel(`${base}1`, FIFF.FIFFV_MEG_CH, 'mag', COIL_VV_MAG_T3, FIFF.FIFF_UNIT_T, logNo + 1, [...r0, ...ex, ...ey, ...ez], dev));
  });
  return chs;
}

/** n EEG electrodes on the scalp sphere (head coordinates), 'EEG 001'…, no reference electrode in loc. */
export function makeEegCap(n = 60): ChannelInfo[] {
  return fibonacciCap(n, (112 * Math.PI) / 180).map((u, k) => {
    const pos = u.map((x, i) => HEAD_ORIGIN[i] + HEAD_RADIUS * x);
    return channel(`EEG ${String(k + 1).padStart(3, '0')}`, FIFF.FIFFV_EEG_CH, 'eeg', COIL_EEG, FIFF.FIFF_UNIT_V, k + 1, [...pos, 0, 0, 0, 0, 0, 0, 0, 0, 0], FIFF.FIFFV_COORD_HEAD);
  });
}

/** Integration points of MEG coils in head coordinates; `chan` is the channel each point adds to (weight `w`). */
export interface CoilPoints {
  n: number;
  rmag: Float64Array;
  cosmag: Float64Array;
  w: Float64Array;
  chan: Int32Array;
}

/** MNE's coil accuracies (coil_def.dat: 0 point, 1 normal, 2 accurate; make_forward_solution uses 'accurate'). */
export type CoilAccuracy = 'point' | 'normal' | 'accurate';

const grid = (xs: number[], ys: number[], w: (x: number) => number): number[][] => xs.flatMap((x) => ys.map((y) => [x, y, 3e-4, w(x)]));

/** [x, y, z, weight] per point, cosmag +z: MNE's coil_def.dat. */
const COIL_DEFS: Record<CoilAccuracy, Record<number, number[][]>> = {
  point: {
    [COIL_VV_MAG_T3]: [[0, 0, 0, 1]],
    [COIL_VV_PLANAR_T1]: [[8.4e-3, 0, 3e-4, 59.5238], [-8.4e-3, 0, 3e-4, -59.5238]],
  },
  normal: {
    [COIL_VV_MAG_T3]: [[-5.25e-3, -5.25e-3, 3e-4, 0.25], [-5.25e-3, 5.25e-3, 3e-4, 0.25], [5.25e-3, -5.25e-3, 3e-4, 0.25], [5.25e-3, 5.25e-3, 3e-4, 0.25]],
    [COIL_VV_PLANAR_T1]: [[8.4e-3, 6.713e-3, 3e-4, 29.7619], [8.4e-3, -6.713e-3, 3e-4, 29.7619], [-8.4e-3, 6.713e-3, 3e-4, -29.7619], [-8.4e-3, -6.713e-3, 3e-4, -29.7619]],
  },
  accurate: {
    [COIL_VV_MAG_T3]: grid([-7.875e-3, -2.625e-3, 2.625e-3, 7.875e-3], [-7.875e-3, -2.625e-3, 2.625e-3, 7.875e-3], () => 0.0625),
    [COIL_VV_PLANAR_T1]: grid([1.079e-2, 5.891e-3, -5.891e-3, -1.079e-2], [6.713e-3, -6.713e-3], (x) => (x > 0 ? 14.9858 : -14.9858)),
  },
};

/** The coils of `chs` (MEG, device coordinates) in head coordinates, as MNE's _create_meg_coils + dev_head_t. */
export function megCoilPoints(chs: readonly ChannelInfo[], devHeadT: Transform, accuracy: CoilAccuracy = 'accurate'): CoilPoints {
  const pts: number[][] = [];
  const T = devHeadT.trans;
  const rot = (v: number[]): number[] => [0, 1, 2].map((r) => T.get(r, 0) * v[0] + T.get(r, 1) * v[1] + T.get(r, 2) * v[2]);
  chs.forEach((ch, c) => {
    const def = COIL_DEFS[accuracy][ch.coilType];
    if (def === undefined) throw new Error(`no coil definition for coil type ${ch.coilType}`);
    const l = ch.loc;
    for (const [x, y, z, w] of def) {
      const p = [0, 1, 2].map((i) => l[i] + x * l[3 + i] + y * l[6 + i] + z * l[9 + i]);
      const head = rot(p).map((v, i) => v + T.get(i, 3));
      pts.push([...head, ...rot([l[9], l[10], l[11]]), w, c]);
    }
  });
  const n = pts.length;
  const out: CoilPoints = { n, rmag: new Float64Array(3 * n), cosmag: new Float64Array(3 * n), w: new Float64Array(n), chan: new Int32Array(n) };
  pts.forEach((p, k) => {
    out.rmag.set(p.slice(0, 3), 3 * k);
    out.cosmag.set(p.slice(3, 6), 3 * k);
    out.w[k] = p[6];
    out.chan[k] = p[7];
  });
  return out;
}
