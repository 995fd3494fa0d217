/**
 * MNE's sparse source morph (`compute_source_morph(..., sparse=True)`, mne/morph.py
 * `_compute_sparse_morph`): each active vertex of the source subject goes to one vertex of the
 * target subject, the corner with the largest weight of the target `sphere.reg` triangle its own
 * `sphere.reg` position falls in (for a point inside a triangle, its nearest corner in the
 * triangle's frame); rows are then ordered by target vertex. No smoothing, no spreading: a
 * sparse estimate stays sparse, so dipoles of a cohort can be compared in one space.
 */
import * as path from 'node:path';
import { InputError } from '../errors.js';
import { readSurface } from '../io/freesurfer/surface.js';
import { Matrix } from '../linalg/matrix.js';
import type { SourceEstimate } from '../records/sourceEstimate.js';
import { projectOnMesh, sphereMesh, unitRows } from './nearestTriangle.js';

export interface SourceMorphOptions {
  /** Subject of the estimate. @default stc.subject */
  subjectFrom?: string;
  /** Subject to morph to, e.g. 'fsaverage'. */
  subjectTo: string;
  /** FreeSurfer SUBJECTS_DIR holding `<subject>/surf/?h.sphere.reg` for both subjects. */
  subjectsDir: string;
  /** Only the sparse morph is implemented (MNE's default, sparse=False, smooths over the surface). */
  sparse: true;
}

/** A computed sparse morph: for each hemisphere the target vertices and the source row behind each. */
export interface SourceMorph {
  subjectFrom: string;
  subjectTo: string;
  verticesFrom: Int32Array[];
  verticesTo: Int32Array[];
  /** Per hemisphere, rowsFrom[h][i] = row (within hemisphere h of the source) that becomes target row i. */
  rowsFrom: Int32Array[];
}

const HEMIS = ['lh', 'rh'] as const;

export async function computeSourceMorph(stc: SourceEstimate, opts: SourceMorphOptions): Promise<SourceMorph> {
  if (opts.sparse !== true) throw new InputError('sparse', 'true (only the sparse morph is implemented)', String(opts.sparse));
  if (stc.kind !== 'surface' || stc.vertices.length !== 2) throw new InputError('stc', 'a surface source estimate (lh and rh vertices)', `a ${stc.kind} estimate`);
  const subjectFrom = opts.subjectFrom ?? stc.subject;
  if (!subjectFrom) throw new InputError('subjectFrom', 'the subject of the estimate (the estimate names none)', String(subjectFrom));
  const sphere = (subject: string, hemi: string) => {
    const file = path.join(opts.subjectsDir, subject, 'surf', `${hemi}.sphere.reg`);
    return readSurface(file, `${subject === subjectFrom ? 'subjectFrom' : 'subjectTo'} ${hemi}.sphere.reg`);
  };
  const verticesTo: Int32Array[] = [], rowsFrom: Int32Array[] = [];
  for (const [h, hemi] of HEMIS.entries()) {
    const [from, to] = await Promise.all([sphere(subjectFrom, hemi), sphere(opts.subjectTo, hemi)]);
    const mesh = sphereMesh(to.rr, to.tris);
    const points = unitRows(from.rr);
    const target = Array.from(stc.vertices[h], (v) => {
      if (v < 0 || v >= from.rr.rows) throw new InputError('stc.vertices', `${hemi} vertices of ${subjectFrom} (0 … ${from.rr.rows - 1})`, String(v));
      const { tri, weights } = projectOnMesh(mesh, points.subarray(3 * v, 3 * v + 3));
      // The largest weight; on a tie the lowest vertex number (scipy's argmax over a sorted CSR row).
      const corners = [0, 1, 2].map((k) => ({ vertex: to.tris[3 * tri + k], w: weights[k] })).sort((x, y) => x.vertex - y.vertex);
      return corners.reduce((best, c) => (c.w > best.w ? c : best)).vertex;
    });
    // Ordered by target vertex as numpy's argsort; among sources sharing a target the order is
    // immaterial (applySourceMorph sums them), so a stable sort stands in for numpy's quicksort.
    const order = target.map((_, i) => i).sort((i, j) => target[i] - target[j] || i - j);
    rowsFrom.push(Int32Array.from(order));
    verticesTo.push(Int32Array.from(order, (i) => target[i]));
  }
  return { subjectFrom, subjectTo: opts.subjectTo, verticesFrom: stc.vertices.map((v) => Int32Array.from(v)), verticesTo, rowsFrom };
}

/**
 * The estimate on the target subject: rows reordered as the morph says, values unchanged. Two
 * source vertices can land on one target vertex (MNE 1.3 then builds an estimate with a repeated
 * vertex, which its own constructor refuses); their rows are summed into that vertex, as the
 * morph matrix's product would on the target's vertices.
 */
export function applySourceMorph(morph: SourceMorph, stc: SourceEstimate): SourceEstimate {
  stc.vertices.forEach((v, h) => {
    if (v.length !== morph.verticesFrom[h].length || v.some((x, i) => x !== morph.verticesFrom[h][i])) {
      throw new InputError('stc.vertices', `the ${HEMIS[h]} vertices the morph was computed for`, `${v.length} other vertices`);
    }
  });
  const per = stc.vector ? 3 : 1, T = stc.data.cols;
  const vertices = morph.verticesTo.map((v) => Int32Array.from(new Set(v)));
  const data = new Matrix(per * vertices.reduce((n, v) => n + v.length, 0), T);
  let offsetFrom = 0, offsetTo = 0;
  morph.rowsFrom.forEach((order, h) => {
    let row = -1;
    order.forEach((i, k) => {
      if (k === 0 || morph.verticesTo[h][k] !== morph.verticesTo[h][k - 1]) row++;
      for (let c = 0; c < per; c++) for (let t = 0; t < T; t++) data.data[per * (offsetTo + row) + c + t * data.rows] += stc.data.get(per * (offsetFrom + i) + c, t);
    });
    offsetFrom += order.length;
    offsetTo += vertices[h].length;
  });
  return { ...stc, vertices, data, subject: morph.subjectTo };
}
