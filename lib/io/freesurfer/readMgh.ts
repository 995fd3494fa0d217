/**
 * Reading FreeSurfer MGH volumes and MGZ (gzipped MGH) as `MghVolume`. MGZ is inflated as a
 * stream under the same discipline as gzipped FIF (lib/io/fiff/inflate.ts): the header is checked
 * as soon as its 284 bytes arrive, and inflation stops once the data runs past what the header
 * announces (voxels plus a bounded trailer), so a gzip bomb costs kilobytes, not gigabytes.
 */
import * as zlib from 'node:zlib';
import { FreeSurferError } from '../../errors.js';
import { readInputFile } from '../readInputFile.js';
import { MGH_HEADER_BYTES, mghVox2Ras, mghVoxelBytes, parseMghHeader, type MghHeader } from './mghHeader.js';

/** Scan parameters and tags after the voxels (FreeSurfer writes a few kB at most). */
const MAX_TRAILER_BYTES = 1 << 20;

export interface MghVolume {
  header: MghHeader;
  /** Voxels as float64, index i + dims[0]·(j + dims[1]·(k + dims[2]·frame)). */
  data: Float64Array;
  /** Voxel → scanner RAS (mm), row-major 4 × 4. */
  vox2ras: number[];
  /** Voxel → surface RAS (mm; MNE's MRI frame in mm), row-major 4 × 4. */
  vox2rasTkr: number[];
}

function isGzip(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Inflates `gz`, checking the MGH header on the way; never holds more than header + voxels + trailer. */
function inflateMgh(file: string, gz: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const z = zlib.createGunzip();
    const chunks: Buffer[] = [];
    let length = 0, limit = Infinity, settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      z.destroy();
      reject(e instanceof FreeSurferError ? e : new FreeSurferError(file, 'gzip', 0, `expected gzip-compressed MGH data (${(e as Error).message})`));
    };
    z.on('data', (c: Buffer) => {
      chunks.push(c);
      length += c.length;
      try {
        if (limit === Infinity && length >= MGH_HEADER_BYTES) {
          limit = MGH_HEADER_BYTES + mghVoxelBytes(parseMghHeader(file, Buffer.concat(chunks, length).subarray(0, MGH_HEADER_BYTES))) + MAX_TRAILER_BYTES;
        }
        if (length > limit) throw new FreeSurferError(file, 'trailer', limit, `expected the data to end within ${MAX_TRAILER_BYTES} bytes after the voxels the header announces`);
      } catch (e) { fail(e); }
    });
    z.on('error', fail);
    z.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, length));
    });
    z.end(gz);
  });
}

/** Decodes the voxels of an inflated MGH buffer whose header has been parsed. */
export function decodeMgh(file: string, b: Buffer, header: MghHeader): MghVolume {
  const n = mghVoxelBytes(header) / header.bytesPerVoxel;
  const need = MGH_HEADER_BYTES + n * header.bytesPerVoxel;
  if (b.length < need) throw new FreeSurferError(file, 'data', b.length, `expected ${n} ${header.type} voxels (${need} bytes with the header) but the data ends at ${b.length}`);
  const data = new Float64Array(n);
  const read = { uint8: (o: number) => b[o], int16: (o: number) => b.readInt16BE(o), int32: (o: number) => b.readInt32BE(o), float32: (o: number) => b.readFloatBE(o) }[header.type];
  for (let i = 0, o = MGH_HEADER_BYTES; i < n; i++, o += header.bytesPerVoxel) data[i] = read(o);
  return { header, data, vox2ras: mghVox2Ras(header, false), vox2rasTkr: mghVox2Ras(header, true) };
}

/** Decodes the bytes of an .mgh or .mgz file (gzip is recognised by its magic bytes, not the name). */
export async function mghFromBuffer(file: string, raw: Buffer): Promise<MghVolume> {
  const b = isGzip(raw) ? await inflateMgh(file, raw) : raw;
  return decodeMgh(file, b, parseMghHeader(file, b));
}

/** Reads an .mgh or .mgz file. */
export async function readMgh(file: string, field = file): Promise<MghVolume> {
  return mghFromBuffer(file, await readInputFile(file, field));
}
