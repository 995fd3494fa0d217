/** Where the prepared gain's columns live: what dipoles and source estimates need from the forward. */
import { InputError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Forward } from '../records/forward.js';

export interface SourceGeometry {
  /** nsource × 3 source positions (m, head coordinates), forward order. */
  sourceRr: Matrix;
  /** (nsource·nOrient) × 3: orientation of every prepared gain column (MNE's `forward['source_nn']`
   *  after `_prepare_forward`). For surfOri, rows 3i, 3i+1 are the tangents and 3i+2 the normal. */
  sourceNn: Matrix;
  /** True when each 3-column block is (t1, t2, normal) and must be rotated back to x, y, z. */
  surfOri: boolean;
  /** Used vertex numbers per source space (lh, rh for surfaces; grid indices for a volume). */
  vertices: Int32Array[];
  kind: 'surface' | 'volume';
  subject: string | null;
}

/** The geometry of a prepared forward (the converted forward whose sourceNn matches its gain). */
export function sourceGeometry(fwd: Forward): SourceGeometry {
  const kinds = new Set(fwd.src.map((s) => s.type));
  if (kinds.size !== 1) throw new InputError('forward.src', 'a surface or a volume source space', [...kinds].join(' + '));
  return {
    sourceRr: fwd.sourceRr,
    sourceNn: fwd.sourceNn,
    surfOri: fwd.surfOri,
    vertices: fwd.src.map((s) => s.vertno),
    kind: fwd.src[0].type === 'surf' ? 'surface' : 'volume',
    subject: fwd.src[0].subjectHisId,
  };
}

/** Source space and vertex number of source i (forward order). */
export function locateSource(geometry: SourceGeometry, i: number): { space: number; vertno: number } {
  let offset = 0;
  for (let space = 0; space < geometry.vertices.length; space++) {
    const v = geometry.vertices[space];
    if (i < offset + v.length) return { space, vertno: v[i - offset] };
    offset += v.length;
  }
  throw new InputError('source index', `< ${offset}`, `${i}`);
}
