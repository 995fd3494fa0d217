/**
 * Where the study's true sources lie: never on the grid the inverse searches. Simulating on the
 * solver's own grid is an inverse crime — a source placed exactly on a column of the gain can be
 * found at 0 mm, and so can `--auto`'s relocation to its nearest-in-field neighbours — so the
 * recovery, spurious and localisation numbers would not mean what they say.
 *
 * Sphere (the demo's own forward): continuous points of the demo cortex's full triangulated mesh
 * (a triangle drawn by area, a uniform point in it), the normal interpolated from its corners, the
 * field computed for that point by the same sphere model as the forward (lib/demo sphereGain).
 * Fixtures (a BEM forward mxne cannot recompute): a fixed set of the forward's sources, pairwise at
 * least `HOLD_OUT_MM` apart, is taken out of the source space that every method (mxne and MNE)
 * inverts; the truths are drawn from that set and simulated with their own gain columns, so each
 * truth's grid neighbourhood stays in the inverse but its own point does not.
 */
import { Matrix } from '../../lib/linalg/matrix.js';
import { makeRng, type Rng } from '../../lib/demo/rng.js';
import { sphereGain } from '../../lib/demo/gain.js';
import { FIFF } from '../../lib/io/fiff/constants.js';
import type { Forward } from '../../lib/records/forward.js';
import type { Info } from '../../lib/records/info.js';
import type { SourceSpace } from '../../lib/records/sourceSpace.js';

export type Vec3 = [number, number, number];

export interface TruthSite {
  /** m, head coordinates. */
  pos: Vec3;
  /** Unit cortical normal in head coordinates (surfaces), or null (volume: any orientation). */
  normal: Vec3 | null;
  /** mm below the outer boundary of the source space (see DepthFrame). */
  depthMm: number;
  /** Fixtures: the site's source in the full fixture forward (its gain columns are its field). */
  fwdSource?: number;
}

export interface TruthSpace {
  /** One site, drawn from `rng`. */
  draw(rng: Rng): TruthSite;
  /** nchan × 3: the field of unit dipoles along x, y, z (head coordinates) at the site, rows in the head info's order. */
  field(at: Pick<TruthSite, 'pos' | 'fwdSource'>): Matrix;
}

/** Minimum distance between two held-out fixture sources: the surface grid is ~2.3 mm, the volume grid 7 mm (15 mm keeps each held-out point's 3×3×3 neighbourhood in the inverse). */
export const HOLD_OUT_MM = { surf: 10, vol: 15 } as const;
/** The held-out set is the same in every run (and on MNE's side): drawn from this seed. */
const HOLD_OUT_SEED = 7;

const dist3 = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/**
 * Depth below the source space's outer boundary: the distance from the sources' centroid at which
 * 95 % of them lie, minus the point's own distance. Cortical shells give depths of 0–15 mm (sulci);
 * the volume grid reaches the centre of the head (≈ 60 mm).
 */
export class DepthFrame {
  private readonly centre: Vec3;
  private readonly outer: number;
  constructor(rr: Matrix) {
    const n = rr.rows;
    this.centre = [0, 1, 2].map((d) => { let s = 0; for (let i = 0; i < n; i++) s += rr.get(i, d); return s / n; }) as Vec3;
    const r = Float64Array.from({ length: n }, (_, i) => dist3(rr.row(i), this.centre)).sort();
    this.outer = r[Math.floor(0.95 * (n - 1))];
  }
  depthMm(pos: ArrayLike<number>): number {
    return Math.max(0, this.outer - dist3(pos, this.centre)) * 1000;
  }
}

/** Rows of `fwd` (its channel order) for each channel of `info`. */
function rowsOf(fwd: Forward, info: Info): number[] {
  return info.chNames.map((n) => fwd.chNames.indexOf(n));
}

/** Surface normals of the used sources in head coordinates (rotated from MRI when a space is stored in MRI coordinates); null unless every space is a surface. */
export function headNormals(fwd: Forward): Matrix | null {
  if (fwd.src.some((s) => s.type !== 'surf')) return null;
  const T = fwd.mriHeadT.trans;
  const out = new Matrix(fwd.nsource, 3);
  let k = 0;
  for (const s of fwd.src) {
    const mri = s.coordFrame === FIFF.FIFFV_COORD_MRI;
    for (const v of s.vertno) {
      for (let d = 0; d < 3; d++) out.set(k, d, mri ? T.get(d, 0) * s.nn.get(v, 0) + T.get(d, 1) * s.nn.get(v, 1) + T.get(d, 2) * s.nn.get(v, 2) : s.nn.get(v, d));
      k++;
    }
  }
  return out;
}

/**
 * The held-out fixture sources: a seeded random order of all sources, each kept when it lies at
 * least `minMm` from every one kept before (ascending source indices).
 */
export function holdOutSet(rr: Matrix, minMm: number): number[] {
  const n = rr.rows, rng = makeRng(HOLD_OUT_SEED), order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(rng.uniform() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
  const held: number[] = [];
  for (const k of order) if (held.every((j) => dist3(rr.row(j), rr.row(k)) * 1000 >= minMm)) held.push(k);
  return held.sort((a, b) => a - b);
}

/** Truths at the held-out sources of a fixture forward (`full`: the forward before they were taken out). */
export function heldOutSpace(full: Forward, info: Info, held: number[]): TruthSpace {
  const normals = headNormals(full), frame = new DepthFrame(full.sourceRr), rows = rowsOf(full, info);
  if (full.sourceOri !== 2 || full.surfOri) throw new Error('the study simulates from a free-orientation forward in x, y, z');
  return {
    draw(rng) {
      const k = held[Math.floor(rng.uniform() * held.length)];
      const pos = Array.from(full.sourceRr.row(k)) as Vec3;
      return { pos, normal: normals === null ? null : (Array.from(normals.row(k)) as Vec3), depthMm: frame.depthMm(pos), fwdSource: k };
    },
    field(at) {
      const out = new Matrix(rows.length, 3), k = at.fwdSource!;
      rows.forEach((r, i) => { for (let d = 0; d < 3; d++) out.set(i, d, full.sol.get(r, 3 * k + d)); });
      return out;
    },
  };
}

/** Continuous truths on the demo cortex's full mesh (`src`: the sphere forward's source spaces, MRI = head coordinates). */
export function sphereSpace(fwd: Forward, info: Info): TruthSpace {
  // The demo's MRI→head transform is the identity: mesh points are head coordinates as they are.
  if (fwd.mriHeadT.trans.data.some((v, i) => v !== (i % 5 === 0 ? 1 : 0))) throw new Error('sphereSpace expects the demo forward (identity MRI→head transform)');
  const tris: Array<{ s: SourceSpace; t: number }> = [];
  const cumArea: number[] = [];
  let total = 0;
  for (const s of fwd.src) {
    for (let t = 0; t < s.ntri; t++) {
      const [a, b, c] = [0, 1, 2].map((j) => s.rr.row(s.tris![3 * t + j]));
      const u = [0, 1, 2].map((d) => b[d] - a[d]), v = [0, 1, 2].map((d) => c[d] - a[d]);
      total += 0.5 * Math.hypot(u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]);
      tris.push({ s, t });
      cumArea.push(total);
    }
  }
  const frame = new DepthFrame(fwd.sourceRr);
  return {
    draw(rng) {
      const x = rng.uniform() * total;
      let lo = 0, hi = cumArea.length - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (cumArea[mid] < x) lo = mid + 1; else hi = mid; }
      const { s, t } = tris[lo];
      // A uniform point of the triangle: barycentric weights (1 − √r1, √r1 (1 − r2), √r1 r2).
      const r1 = Math.sqrt(rng.uniform()), r2 = rng.uniform();
      const w = [1 - r1, r1 * (1 - r2), r1 * r2], corners = [0, 1, 2].map((j) => s.tris![3 * t + j]);
      const mix = (m: Matrix) => [0, 1, 2].map((d) => corners.reduce((acc, v, j) => acc + w[j] * m.get(v, d), 0));
      const pos = mix(s.rr) as Vec3, n = mix(s.nn), l = Math.hypot(...n);
      return { pos, normal: n.map((x) => x / l) as Vec3, depthMm: frame.depthMm(pos) };
    },
    field(at) {
      return sphereGain(info, Float64Array.from(at.pos), 'accurate');
    },
  };
}
