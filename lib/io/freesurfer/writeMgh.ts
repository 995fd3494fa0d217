/** Writing MGH / MGZ volumes (the demo's synthetic T1, and tests): header, voxels, no trailer. */
import * as zlib from 'node:zlib';
import { atomicWrite } from '../atomicWrite.js';
import { MGH_HEADER_BYTES, MGH_TYPE_CODE, type MghType } from './mghHeader.js';

export interface MghWriteInput {
  dims: [number, number, number];
  type: MghType;
  /** One frame, index i + dims[0]·(j + dims[1]·k). */
  data: ArrayLike<number>;
  voxelSize: [number, number, number];
  /** Direction cosines, column k = voxel axis k in RAS (row-major 3 × 3). */
  mdc: number[];
  cRas: [number, number, number];
}

export function encodeMgh(v: MghWriteInput): Buffer {
  const bytes = { uint8: 1, int16: 2, int32: 4, float32: 4 }[v.type];
  const b = Buffer.alloc(MGH_HEADER_BYTES + v.data.length * bytes);
  [1, ...v.dims, 1, MGH_TYPE_CODE[v.type], 0].forEach((x, k) => b.writeInt32BE(x, 4 * k));
  b.writeInt16BE(1, 28);
  const onDisk = [0, 1, 2].flatMap((c) => [0, 1, 2].map((r) => v.mdc[3 * r + c]));
  [...v.voxelSize, ...onDisk, ...v.cRas].forEach((x, k) => b.writeFloatBE(x, 30 + 4 * k));
  const write = { uint8: (x: number, o: number) => b.writeUInt8(x, o), int16: (x: number, o: number) => b.writeInt16BE(x, o), int32: (x: number, o: number) => b.writeInt32BE(x, o), float32: (x: number, o: number) => b.writeFloatBE(x, o) }[v.type];
  for (let i = 0; i < v.data.length; i++) write(v.data[i], MGH_HEADER_BYTES + i * bytes);
  return b;
}

/** Writes `file`; a name ending in .mgz is gzipped. */
export async function writeMgh(file: string, v: MghWriteInput): Promise<void> {
  const b = encodeMgh(v);
  await atomicWrite(file, file.endsWith('.mgz') ? zlib.gzipSync(b) : b);
}
