/**
 * The sparse source estimate of MNE 1.3's `_make_sparse_stc` (return_as_dipoles=False): one row per
 * active source; loose/free orientations are combined to their norm per time, or kept as x, y, z
 * rows with `pickOri: 'vector'` (rotated back from the prepared basis, as MNE's `_make_stc`).
 */
import { InputError } from '../errors.js';
import { combineXyz } from '../inverse/combineXyz.js';
import { Matrix } from '../linalg/matrix.js';
import type { SourceEstimate } from '../records/sourceEstimate.js';
import type { PhysicalSolution } from './physicalSolution.js';
import type { SourceGeometry } from './sourceGeometry.js';

export interface SparseStcOptions {
  /** 'vector' keeps the three components (not with fixed orientation). @default null */
  pickOri?: 'vector' | null;
}

export function makeSparseStc(solution: PhysicalSolution, geometry: SourceGeometry, tmin: number, tstep: number,
  options: SparseStcOptions = {}): SourceEstimate {
  const { X, activeColumns, nOrient } = solution;
  const vector = (options.pickOri ?? null) === 'vector';
  if (vector && nOrient === 1) {
    throw new InputError('pickOri', 'null with a fixed-orientation forward', "'vector'");
  }
  const sources: number[] = [];
  for (let k = 0; k < activeColumns.length; k += nOrient) sources.push(Math.floor(activeColumns[k] / nOrient));
  const data = nOrient === 1 ? X.clone() : vector ? rotateToXyz(X, sources, geometry) : combineXyz(X);
  return {
    kind: geometry.kind,
    vector,
    vertices: verticesOf(sources, geometry),
    data,
    tmin,
    tstep,
    subject: geometry.subject,
  };
}

/** Active source indices (ascending, forward order) split into per-space vertex numbers. */
export function verticesOf(sources: ArrayLike<number>, geometry: SourceGeometry): Int32Array[] {
  const out: Int32Array[] = [];
  let offset = 0;
  for (const vertno of geometry.vertices) {
    const mine: number[] = [];
    for (let k = 0; k < sources.length; k++) {
      if (sources[k] >= offset && sources[k] < offset + vertno.length) mine.push(vertno[sources[k] - offset]);
    }
    out.push(Int32Array.from(mine));
    offset += vertno.length;
  }
  return out;
}

/** Rows 3i..3i+2 become N_iᵀ X_i: head x, y, z (an identity for a free x, y, z forward). */
function rotateToXyz(X: Matrix, sources: number[], geometry: SourceGeometry): Matrix {
  const out = new Matrix(X.rows, X.cols);
  const nn = geometry.sourceNn;
  sources.forEach((src, i) => {
    for (let t = 0; t < X.cols; t++) {
      for (let d = 0; d < 3; d++) {
        let v = 0;
        for (let c = 0; c < 3; c++) v += nn.get(3 * src + c, d) * X.get(3 * i + c, t);
        out.set(3 * i + d, t, v);
      }
    }
  });
  return out;
}
