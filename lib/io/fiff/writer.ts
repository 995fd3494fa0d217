/**
 * A FIF writer with MNE's primitives (mne/io/write.py): each method appends one tag (or a block
 * start/end) to an in-memory file; `finish()` ends the file as MNE does (a NOP tag whose `next`
 * is -1) and returns the bytes, to be written with atomicWrite. Like MNE-Python, no tag directory
 * is written by default (FIFF_DIR_POINTER = -1), so readers scan the tags sequentially;
 * `finish({ directory: true })` adds one at the end, as MNE-C does.
 *
 * Matrices are given in C (row-major) order with their C shape, as numpy would write them. An
 * mxne `Matrix` (column-major) is the C-order data of its transpose: `floatMatrix(kind, m.cols,
 * m.rows, m.data)` writes mᵀ without any copy, which is how MNE stores gains (sources × channels).
 */
import { InputError } from '../../errors.js';
import type { ChannelInfo, Transform } from '../../records/info.js';
import { FIFF } from './constants.js';
import type { FiffId } from './structs.js';
import type { SparseMatrix } from './matrixTag.js';

const HEADER = 16;
const MAX_FILE = 2 ** 31;

function be(values: ArrayLike<number>, width: 4 | 8, kind: 'i' | 'f'): Buffer {
  const ab = new ArrayBuffer(values.length * width);
  if (width === 8) new Float64Array(ab).set(values);
  else if (kind === 'f') new Float32Array(ab).set(values);
  else new Int32Array(ab).set(values);
  const b = Buffer.from(ab);
  return width === 4 ? b.swap32() : b.swap64();
}

function scalarOrList(v: number | ArrayLike<number>): ArrayLike<number> {
  return typeof v === 'number' ? [v] : v;
}

export class FiffWriter {
  private readonly chunks: Buffer[] = [];
  /** kind, type, size, pos of every tag written: the directory, if one is asked for. */
  private readonly entries: number[] = [];
  private length = 0;

  /** Starts a file: FIFF_FILE_ID, FIFF_DIR_POINTER -1, FIFF_FREE_LIST -1 (MNE's `start_file`). */
  constructor(fileId: FiffId = newFileId()) {
    this.id(FIFF.FIFF_FILE_ID, fileId);
    this.int(FIFF.FIFF_DIR_POINTER, -1);
    this.int(FIFF.FIFF_FREE_LIST, -1);
  }

  /** Bytes written so far (the offset the next tag will have). */
  get position(): number { return this.length; }

  /** One tag: header (kind, type, size, next = 0) then the data, given as one or more pieces (not copied). */
  tag(kind: number, type: number, ...data: Buffer[]): this {
    const size = data.reduce((s, b) => s + b.length, 0);
    const h = Buffer.alloc(HEADER);
    h.writeInt32BE(kind, 0);
    h.writeUInt32BE(type >>> 0, 4);
    h.writeInt32BE(size, 8);
    h.writeInt32BE(FIFF.FIFFV_NEXT_SEQ, 12);
    if (this.length + HEADER + size >= MAX_FILE) throw new InputError('FIF file', 'less than 2 GiB (FIF offsets are 32-bit)', `${this.length + HEADER + size} bytes`);
    this.chunks.push(h, ...data);
    this.entries.push(kind, type | 0, size, this.length);
    this.length += HEADER + size;
    return this;
  }

  startBlock(block: number): this { return this.int(FIFF.FIFF_BLOCK_START, block); }
  endBlock(block: number): this { return this.int(FIFF.FIFF_BLOCK_END, block); }

  int(kind: number, v: number | ArrayLike<number>): this { return this.tag(kind, FIFF.FIFFT_INT, be(scalarOrList(v), 4, 'i')); }
  float(kind: number, v: number | ArrayLike<number>): this { return this.tag(kind, FIFF.FIFFT_FLOAT, be(scalarOrList(v), 4, 'f')); }
  double(kind: number, v: number | ArrayLike<number>): this { return this.tag(kind, FIFF.FIFFT_DOUBLE, be(scalarOrList(v), 8, 'f')); }

  /** A latin1 string; MNE writes nothing for an empty string, and neither does this. */
  string(kind: number, s: string): this {
    return s.length === 0 ? this : this.tag(kind, FIFF.FIFFT_STRING, Buffer.from(s, 'latin1'));
  }

  nameList(kind: number, names: readonly string[]): this { return this.string(kind, names.join(':')); }

  id(kind: number, id: FiffId = newFileId()): this {
    return this.tag(kind, FIFF.FIFFT_ID_STRUCT, be([id.version, id.machid[0], id.machid[1], id.secs, id.usecs], 4, 'i'));
  }

  private matrix(kind: number, base: number, dims: number[], values: ArrayLike<number>, width: 4 | 8, k: 'i' | 'f'): this {
    const n = dims.reduce((a, b) => a * b, 1);
    if (values.length !== n) throw new InputError(`matrix tag ${kind}`, `${n} values for dims [${dims.join(', ')}]`, `${values.length}`);
    const tail = be([...dims.slice().reverse(), dims.length], 4, 'i');
    return this.tag(kind, FIFF.FIFFT_MATRIX | base, be(values, width, k), tail);
  }

  /** float32 matrix, C-order values (MNE's `write_float_matrix`). */
  floatMatrix(kind: number, rows: number, cols: number, cOrder: ArrayLike<number>): this { return this.matrix(kind, FIFF.FIFFT_FLOAT, [rows, cols], cOrder, 4, 'f'); }
  doubleMatrix(kind: number, rows: number, cols: number, cOrder: ArrayLike<number>): this { return this.matrix(kind, FIFF.FIFFT_DOUBLE, [rows, cols], cOrder, 8, 'f'); }
  intMatrix(kind: number, rows: number, cols: number, cOrder: ArrayLike<number>): this { return this.matrix(kind, FIFF.FIFFT_INT, [rows, cols], cOrder, 4, 'i'); }

  /** float32 CCS/RCS sparse matrix (MNE's `write_float_sparse`): data, indices, pointers, [nnz, rows, cols, 2]. */
  floatSparse(kind: number, m: SparseMatrix): this {
    const coding = m.format === 'csc' ? 0x00100000 : 0x00200000;
    const nnz = m.data.length;
    return this.tag(kind, FIFF.FIFFT_MATRIX | coding | FIFF.FIFFT_FLOAT, be(m.data, 4, 'f'), be(m.indices, 4, 'i'), be(m.indptr, 4, 'i'), be([nnz, m.rows, m.cols, 2], 4, 'i'));
  }

  /** FIFF_COORD_TRANS: from, to, float32 rotation + translation, then the inverse (MNE's `write_coord_trans`). */
  coordTrans(t: Transform, kind: number = FIFF.FIFF_COORD_TRANS): this {
    const inv = rigidInverse(t.trans.data);
    const part = (m: ArrayLike<number>) => [0, 1, 2].flatMap((i) => [m[i], m[i + 4], m[i + 8]]).concat([m[12], m[13], m[14]]);
    return this.tag(kind, FIFF.FIFFT_COORD_TRANS_STRUCT, be([t.from, t.to], 4, 'i'), be(part(t.trans.data), 4, 'f'), be(part(inv), 4, 'f'));
  }

  /** FIFF_CH_INFO (96 bytes, MNE's `write_ch_info`); names are limited to 15 characters. */
  chInfo(ch: ChannelInfo, scanNo: number = ch.scanNo, range: number = ch.range): this {
    const name = Buffer.from(ch.name, 'utf8');
    if (name.length > 15) throw new InputError(`channel ${ch.name}`, 'a name of at most 15 bytes (FIF channel info)', `${name.length} bytes`);
    const b = Buffer.alloc(96);
    b.writeInt32BE(scanNo, 0); b.writeInt32BE(ch.logNo, 4); b.writeInt32BE(ch.kind, 8);
    b.writeFloatBE(range, 12); b.writeFloatBE(ch.cal, 16); b.writeInt32BE(ch.coilType, 20);
    for (let k = 0; k < 12; k++) b.writeFloatBE(ch.loc[k], 24 + 4 * k);
    b.writeInt32BE(ch.unit, 72); b.writeInt32BE(ch.unitMul, 76);
    name.copy(b, 80);
    return this.tag(FIFF.FIFF_CH_INFO, FIFF.FIFFT_CH_INFO_STRUCT, b);
  }

  /** MNE's `write_named_matrix`: a FIFFB_MNE_NAMED_MATRIX block with dims, names and float32 data. */
  namedMatrix(kind: number, rows: number, cols: number, cOrder: ArrayLike<number>, rowNames: readonly string[] = [], colNames: readonly string[] = []): this {
    this.startBlock(FIFF.FIFFB_MNE_NAMED_MATRIX).int(FIFF.FIFF_MNE_NROW, rows).int(FIFF.FIFF_MNE_NCOL, cols);
    if (rowNames.length > 0) this.nameList(FIFF.FIFF_MNE_ROW_NAMES, rowNames);
    if (colNames.length > 0) this.nameList(FIFF.FIFF_MNE_COL_NAMES, colNames);
    return this.floatMatrix(kind, rows, cols, cOrder).endBlock(FIFF.FIFFB_MNE_NAMED_MATRIX);
  }

  /**
   * Ends the file (a NOP tag with next = -1, MNE's `end_file`) and returns its bytes. With
   * `directory`, a FIFF_DIR tag listing every tag (and a terminating entry, which readers drop)
   * is written first and FIFF_DIR_POINTER points to it.
   */
  finish(options: { directory?: boolean } = {}): Buffer {
    let dirpos = -1;
    if (options.directory) {
      dirpos = this.length;
      const list = [...this.entries, FIFF.FIFF_DIR, FIFF.FIFFT_DIR_ENTRY_STRUCT, 16 * (this.entries.length / 4 + 2), dirpos, -1, -1, -1, -1];
      this.tag(FIFF.FIFF_DIR, FIFF.FIFFT_DIR_ENTRY_STRUCT, be(list, 4, 'i'));
    }
    const nop = Buffer.alloc(HEADER);
    nop.writeInt32BE(FIFF.FIFF_NOP, 0);
    nop.writeInt32BE(FIFF.FIFFV_NEXT_NONE, 12);
    const out = Buffer.concat([...this.chunks, nop]);
    // FIFF_DIR_POINTER is the second tag (after the 20-byte file id): its value sits at byte 52.
    out.writeInt32BE(dirpos, 2 * HEADER + 20);
    return out;
  }
}

/** A new file id: MNE's layout (version, machine id, seconds, microseconds). */
export function newFileId(now: number = Date.now()): FiffId {
  return { version: FIFF.FIFFC_VERSION, machid: [0, 0], secs: Math.floor(now / 1000), usecs: (now % 1000) * 1000 };
}

/** Inverse of a rigid 4×4 (column-major data): Rᵀ and −Rᵀt. */
function rigidInverse(m: ArrayLike<number>): Float64Array {
  const out = new Float64Array(16);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out[i + 4 * j] = m[j + 4 * i];
    out[i + 12] = -(m[4 * i] * m[12] + m[1 + 4 * i] * m[13] + m[2 + 4 * i] * m[14]);
  }
  out[15] = 1;
  return out;
}
