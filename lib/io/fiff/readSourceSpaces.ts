/** readSourceSpaces: the source spaces of a -src.fif / -fwd.fif file, as MNE's `read_source_spaces`. */
import { Matrix } from '../../linalg/matrix.js';
import type { SourceSpace } from '../../records/sourceSpace.js';
import { FIFF } from './constants.js';
import { openFiff, type DirEntry, type FiffFile } from './fiffFile.js';
import { expect2d, tagColumnMajor, tagFloatValues, tagIntMatrix, tagIntValues } from './matrixTag.js';
import { tagInt, tagString } from './tag.js';
import { findEntry, findNodes, requireEntry, type FiffNode } from './tree.js';
import { patchInfo } from './patchInfo.js';

const TYPES: Record<number, SourceSpace['type']> = {
  [FIFF.FIFFV_MNE_SPACE_SURFACE]: 'surf', [FIFF.FIFFV_MNE_SPACE_VOLUME]: 'vol', [FIFF.FIFFV_MNE_SPACE_DISCRETE]: 'discrete',
};

/** An np × 3 float matrix tag (positions, normals) as a column-major Matrix. */
function points(f: FiffFile, node: FiffNode, kind: number, np: number, what: string): Matrix {
  const e = requireEntry(f, node, kind, what);
  const m = tagColumnMajor(f, e);
  if (m.rows !== np || m.cols !== 3) f.fail(e.pos, kind, `expected ${np}x3 ${what}, found ${m.rows}x${m.cols}`);
  return m;
}

/** Triangles (1-based in the file) as 0-based row-major vertex triplets, checked against np. */
function triangles(f: FiffFile, node: FiffNode, kinds: number[], ntri: number, np: number): Int32Array {
  const e = kinds.map((k) => findEntry(node, k)).find((x) => x !== null) ?? requireEntry(f, node, kinds[0], 'the triangulation');
  const t = tagIntMatrix(f, e);
  const [r, c] = expect2d(f, e, t.dims);
  if (r !== ntri || c !== 3) f.fail(e.pos, e.kind, `expected ${ntri}x3 triangles, found ${r}x${c}`);
  return toZeroBased(f, e, t.data, np);
}

/** 1-based vertex numbers to 0-based, in place, each checked to lie in [1, np]. */
function toZeroBased(f: FiffFile, e: DirEntry, d: Int32Array, np: number): Int32Array {
  for (let k = 0; k < d.length; k++) {
    const v = d[k] - 1;
    if (v < 0 || v >= np) f.fail(e.pos, e.kind, `expected triangle vertices in [1, ${np}], found ${d[k]}`);
    d[k] = v;
  }
  return d;
}

function optionalInt(f: FiffFile, node: FiffNode, kind: number): number | null {
  const e = findEntry(node, kind);
  return e === null ? null : tagInt(f, e);
}

function selection(f: FiffFile, node: FiffNode, np: number): { nuse: number; inuse: Int32Array; vertno: Int32Array } {
  const nuse = optionalInt(f, node, FIFF.FIFF_MNE_SOURCE_SPACE_NUSE);
  if (nuse === null) return { nuse: 0, inuse: new Int32Array(0), vertno: new Int32Array(0) };
  const e = requireEntry(f, node, FIFF.FIFF_MNE_SOURCE_SPACE_SELECTION, 'the source selection (inuse)');
  const inuse = tagIntValues(f, e);
  if (inuse.length !== np) f.fail(e.pos, e.kind, `expected ${np} selection entries, found ${inuse.length}`);
  let n = 0;
  for (let k = 0; k < np; k++) if (inuse[k] !== 0) n++;
  const vertno = new Int32Array(n);
  for (let k = 0, j = 0; k < np; k++) if (inuse[k] !== 0) vertno[j++] = k;
  return { nuse, inuse, vertno };
}

function nearestInfo(f: FiffFile, node: FiffNode, np: number): { nearest: Int32Array | null; nearestDist: Float64Array | null } {
  const e1 = findEntry(node, FIFF.FIFF_MNE_SOURCE_SPACE_NEAREST);
  const e2 = findEntry(node, FIFF.FIFF_MNE_SOURCE_SPACE_NEAREST_DIST);
  if (e1 === null || e2 === null) return { nearest: null, nearestDist: null };
  const nearest = tagIntValues(f, e1);
  const nearestDist = tagFloatValues(f, e2);
  if (nearest.length !== np || nearestDist.length !== np) f.fail(e1.pos, e1.kind, `expected ${np} nearest entries and distances, found ${nearest.length} and ${nearestDist.length}`);
  for (const v of nearest) if (v < 0 || v >= np) f.fail(e1.pos, e1.kind, `expected nearest vertices in [0, ${np}), found ${v}`);
  return { nearest, nearestDist };
}

export function readOneSourceSpace(f: FiffFile, node: FiffNode): SourceSpace {
  const id = optionalInt(f, node, FIFF.FIFF_MNE_SOURCE_SPACE_ID) ?? FIFF.FIFFV_MNE_SURF_UNKNOWN;
  const typeCode = tagInt(f, requireEntry(f, node, FIFF.FIFF_MNE_SOURCE_SPACE_TYPE, 'the source space type'));
  const type = TYPES[typeCode];
  if (type === undefined) f.fail(node.pos, FIFF.FIFF_MNE_SOURCE_SPACE_TYPE, `expected source space type 1, 2 or 3, found ${typeCode}`);
  let shape: [number, number, number] | null = null;
  const dimsEntry = type === 'vol' ? findEntry(node, FIFF.FIFF_MNE_SOURCE_SPACE_VOXEL_DIMS) : null;
  if (dimsEntry !== null) {
    const d = tagIntValues(f, dimsEntry);
    if (d.length !== 3) f.fail(dimsEntry.pos, dimsEntry.kind, `expected 3 voxel dims, found ${d.length}`);
    shape = [d[0], d[1], d[2]];
  }
  const np = tagInt(f, requireEntry(f, node, FIFF.FIFF_MNE_SOURCE_SPACE_NPOINTS, 'the number of vertices'));
  const ntri = optionalInt(f, node, FIFF.FIFF_BEM_SURF_NTRI) ?? optionalInt(f, node, FIFF.FIFF_MNE_SOURCE_SPACE_NTRI) ?? 0;
  const coordFrame = tagInt(f, requireEntry(f, node, FIFF.FIFF_MNE_COORD_FRAME, 'the coordinate frame'));
  const rr = points(f, node, FIFF.FIFF_MNE_SOURCE_SPACE_POINTS, np, 'vertex positions');
  const nn = points(f, node, FIFF.FIFF_MNE_SOURCE_SPACE_NORMALS, np, 'vertex normals');
  const tris = ntri > 0 ? triangles(f, node, [FIFF.FIFF_BEM_SURF_TRIANGLES, FIFF.FIFF_MNE_SOURCE_SPACE_TRIANGLES], ntri, np) : null;
  const sel = selection(f, node, np);
  const nuseTriRaw = optionalInt(f, node, FIFF.FIFF_MNE_SOURCE_SPACE_NUSE_TRI);
  const hasUseTris = nuseTriRaw !== null && findEntry(node, FIFF.FIFF_MNE_SOURCE_SPACE_USE_TRIANGLES) !== null;
  const nuseTri = hasUseTris ? nuseTriRaw : 0;
  const useTris = hasUseTris ? triangles(f, node, [FIFF.FIFF_MNE_SOURCE_SPACE_USE_TRIANGLES], nuseTri, np) : null;
  const near = nearestInfo(f, node, np);
  const his = findEntry(node, FIFF.FIFF_SUBJ_HIS_ID);
  return {
    type, id, coordFrame, np, rr, nn, ...sel, tris, ntri: tris === null ? 0 : ntri, useTris, nuseTri, ...near,
    ...patchInfo(near.nearest, sel.vertno), shape, subjectHisId: his === null ? null : tagString(f, his),
  };
}

/** The source space blocks of a file (at least one). */
export function sourceSpaceNodes(f: FiffFile): FiffNode[] {
  const spaces = findNodes(f.tree, FIFF.FIFFB_MNE_SOURCE_SPACE);
  if (spaces.length === 0) f.fail(0, null, 'expected at least one source space block (FIFFB_MNE_SOURCE_SPACE)');
  return spaces;
}

export function readSourceSpacesFromTree(f: FiffFile): SourceSpace[] {
  return sourceSpaceNodes(f).map((s) => readOneSourceSpace(f, s));
}

export async function readSourceSpaces(path: string): Promise<SourceSpace[]> {
  return readSourceSpacesFromTree(await openFiff(path));
}
