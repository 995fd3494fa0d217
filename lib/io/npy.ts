/**
 * NumPy .npy reading (format 1.0/2.0/3.0): the fixtures and MNE cross-checks exchange arrays this way.
 * Supports little-endian f8, f4, i8, i4 and u1/b1, C or Fortran order.
 */
import * as fs from 'node:fs';
import { InputError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';

export interface NpyArray {
  shape: number[];
  dtype: string;
  /** Values in C (row-major) order, widened to float64. */
  data: Float64Array;
}

const MAGIC = '\x93NUMPY';

export function parseNpy(buf: Buffer, file = '<buffer>'): NpyArray {
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== MAGIC) throw new InputError(file, 'a .npy file', 'no NUMPY magic');
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) throw new InputError(file, 'a .npy header', header.trim());
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const body = buf.subarray(start + headerLen);
  const size: Record<string, number> = { '<f8': 8, '<f4': 4, '<i8': 8, '<i4': 4, '|u1': 1, '|b1': 1 };
  const width = size[descr];
  if (width === undefined) throw new InputError(`${file} dtype`, 'one of <f8 <f4 <i8 <i4 |u1 |b1', descr);
  if (body.length < n * width) throw new InputError(file, `${n * width} data bytes`, `${body.length}`);
  const raw = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const o = k * width;
    switch (descr) {
      case '<f8': raw[k] = body.readDoubleLE(o); break;
      case '<f4': raw[k] = body.readFloatLE(o); break;
      case '<i8': raw[k] = Number(body.readBigInt64LE(o)); break;
      case '<i4': raw[k] = body.readInt32LE(o); break;
      default: raw[k] = body[o];
    }
  }
  return { shape, dtype: descr, data: fortran && shape.length > 1 ? fortranToC(raw, shape) : raw };
}

function fortranToC(raw: Float64Array, shape: number[]): Float64Array {
  if (shape.length !== 2) throw new InputError('npy', 'a 1-D or 2-D Fortran-order array', `${shape.length}-D`);
  const [r, c] = shape;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[i * c + j] = raw[i + j * r];
  return out;
}

export function readNpy(file: string): NpyArray {
  return parseNpy(fs.readFileSync(file), file);
}

/** A 2-D .npy as a Matrix (a 1-D array becomes a column). */
export function readNpyMatrix(file: string): Matrix {
  const a = readNpy(file);
  if (a.shape.length === 1) return new Matrix(a.shape[0], 1, a.data);
  if (a.shape.length !== 2) throw new InputError(file, 'a 1-D or 2-D array', `${a.shape.length}-D`);
  return Matrix.fromRowMajor(a.shape[0], a.shape[1], a.data);
}
