/**
 * Where a point of one registration sphere falls on another's mesh, step for step as MNE 1.3's
 * morph map (mne/morph_map.py `_make_morph_map_hemi`, mne/surface.py `_get_tri_supp_geom`,
 * `_find_nearest_tri_pts` with run_all=False, `_nearest_tri_edge`): the nearest mesh vertex, the
 * triangles around it, the first of those (in triangle order) holding the point's projection with
 * the smallest plane distance, else the nearest point on their edges. The result is the
 * interpolation weights on that triangle's corners. Exactness matters: the sparse morph keeps the
 * corner with the largest weight, and a tie broken differently would name another vertex.
 */
import type { Matrix } from '../linalg/matrix.js';

/** A unit-sphere mesh with what the projection needs per triangle (MNE's tri_geom). */
export interface SphereMesh {
  /** Unit vertex positions, row-major n × 3. */
  rr: Float64Array;
  tris: Int32Array;
  /** Triangles around each vertex, ascending (MNE's `_triangle_neighbors`). */
  neighbours: Int32Array[];
}

/** Normalises the rows of `rr` (a zero row stays zero, as MNE's `_normalize_vectors`). */
export function unitRows(rr: Matrix): Float64Array {
  const n = rr.rows, out = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const x = rr.get(i, 0), y = rr.get(i, 1), z = rr.get(i, 2);
    const s = Math.sqrt(x * x + y * y + z * z);
    const d = s > 0 ? s : 1;
    out[3 * i] = x / d; out[3 * i + 1] = y / d; out[3 * i + 2] = z / d;
  }
  return out;
}

export function sphereMesh(rr: Matrix, tris: Int32Array): SphereMesh {
  const lists: number[][] = Array.from({ length: rr.rows }, () => []);
  for (let t = 0; t < tris.length / 3; t++) for (let c = 0; c < 3; c++) lists[tris[3 * t + c]].push(t);
  return { rr: unitRows(rr), tris, neighbours: lists.map((l) => Int32Array.from(l)) };
}

function nearestVertex(mesh: SphereMesh, p: ArrayLike<number>): number {
  let best = 0, bestD = Infinity;
  for (let i = 0; i < mesh.rr.length / 3; i++) {
    const dx = mesh.rr[3 * i] - p[0], dy = mesh.rr[3 * i + 1] - p[1], dz = mesh.rr[3 * i + 2] - p[2];
    const d = dx * dx + dy * dy + dz * dz;
    if (d < bestD) { bestD = d; best = i; }
  }
  return best;
}

interface TriGeom { a: number; b: number; c: number; p: number; q: number; dist: number }

/** MNE's per-triangle quantities and the point's (p, q) in the triangle's frame and plane distance. */
function triGeom(mesh: SphereMesh, t: number, x: ArrayLike<number>): TriGeom {
  const v = (k: number, c: number) => mesh.rr[3 * mesh.tris[3 * t + k] + c];
  const r12 = [0, 1, 2].map((c) => v(1, c) - v(0, c)), r13 = [0, 1, 2].map((c) => v(2, c) - v(0, c));
  const dr = [0, 1, 2].map((c) => x[c] - v(0, c));
  const a = r12[0] * r12[0] + r12[1] * r12[1] + r12[2] * r12[2];
  const b = r13[0] * r13[0] + r13[1] * r13[1] + r13[2] * r13[2];
  const c = r12[0] * r13[0] + r12[1] * r13[1] + r12[2] * r13[2];
  let norm = a * b - c * c;
  if (norm === 0) norm = 1;
  const nn = [r12[1] * r13[2] - r12[2] * r13[1], r12[2] * r13[0] - r12[0] * r13[2], r12[0] * r13[1] - r12[1] * r13[0]];
  const len = Math.sqrt(nn[0] * nn[0] + nn[1] * nn[1] + nn[2] * nn[2]);
  if (len > 0) for (let k = 0; k < 3; k++) nn[k] /= len;
  const u = r12[0] * dr[0] + r12[1] * dr[1] + r12[2] * dr[2], w = r13[0] * dr[0] + r13[1] * dr[1] + r13[2] * dr[2];
  return { a, b, c, p: (b / norm) * u + (-c / norm) * w, q: (-c / norm) * u + (a / norm) * w, dist: dr[0] * nn[0] + dr[1] * nn[1] + dr[2] * nn[2] };
}

/** MNE's `_get_tri_dist` (its cross term has weight c, not 2c: kept, it decides ties between edges). */
function edgeDist(g: TriGeom, p0: number, q0: number): number {
  const p1 = g.p - p0, q1 = g.q - q0;
  return Math.sqrt(p1 * p1 * g.a + q1 * q1 * g.b + p1 * q1 * g.c + g.dist * g.dist);
}

const clamp01 = (x: number) => Math.min(Math.max(x, 0), 1);

/** The triangle of `mesh` a unit point falls in and its corner weights (1 − p − q, p, q). */
export function projectOnMesh(mesh: SphereMesh, x: ArrayLike<number>): { tri: number; weights: [number, number, number] } {
  const cands = mesh.neighbours[nearestVertex(mesh, x)];
  const geoms = Array.from(cands, (t) => triGeom(mesh, t, x));
  let found = -1, p = 0, q = 1, dist = Infinity;
  geoms.forEach((g, k) => {
    if (g.p >= 0 && g.q >= 0 && g.p <= 1 && g.q <= 1 && g.p + g.q < 1 && Math.abs(g.dist) < Math.abs(dist)) {
      found = k; p = g.p; q = g.q; dist = g.dist;
    }
  });
  if (found >= 0) return { tri: cands[found], weights: [1 - p - q, p, q] };
  // Outside every triangle around the nearest vertex: the nearest point on their edges, sides
  // 1→2 of all triangles first, then 2→3, then 1→3 (the order of MNE's argmin over the concatenation).
  const sides = [
    (g: TriGeom) => [clamp01(g.p + (0.5 * (g.q * g.c)) / g.a), 0],
    (g: TriGeom) => { const t = clamp01((0.5 * ((2 * g.a - g.c) * (1 - g.p) + (2 * g.b - g.c) * g.q)) / (g.a + g.b - g.c)); return [1 - t, t]; },
    (g: TriGeom) => [0, clamp01(g.q + (0.5 * (g.p * g.c)) / g.b)],
  ];
  let best = Infinity, tri = cands[0];
  for (const side of sides) {
    geoms.forEach((g, k) => {
      const [p0, q0] = side(g);
      const d = Math.abs(edgeDist(g, p0, q0));
      if (d < best) { best = d; tri = cands[k]; p = p0; q = q0; }
    });
  }
  return { tri, weights: [1 - p - q, p, q] };
}
