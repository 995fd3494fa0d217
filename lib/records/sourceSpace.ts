/** A source space, as one element of MNE's `SourceSpaces`. Positions are in `coordFrame` (metres). */
import type { Matrix } from '../linalg/matrix.js';

export interface SourceSpace {
  type: 'surf' | 'vol' | 'discrete';
  /** FIFFV_MNE_SURF_LEFT_HEMI (101), FIFFV_MNE_SURF_RIGHT_HEMI (102), or unknown (-1). */
  id: number;
  coordFrame: number;
  np: number;
  /** np × 3 vertex positions and unit normals. */
  rr: Matrix;
  nn: Matrix;
  /** 0/1 per vertex. */
  inuse: Int32Array;
  nuse: number;
  /** Used vertex numbers, ascending. */
  vertno: Int32Array;
  /** Triangles as vertex triplets (row-major, ntri × 3), or null. */
  tris: Int32Array | null;
  ntri: number;
  useTris: Int32Array | null;
  nuseTri: number;
  /** Patch information (for use_cps): nearest used vertex of every vertex, and its distance. */
  nearest: Int32Array | null;
  nearestDist: Float64Array | null;
  /** MNE's `pinfo`: per patch (ascending nearest vertex), the vertices whose nearest used vertex it is. */
  pinfo?: Int32Array[] | null;
  /** MNE's `patch_inds`: for each used vertex (vertno order), its index in `pinfo`. */
  patchInds?: Int32Array | null;
  /** Volume grid shape (volume spaces only). */
  shape: [number, number, number] | null;
  subjectHisId: string | null;
}
