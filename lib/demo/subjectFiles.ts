/**
 * The demo's FreeSurfer subjects folder, so its report has MRI slices and its estimate can be
 * morphed: `demo/mri/T1.mgz` (a synthetic 4 mm head of nested shells around the head sphere's
 * centre: scalp, skull, CSF, grey and white matter, a midline fissure), `demo/surf/?h.sphere.reg`
 * (the cortex projected on a 100 mm sphere, as FreeSurfer's registration surfaces are), and a
 * template subject `demo-template/surf/?h.sphere.reg` (an icosahedral sphere, as fsaverage's)
 * to morph to, with `?h.white`: the same vertices on a half-ellipsoid per hemisphere, so the
 * morphed estimate has a brain-shaped glass brain. The demo's MRI→head transform is the identity, so surface RAS = head mm.
 */
import * as path from 'node:path';
import { makeFolders } from '../io/outputFolder.js';
import { writeMgh, type MghWriteInput } from '../io/freesurfer/writeMgh.js';
import { writeSurface, type Surface } from '../io/freesurfer/surface.js';
import { Matrix } from '../linalg/matrix.js';
import type { SourceSpace } from '../records/sourceSpace.js';
import { HEAD_ORIGIN } from './helmet.js';

export const DEMO_SUBJECT = 'demo';
export const DEMO_TEMPLATE = 'demo-template';
const N = 64, VOXEL_MM = 4;
/** FreeSurfer's sphere.reg radius (mm). */
const SPHERE_MM = 100;

/** Intensity at a point (mm, surface RAS), by distance from the head centre; FreeSurfer-like T1 contrast. */
function t1Intensity(x: number, y: number, z: number): number {
  const c = HEAD_ORIGIN.map((v) => v * 1e3);
  const r = Math.hypot(x - c[0], y - c[1], z - c[2]);
  if (r > 90) return 0;
  if (r > 84) return 170; // scalp
  if (r > 78) return 25; // skull
  if (r > 74 || (Math.abs(x - c[0]) < 2.5 && z > c[2] - 10)) return 40; // CSF, fissure
  return r > 58 ? 95 : 150; // grey matter around the cortex (62–70 mm), white matter inside
}

/**
 * The synthetic T1 on an n³ grid of `voxelMm` voxels (the demo writes 64 × 4 mm; the fuzz campaign
 * draws small ones as seeds).
 */
export function demoT1(n = N, voxelMm = VOXEL_MM): MghWriteInput {
  // Conformed LIA orientation, as FreeSurfer's T1.mgz: voxel i → left, j → inferior, k → anterior.
  const mdc = [-1, 0, 0, 0, 0, 1, 0, -1, 0];
  const data = new Uint8Array(n * n * n);
  const half = (n * voxelMm) / 2;
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    data[i + n * (j + n * k)] = t1Intensity(half - i * voxelMm, k * voxelMm - half, half - j * voxelMm);
  }
  return { dims: [n, n, n], type: 'uint8', data, voxelSize: [voxelMm, voxelMm, voxelMm], mdc, cRas: [0, 0, 0] };
}

/** Points of `rr` (m) projected from the head centre onto the 100 mm sphere (mm). */
function onSphere(rr: Matrix): Matrix {
  const out = new Matrix(rr.rows, 3);
  for (let i = 0; i < rr.rows; i++) {
    const d = [0, 1, 2].map((c) => rr.get(i, c) - HEAD_ORIGIN[c]);
    const n = Math.hypot(...d);
    for (let c = 0; c < 3; c++) out.set(i, c, (SPHERE_MM * d[c]) / n);
  }
  return out;
}

/** An icosahedron subdivided `levels` times, on the 100 mm sphere (fsaverage's sphere.reg is ico-7). */
export function icosphere(levels: number): { rr: Matrix; tris: Int32Array } {
  const t = (1 + Math.sqrt(5)) / 2;
  const pts: number[][] = [[-1, t, 0], [1, t, 0], [-1, -t, 0], [1, -t, 0], [0, -1, t], [0, 1, t], [0, -1, -t], [0, 1, -t], [t, 0, -1], [t, 0, 1], [-t, 0, -1], [-t, 0, 1]];
  let faces = [[0, 11, 5], [0, 5, 1], [0, 1, 7], [0, 7, 10], [0, 10, 11], [1, 5, 9], [5, 11, 4], [11, 10, 2], [10, 7, 6], [7, 1, 8],
    [3, 9, 4], [3, 4, 2], [3, 2, 6], [3, 6, 8], [3, 8, 9], [4, 9, 5], [2, 4, 11], [6, 2, 10], [8, 6, 7], [9, 8, 1]];
  for (let l = 0; l < levels; l++) {
    const mid = new Map<string, number>();
    const midpoint = (a: number, b: number) => {
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      if (!mid.has(key)) { mid.set(key, pts.length); pts.push([0, 1, 2].map((c) => (pts[a][c] + pts[b][c]) / 2)); }
      return mid.get(key)!;
    };
    faces = faces.flatMap(([a, b, c]) => {
      const ab = midpoint(a, b), bc = midpoint(b, c), ca = midpoint(c, a);
      return [[a, ab, ca], [b, bc, ab], [c, ca, bc], [ab, bc, ca]];
    });
  }
  const rr = Matrix.fromRows(pts.map((p) => { const n = Math.hypot(...p); return p.map((x) => (SPHERE_MM * x) / n); }));
  return { rr, tris: Int32Array.from(faces.flat()) };
}

/** Template vertex k on its hemisphere's white surface: an ellipsoid beside the midline (mm). */
function templateWhite(sphere: Matrix, hemi: 'lh' | 'rh'): Matrix {
  const side = hemi === 'lh' ? -1 : 1, c = HEAD_ORIGIN.map((v) => v * 1e3);
  const out = new Matrix(sphere.rows, 3);
  for (let i = 0; i < sphere.rows; i++) {
    const [x, y, z] = [0, 1, 2].map((k) => sphere.get(i, k) / SPHERE_MM);
    out.set(i, 0, c[0] + side * (34 + 30 * x * side));
    out.set(i, 1, c[1] + 68 * y);
    out.set(i, 2, c[2] + 10 + 50 * z);
  }
  return out;
}

/**
 * The demo's surfaces by path under the subjects folder: the subject's sphere.reg (its cortex `src`
 * on the sphere) and the template's sphere.reg and white (an icosphere of `templateLevels`).
 */
export function demoSurfaces(src: SourceSpace[], templateLevels = 4): Array<[string, Surface]> {
  const template = icosphere(templateLevels);
  return (['lh', 'rh'] as const).flatMap((hemi, h): Array<[string, Surface]> => [
    [path.join(DEMO_SUBJECT, 'surf', `${hemi}.sphere.reg`), { rr: onSphere(src[h].rr), tris: src[h].tris! }],
    [path.join(DEMO_TEMPLATE, 'surf', `${hemi}.sphere.reg`), template],
    [path.join(DEMO_TEMPLATE, 'surf', `${hemi}.white`), { rr: templateWhite(template.rr, hemi), tris: template.tris }],
  ]);
}

/** Writes the demo's subjects folder under `dir`; returns its path. */
export async function writeDemoSubjects(dir: string, src: SourceSpace[]): Promise<string> {
  const subjectsDir = path.join(dir, 'subjects');
  for (const sub of [`${DEMO_SUBJECT}/mri`, `${DEMO_SUBJECT}/surf`, `${DEMO_TEMPLATE}/surf`]) await makeFolders(path.join(subjectsDir, sub));
  await writeMgh(path.join(subjectsDir, DEMO_SUBJECT, 'mri', 'T1.mgz'), demoT1());
  for (const [file, surface] of demoSurfaces(src)) await writeSurface(path.join(subjectsDir, file), surface);
  return subjectsDir;
}
