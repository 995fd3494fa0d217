/**
 * readForward: a -fwd.fif file as MNE's `read_forward_solution`: MEG and EEG solutions merged
 * (MEG rows first), source spaces transformed to the forward's frame, source_rr / source_nn.
 * The gain goes from the file's float32 (or float64) straight into one Float64Array: the file
 * stores it (nsource·nori) × nchan row-major, which is nchan × (nsource·nori) column-major.
 */
import { Matrix } from '../../linalg/matrix.js';
import { addon, callAsync } from '../../native.js';
import type { Forward } from '../../records/forward.js';
import type { Info, Transform } from '../../records/info.js';
import type { SourceSpace } from '../../records/sourceSpace.js';
import { FIFF } from './constants.js';
import { readExtendedChInfo } from './extendedChInfo.js';
import { openFiff, type FiffFile } from './fiffFile.js';
import { parseTurn } from '../../eventLoop.js';
import { requireBlock } from './fiffKind.js';
import { compGrade, invertTransform } from './info.js';
import { denseLayout, type DenseLayout } from './matrixTag.js';
import { readBads } from './proj.js';
import { readOneSourceSpace, sourceSpaceNodes } from './readSourceSpaces.js';
import { tagChInfo, tagCoordTrans } from './structs.js';
import { tagInt, tagString } from './tag.js';
import { findEntry, findNodes, requireEntry, type FiffNode } from './tree.js';
import { requireUniqueNames } from './uniqueNames.js';

interface OneForward {
  sourceOri: number;
  coordFrame: number;
  nsource: number;
  nchan: number;
  /** The gain as stored: `ncol` rows (file) of `nchan` values. */
  layout: DenseLayout;
  ncol: number;
  rowNames: string[];
  at: number;
}

function namedMatrixNode(f: FiffFile, node: FiffNode, kind: number): FiffNode {
  if (node.block === FIFF.FIFFB_MNE_NAMED_MATRIX) return node;
  const child = node.children.find((c) => c.block === FIFF.FIFFB_MNE_NAMED_MATRIX && findEntry(c, kind) !== null);
  return child ?? f.fail(node.pos, kind, 'expected the forward solution matrix (a named matrix block)');
}

function readOne(f: FiffFile, node: FiffNode): OneForward {
  const int = (kind: number, what: string) => tagInt(f, requireEntry(f, node, kind, what));
  const one = {
    sourceOri: int(FIFF.FIFF_MNE_SOURCE_ORIENTATION, 'the source orientation'),
    coordFrame: int(FIFF.FIFF_MNE_COORD_FRAME, 'the coordinate frame'),
    nsource: int(FIFF.FIFF_MNE_SOURCE_SPACE_NPOINTS, 'the number of sources'),
    nchan: int(FIFF.FIFF_NCHAN, 'the number of channels'),
  };
  const mat = namedMatrixNode(f, node, FIFF.FIFF_MNE_FORWARD_SOLUTION);
  const e = requireEntry(f, mat, FIFF.FIFF_MNE_FORWARD_SOLUTION, 'the forward solution matrix');
  const layout = denseLayout(f, e);
  if (layout.dims.length !== 2 || (layout.baseType !== FIFF.FIFFT_FLOAT && layout.baseType !== FIFF.FIFFT_DOUBLE)) {
    f.fail(e.pos, e.kind, `expected a 2-D float or double matrix, found type ${layout.baseType} with dims [${layout.dims.join(', ')}]`);
  }
  const [ncol, nrow] = layout.dims;
  for (const [kind, want] of [[FIFF.FIFF_MNE_NROW, ncol], [FIFF.FIFF_MNE_NCOL, nrow]]) {
    const t = findEntry(mat, kind);
    if (t !== null && tagInt(f, t) !== want) f.fail(t.pos, kind, `expected ${want} to match the matrix, found ${tagInt(f, t)}`);
  }
  const names = findEntry(mat, FIFF.FIFF_MNE_COL_NAMES);
  const rowNames = names === null ? [] : tagString(f, names).split(':');
  if (nrow !== one.nchan || (ncol !== one.nsource && ncol !== 3 * one.nsource)) {
    f.fail(e.pos, e.kind, `expected a ${one.nchan} x (${one.nsource} or ${3 * one.nsource}) gain, found ${nrow} x ${ncol}`);
  }
  if (rowNames.length !== 0 && rowNames.length !== nrow) f.fail(names?.pos ?? e.pos, FIFF.FIFF_MNE_COL_NAMES, `expected ${nrow} channel names, found ${rowNames.length}`);
  return { ...one, layout, ncol, rowNames, at: node.pos };
}

/**
 * MEG rows then EEG rows, widened to float64 straight from the file's big-endian bytes in the
 * native core (off the main thread, no temporary copy). A non-finite gain value is an error: it
 * would silently poison every whitened product downstream.
 */
async function mergeGain(f: FiffFile, parts: OneForward[]): Promise<Matrix> {
  const nchan = parts.reduce((s, p) => s + p.nchan, 0);
  const ncol = parts[0].ncol;
  // Not zeroed: the parts' rows cover all nchan rows, each written in full by the widening.
  const gain = Matrix.uninitialized(nchan, ncol);
  let rowOffset = 0;
  for (const p of parts) {
    const l = p.layout;
    const stats = new Float64Array(1);
    await callAsync(() => addon.widenBigEndianAsync(f.buf, l.pos, l.width, p.nchan, ncol, gain.data, nchan, rowOffset, stats));
    if (stats[0] > 0) f.fail(p.at, FIFF.FIFF_MNE_FORWARD_SOLUTION, `expected finite gain values, found ${stats[0]} NaN or infinite`);
    rowOffset += p.nchan;
  }
  return gain;
}

function mriHeadTransform(f: FiffFile, parentMri: FiffNode): Transform {
  const e = requireEntry(f, parentMri, FIFF.FIFF_COORD_TRANS, 'the MRI/head coordinate transformation');
  let t = tagCoordTrans(f, e);
  if (t.from !== FIFF.FIFFV_COORD_MRI || t.to !== FIFF.FIFFV_COORD_HEAD) t = invertTransform(t);
  if (t.from !== FIFF.FIFFV_COORD_MRI || t.to !== FIFF.FIFFV_COORD_HEAD) f.fail(e.pos, e.kind, `expected an MRI (5) to head (4) transform, found ${t.to} to ${t.from}`);
  return t;
}

/** MNE's `_read_forward_meas_info`: channels, bads and device→head transform of the parent measurement. */
function forwardInfo(f: FiffFile): Info {
  const meg = findNodes(f.tree, FIFF.FIFFB_MNE_PARENT_MEAS_FILE)[0] ?? f.fail(0, null, 'expected parent MEG information (FIFFB_MNE_PARENT_MEAS_FILE)');
  const chs = meg.directory.filter((e) => e.kind === FIFF.FIFF_CH_INFO).map((e) => tagChInfo(f, e));
  const rename = readExtendedChInfo(f, meg, chs);
  const chNames = chs.map((c) => c.name);
  const te = requireEntry(f, meg, FIFF.FIFF_COORD_TRANS, 'the MEG/head coordinate transformation');
  const t = tagCoordTrans(f, te);
  const devHeadT = t.from === FIFF.FIFFV_COORD_DEVICE && t.to === FIFF.FIFFV_COORD_HEAD ? t : null;
  if (devHeadT === null && !(t.from === FIFF.FIFFV_MNE_COORD_CTF_HEAD && t.to === FIFF.FIFFV_COORD_HEAD)) {
    f.fail(te.pos, te.kind, `expected a device (1) or CTF head (1004) to head (4) transform, found ${t.from} to ${t.to}`);
  }
  const bads = readBads(f, meg, rename).filter((b) => chNames.includes(b));
  // A forward file carries no sampling or filter information: MNE's Info leaves them unset.
  return { chs, chNames, nchan: chs.length, bads, projs: [], sfreq: NaN, highpass: NaN, lowpass: NaN, devHeadT, compGrade: compGrade(f, chs, meg.pos) };
}

/** MNE's `apply_trans` (rotation, plus translation for points) to every row of an n × 3 matrix. */
function applyTrans(t: Matrix, m: Matrix, move: boolean): Matrix {
  const n = m.rows, a = m.data, T = t.data;
  const out = new Matrix(n, 3);
  for (let r = 0; r < 3; r++) {
    // Row r of the 4 × 4 (column-major) transform; 0 added without translation, as MNE's expression.
    rotateInto(a, n, T[r], T[r + 4], T[r + 8], move ? T[r + 12] : 0, out.data, r * n);
  }
  return out;
}

function rotateInto(a: Float64Array, n: number, t0: number, t1: number, t2: number, t3: number, out: Float64Array, at: number): void {
  for (let i = 0; i < n; i++) out[at + i] = a[i] * t0 + a[i + n] * t1 + a[i + 2 * n] * t2 + t3;
}

function toFrame(f: FiffFile, s: SourceSpace, frame: number, mriHeadT: Transform): SourceSpace {
  if (s.coordFrame === frame) return s;
  let t: Transform = mriHeadT;
  if (s.coordFrame === FIFF.FIFFV_COORD_HEAD && frame === FIFF.FIFFV_COORD_MRI) t = invertTransform(mriHeadT);
  else if (!(s.coordFrame === FIFF.FIFFV_COORD_MRI && frame === FIFF.FIFFV_COORD_HEAD)) f.fail(0, FIFF.FIFF_MNE_COORD_FRAME, `cannot transform a source space from frame ${s.coordFrame} to ${frame}`);
  return { ...s, coordFrame: frame, rr: applyTrans(t.trans, s.rr, true), nn: applyTrans(t.trans, s.nn, false) };
}

export async function readForward(path: string): Promise<Forward> {
  return readForwardFrom(await openFiff(path));
}

/** readForward on an opened file. */
export async function readForwardFrom(f: FiffFile): Promise<Forward> {
  requireBlock(f, FIFF.FIFFB_MNE_FORWARD_SOLUTION, 'a forward solution (-fwd.fif)');
  const nodes = findNodes(f.tree, FIFF.FIFFB_MNE_FORWARD_SOLUTION);
  const parentMri = findNodes(f.tree, FIFF.FIFFB_MNE_PARENT_MRI_FILE)[0] ?? f.fail(0, null, 'expected parent MRI information (FIFFB_MNE_PARENT_MRI_FILE)');
  // One source space per turn of the event loop: each is ~10 ms of parsing (triangles, patches).
  const src0: SourceSpace[] = [];
  for (const node of sourceSpaceNodes(f)) {
    const s = readOneSourceSpace(f, node);
    src0.push({ ...s, id: hemiOf(s) });
    await parseTurn();
  }
  let meg: FiffNode | null = null;
  let eeg: FiffNode | null = null;
  for (const n of nodes) {
    const method = tagInt(f, requireEntry(f, n, FIFF.FIFF_MNE_INCLUDED_METHODS, 'the included methods (MEG or EEG)'));
    if (method === FIFF.FIFFV_MNE_MEG) meg = n;
    else if (method === FIFF.FIFFV_MNE_EEG) eeg = n;
  }
  const parts = [meg, eeg].filter((n): n is FiffNode => n !== null).map((n) => readOne(f, n));
  if (parts.length === 0) f.fail(nodes[0].pos, FIFF.FIFF_MNE_INCLUDED_METHODS, 'expected a MEG or an EEG forward solution');
  const a = parts[0];
  for (const b of parts.slice(1)) {
    if (b.ncol !== a.ncol || b.sourceOri !== a.sourceOri || b.nsource !== a.nsource || b.coordFrame !== a.coordFrame) f.fail(b.at, null, 'expected the MEG and EEG forward solutions to match');
  }
  const mriHeadT = mriHeadTransform(f, parentMri);
  const info = forwardInfo(f);
  if (a.coordFrame !== FIFF.FIFFV_COORD_MRI && a.coordFrame !== FIFF.FIFFV_COORD_HEAD) f.fail(a.at, FIFF.FIFF_MNE_COORD_FRAME, `expected a forward in MRI or head coordinates, found frame ${a.coordFrame}`);
  const src: SourceSpace[] = [];
  for (const s of src0) {
    src.push(toFrame(f, s, a.coordFrame, mriHeadT));
    await parseTurn();
  }
  const nuse = src.reduce((n, s) => n + s.nuse, 0);
  if (nuse !== a.nsource || src.some((s) => s.vertno.length !== s.nuse)) f.fail(a.at, null, `expected the source spaces to hold the forward's ${a.nsource} sources, found ${nuse}`);
  const chNames = parts.flatMap((p) => p.rowNames);
  requireUniqueNames(f, a.at, FIFF.FIFF_MNE_COL_NAMES, chNames, 'the forward solution');
  const fixed = a.sourceOri === FIFF.FIFFV_MNE_FIXED_ORI;
  // Source positions and normals while the gain is widened on the thread pool: done after it,
  // they would extend the main-thread stretch that its completion starts.
  const gain = mergeGain(f, parts);
  const sourceRr = pickVertices(src, (s) => s.rr);
  const sourceNn = fixed ? pickVertices(src, (s) => s.nn) : freeNormals(a.nsource);
  return {
    sol: await gain, chNames, info, src,
    sourceOri: fixed ? 1 : 2, surfOri: fixed, coordFrame: a.coordFrame, nsource: a.nsource, nchan: parts.reduce((s, p) => s + p.nchan, 0),
    sourceRr, sourceNn, mriHeadT,
  };
}

/** MNE's `find_source_space_hemi`: left when the x coordinates sum below zero. */
function hemiOf(s: SourceSpace): number {
  let x = 0;
  const rr = s.rr.data;
  for (let i = 0; i < s.np; i++) x += rr[i];
  return x < 0 ? FIFF.FIFFV_MNE_SURF_LEFT_HEMI : FIFF.FIFFV_MNE_SURF_RIGHT_HEMI;
}

/** The used vertices' rows of rr or nn, source space after source space. */
function pickVertices(src: SourceSpace[], field: (s: SourceSpace) => Matrix): Matrix {
  const n = src.reduce((k, s) => k + s.vertno.length, 0);
  const out = new Matrix(n, 3);
  let i = 0;
  for (const s of src) {
    const m = field(s);
    for (let c = 0; c < 3; c++) gatherRows(m.data, c * m.rows, s.vertno, out.data, c * n + i);
    i += s.vertno.length;
  }
  return out;
}

function gatherRows(from: Float64Array, at: number, rows: Int32Array, out: Float64Array, to: number): void {
  for (let k = 0; k < rows.length; k++) out[to + k] = from[at + rows[k]];
}

/** Free orientation: the x, y, z unit vectors for every source (MNE's kron(ones, eye(3))). */
export function freeNormals(nsource: number): Matrix {
  const n = 3 * nsource;
  const out = new Matrix(n, 3);
  for (let i = 0; i < n; i++) out.data[i + (i % 3) * n] = 1;
  return out;
}
