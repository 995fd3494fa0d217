/**
 * Decoding tag data, as MNE's `read_tag`. Big-endian arrays are byte-swapped in one bulk copy
 * (Buffer.swap32/swap64) and viewed as typed arrays: no per-element objects, float32 widened to
 * float64 exactly. Every decoder checks the tag's stated sizes against its bytes first.
 */
import { FIFF } from './constants.js';
import type { DirEntry, FiffFile } from './fiffFile.js';

const HEADER = 16;

/** Where a tag's data lives, after re-reading and checking its header. */
export function tagData(f: FiffFile, e: DirEntry): { pos: number; size: number; type: number } {
  const h = f.header(e.pos, e.kind);
  return { pos: h.pos + HEADER, size: h.size, type: h.type };
}

const WIDTH: Record<number, number> = {
  [FIFF.FIFFT_BYTE]: 1, [FIFF.FIFFT_SHORT]: 2, [FIFF.FIFFT_INT]: 4, [FIFF.FIFFT_FLOAT]: 4,
  [FIFF.FIFFT_DOUBLE]: 8, [FIFF.FIFFT_JULIAN]: 4, [FIFF.FIFFT_USHORT]: 2, [FIFF.FIFFT_UINT]: 4,
  [FIFF.FIFFT_DAU_PACK16]: 2,
};

function scalarAt(buf: Buffer, type: number, o: number): number {
  switch (type) {
    case FIFF.FIFFT_BYTE: return buf.readUInt8(o);
    case FIFF.FIFFT_SHORT: case FIFF.FIFFT_DAU_PACK16: return buf.readInt16BE(o);
    case FIFF.FIFFT_USHORT: return buf.readUInt16BE(o);
    case FIFF.FIFFT_UINT: return buf.readUInt32BE(o);
    case FIFF.FIFFT_FLOAT: return buf.readFloatBE(o);
    case FIFF.FIFFT_DOUBLE: return buf.readDoubleBE(o);
    default: return buf.readInt32BE(o);
  }
}

/** The first value of a numeric tag (MNE's `int(tag.data)` / `float(tag.data)`). */
export function tagNumber(f: FiffFile, e: DirEntry): number {
  const d = tagData(f, e);
  const w = WIDTH[d.type];
  if (w === undefined || d.size < w) f.fail(e.pos, e.kind, `expected a numeric tag with at least one value (type ${d.type}, ${d.size} bytes)`);
  return scalarAt(f.buf, d.type, d.pos);
}

export function tagInt(f: FiffFile, e: DirEntry): number {
  return Math.trunc(tagNumber(f, e));
}

/** A string tag, decoded as latin1 like MNE. */
export function tagString(f: FiffFile, e: DirEntry): string {
  const d = tagData(f, e);
  if (d.type !== FIFF.FIFFT_STRING) f.fail(e.pos, e.kind, `expected a string tag, found data type ${d.type}`);
  return f.buf.toString('latin1', d.pos, d.pos + d.size);
}

/** A bulk byte-swapped copy: host is little-endian (x86-64, arm64), FIF is big-endian. */
export function swappedCopy(buf: Buffer, pos: number, count: number, width: 4 | 8): ArrayBuffer {
  const ab = new ArrayBuffer(count * width);
  const c = Buffer.from(ab);
  buf.copy(c, 0, pos, pos + count * width);
  if (width === 4) c.swap32(); else c.swap64();
  return ab;
}

export function beFloat32(buf: Buffer, pos: number, count: number): Float32Array {
  return new Float32Array(swappedCopy(buf, pos, count, 4));
}

export function beFloat64(buf: Buffer, pos: number, count: number): Float64Array {
  return new Float64Array(swappedCopy(buf, pos, count, 8));
}

export function beInt32(buf: Buffer, pos: number, count: number): Int32Array {
  return new Int32Array(swappedCopy(buf, pos, count, 4));
}

/** A simple (non-matrix) int tag as Int32Array. */
export function tagInts(f: FiffFile, e: DirEntry): Int32Array {
  const d = tagData(f, e);
  if (d.type !== FIFF.FIFFT_INT) f.fail(e.pos, e.kind, `expected an int tag, found data type ${d.type}`);
  return beInt32(f.buf, d.pos, Math.floor(d.size / 4));
}

/** A simple (non-matrix) float or double tag as Float64Array. */
export function tagFloats(f: FiffFile, e: DirEntry): Float64Array {
  const d = tagData(f, e);
  if (d.type === FIFF.FIFFT_FLOAT) return Float64Array.from(beFloat32(f.buf, d.pos, Math.floor(d.size / 4)));
  if (d.type === FIFF.FIFFT_DOUBLE) return beFloat64(f.buf, d.pos, Math.floor(d.size / 8));
  return f.fail(e.pos, e.kind, `expected a float or double tag, found data type ${d.type}`);
}
