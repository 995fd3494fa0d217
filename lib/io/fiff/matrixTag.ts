/**
 * Matrix tags (MNE's `_read_matrix`): dense float/double/int matrices with their dims stored at the
 * end of the tag (reversed, then ndim), and CCS/RCS sparse float matrices. Stated dims are checked
 * against the tag's bytes before anything is allocated.
 */
import { Matrix } from '../../linalg/matrix.js';
import { FIFF } from './constants.js';
import type { DirEntry, FiffFile } from './fiffFile.js';
import { beFloat32, beFloat64, beInt32, tagData, tagFloats, tagInts } from './tag.js';

/** Where a dense matrix's elements start, their base type, width and dims (C order, as numpy's shape). */
export interface DenseLayout {
  dims: number[];
  count: number;
  baseType: number;
  width: 4 | 8;
  pos: number;
}

const DENSE_WIDTH: Record<number, 4 | 8> = { [FIFF.FIFFT_INT]: 4, [FIFF.FIFFT_JULIAN]: 4, [FIFF.FIFFT_FLOAT]: 4, [FIFF.FIFFT_DOUBLE]: 8 };

export function denseLayout(f: FiffFile, e: DirEntry): DenseLayout {
  const d = tagData(f, e);
  if (d.type >>> 16 !== FIFF.FIFFTS_MC_DENSE) f.fail(e.pos, e.kind, `expected a dense matrix tag, found data type 0x${d.type.toString(16)}`);
  const baseType = d.type & 0xffff;
  const width = DENSE_WIDTH[baseType];
  if (width === undefined) f.fail(e.pos, e.kind, `expected a float, double or int matrix, found element type ${baseType}`);
  if (d.size < 4) f.fail(e.pos, e.kind, 'expected matrix dims at the end of the tag');
  const ndim = f.buf.readInt32BE(d.pos + d.size - 4);
  if (ndim < 1 || ndim > 3 || 4 * (ndim + 1) > d.size) f.fail(e.pos, e.kind, `expected 1 to 3 matrix dims fitting the tag, found ndim ${ndim}`);
  const dims: number[] = [];
  for (let k = ndim - 1; k >= 0; k--) dims.push(f.buf.readInt32BE(d.pos + d.size - 4 * (ndim + 1) + 4 * k));
  const count = dims.reduce((a, b) => a * b, 1);
  if (dims.some((x) => x < 0) || count * width + 4 * (ndim + 1) > d.size) {
    f.fail(e.pos, e.kind, `matrix dims [${dims.join(', ')}] need ${count * width + 4 * (ndim + 1)} bytes but the tag has ${d.size}`);
  }
  return { dims, count, baseType, width, pos: d.pos };
}

export interface DenseMatrix {
  /** C-order shape (rows first). */
  dims: number[];
  /** Elements in C (row-major) order, widened to float64. */
  data: Float64Array;
}

/** A dense float/double/int matrix tag, values widened to float64 (row-major). */
export function tagMatrix(f: FiffFile, e: DirEntry): DenseMatrix {
  const m = denseLayout(f, e);
  let data: Float64Array;
  if (m.baseType === FIFF.FIFFT_DOUBLE) data = beFloat64(f.buf, m.pos, m.count);
  else if (m.baseType === FIFF.FIFFT_FLOAT) data = Float64Array.from(beFloat32(f.buf, m.pos, m.count));
  else data = Float64Array.from(beInt32(f.buf, m.pos, m.count));
  return { dims: m.dims, data };
}

/**
 * A 2-D dense float/double/int matrix tag as a column-major Matrix (1-D: one column), widened and
 * transposed in one pass over the file's big-endian bytes: no byte-swapped copy, no row-major
 * intermediate. Values are exactly tagMatrix's (float32 and int32 widen to float64 exactly).
 */
export function tagColumnMajor(f: FiffFile, e: DirEntry): Matrix {
  const m = denseLayout(f, e);
  const [rows, cols] = expect2d(f, e, m.dims);
  const out = new Float64Array(rows * cols);
  const view = new DataView(f.buf.buffer, f.buf.byteOffset, f.buf.length);
  if (m.baseType === FIFF.FIFFT_DOUBLE) transposeDouble(view, m.pos, rows, cols, out);
  else if (m.baseType === FIFF.FIFFT_FLOAT) transposeFloat(view, m.pos, rows, cols, out);
  else transposeInt(view, m.pos, rows, cols, out);
  return new Matrix(rows, cols, out);
}

// One loop per element type, each monomorphic (DataView reads are big-endian by default).
function transposeFloat(v: DataView, pos: number, rows: number, cols: number, out: Float64Array): void {
  for (let i = 0, p = pos; i < rows; i++) for (let j = 0; j < cols; j++, p += 4) out[i + j * rows] = v.getFloat32(p);
}

function transposeDouble(v: DataView, pos: number, rows: number, cols: number, out: Float64Array): void {
  for (let i = 0, p = pos; i < rows; i++) for (let j = 0; j < cols; j++, p += 8) out[i + j * rows] = v.getFloat64(p);
}

function transposeInt(v: DataView, pos: number, rows: number, cols: number, out: Float64Array): void {
  for (let i = 0, p = pos; i < rows; i++) for (let j = 0; j < cols; j++, p += 4) out[i + j * rows] = v.getInt32(p);
}

/** A dense int matrix tag (triangles, selections) as Int32Array, row-major. */
export function tagIntMatrix(f: FiffFile, e: DirEntry): { dims: number[]; data: Int32Array } {
  const m = denseLayout(f, e);
  if (m.baseType !== FIFF.FIFFT_INT) f.fail(e.pos, e.kind, `expected an int matrix, found element type ${m.baseType}`);
  return { dims: m.dims, data: beInt32(f.buf, m.pos, m.count) };
}

/** Row-major rows × 2-D check: the shape MNE's readers index as data.shape[0], [1]. */
export function expect2d(f: FiffFile, e: DirEntry, dims: number[]): [number, number] {
  if (dims.length === 2) return [dims[0], dims[1]];
  if (dims.length === 1) return [dims[0], 1];
  return f.fail(e.pos, e.kind, `expected a 2-D matrix, found dims [${dims.join(', ')}]`);
}

export interface SparseMatrix {
  format: 'csc' | 'csr';
  rows: number;
  cols: number;
  /** Column (csc) or row (csr) pointers, length cols + 1 (csc) or rows + 1 (csr). */
  indptr: Int32Array;
  indices: Int32Array;
  data: Float64Array;
}

/** A CCS/RCS sparse float matrix tag (scipy csc/csr layout). */
export function tagSparse(f: FiffFile, e: DirEntry): SparseMatrix {
  const d = tagData(f, e);
  const coding = d.type >>> 16;
  if (coding !== FIFF.FIFFTS_MC_CCS && coding !== FIFF.FIFFTS_MC_RCS) f.fail(e.pos, e.kind, `expected a sparse matrix tag, found data type 0x${d.type.toString(16)}`);
  if (d.size < 16 || f.buf.readInt32BE(d.pos + d.size - 4) !== 2) f.fail(e.pos, e.kind, 'expected a 2-D sparse matrix with [nnz, rows, cols, 2] at the end');
  const end = d.pos + d.size - 16;
  const [nnz, rows, cols] = [f.buf.readInt32BE(end), f.buf.readInt32BE(end + 4), f.buf.readInt32BE(end + 8)];
  const format = coding === FIFF.FIFFTS_MC_CCS ? 'csc' : 'csr';
  const nptr = (format === 'csc' ? cols : rows) + 1;
  if (nnz < 0 || rows < 0 || cols < 0 || 4 * (2 * nnz + nptr) + 16 > d.size) {
    f.fail(e.pos, e.kind, `sparse matrix ${rows}x${cols} with ${nnz} non-zeros does not fit the tag's ${d.size} bytes`);
  }
  const data = Float64Array.from(beFloat32(f.buf, d.pos, nnz));
  const indices = beInt32(f.buf, d.pos + 4 * nnz, nnz);
  const indptr = beInt32(f.buf, d.pos + 8 * nnz, nptr);
  const bound = format === 'csc' ? rows : cols;
  let ok = indptr[0] === 0 && indptr[nptr - 1] === nnz;
  for (let k = 1; ok && k < nptr; k++) ok = indptr[k] >= indptr[k - 1];
  for (let k = 0; ok && k < nnz; k++) ok = indices[k] >= 0 && indices[k] < bound;
  if (!ok) f.fail(e.pos, e.kind, 'expected monotone sparse pointers ending at nnz and indices inside the matrix');
  return { format, rows, cols, indptr, indices, data };
}

/** Float values of a simple float/double tag or of a dense matrix tag, flattened (MNE returns either). */
export function tagFloatValues(f: FiffFile, e: DirEntry): Float64Array {
  return f.header(e.pos, e.kind).type >>> 16 === FIFF.FIFFTS_MC_DENSE ? tagMatrix(f, e).data : tagFloats(f, e);
}

/** Int values of a simple int tag or of a dense int matrix tag, flattened. */
export function tagIntValues(f: FiffFile, e: DirEntry): Int32Array {
  return f.header(e.pos, e.kind).type >>> 16 === FIFF.FIFFTS_MC_DENSE ? tagIntMatrix(f, e).data : tagInts(f, e);
}
