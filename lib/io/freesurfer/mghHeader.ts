/**
 * The MGH header (FreeSurfer's volume format; MGZ is it gzipped): 284 big-endian bytes giving the
 * grid, the voxel type and the voxel-to-RAS geometry, followed by the voxels (x fastest) and an
 * optional trailer (scan parameters, tags). Parsed and checked before any voxel is read, so the
 * size of the voxel data is known from the header alone.
 */
import { FreeSurferError } from '../../errors.js';

export const MGH_HEADER_BYTES = 284;
/** More than any volume mxne draws (a 1 mm 256³ float volume is 64 MiB); refused above that. */
export const MGH_MAX_VOXEL_BYTES = 2 ** 30;

export type MghType = 'uint8' | 'int32' | 'float32' | 'int16';
const TYPES: Record<number, { type: MghType; bytes: number }> = { 0: { type: 'uint8', bytes: 1 }, 1: { type: 'int32', bytes: 4 }, 3: { type: 'float32', bytes: 4 }, 4: { type: 'int16', bytes: 2 } };
export const MGH_TYPE_CODE: Record<MghType, number> = { uint8: 0, int32: 1, float32: 3, int16: 4 };

export interface MghHeader {
  dims: [number, number, number];
  frames: number;
  type: MghType;
  bytesPerVoxel: number;
  /** mm per voxel along the three voxel axes. */
  voxelSize: [number, number, number];
  /** Direction cosines of the voxel axes, column k = axis k in RAS (3 × 3, row-major). */
  mdc: number[];
  /** RAS of the volume's centre (scanner coordinates). */
  cRas: [number, number, number];
}

/** Parses the 284 header bytes of `file`; a FreeSurferError names the field that is impossible. */
export function parseMghHeader(file: string, b: Buffer): MghHeader {
  if (b.length < MGH_HEADER_BYTES) throw new FreeSurferError(file, 'header', 0, `expected a ${MGH_HEADER_BYTES}-byte MGH header but the data has ${b.length} bytes`);
  const version = b.readInt32BE(0);
  if (version !== 1) throw new FreeSurferError(file, 'version', 0, `expected MGH version 1 but found ${version}`);
  const dims = [b.readInt32BE(4), b.readInt32BE(8), b.readInt32BE(12)] as [number, number, number];
  dims.forEach((d, k) => {
    if (d < 1) throw new FreeSurferError(file, 'dims', 4 + 4 * k, `expected positive dimensions but found ${dims.join('×')}`);
  });
  const frames = b.readInt32BE(16);
  if (frames < 1) throw new FreeSurferError(file, 'nframes', 16, `expected at least one frame but found ${frames}`);
  const code = b.readInt32BE(20);
  const t = TYPES[code];
  if (t === undefined) throw new FreeSurferError(file, 'type', 20, `expected voxel type 0 (uchar), 1 (int), 3 (float) or 4 (short) but found ${code}`);
  const voxelBytes = dims[0] * dims[1] * dims[2] * frames * t.bytes;
  if (voxelBytes > MGH_MAX_VOXEL_BYTES) throw new FreeSurferError(file, 'dims', 4, `${dims.join('×')}×${frames} ${t.type} voxels are ${voxelBytes} bytes, more than the ${MGH_MAX_VOXEL_BYTES} mxne reads`);
  const goodRas = b.readInt16BE(28) === 1;
  // Without valid geometry FreeSurfer assumes 1 mm coronal (LIA) voxels centred at 0.
  let voxelSize: [number, number, number] = [1, 1, 1], mdc = [-1, 0, 0, 0, 0, 1, 0, -1, 0], cRas: [number, number, number] = [0, 0, 0];
  if (goodRas) {
    const f = (k: number) => b.readFloatBE(30 + 4 * k);
    voxelSize = [f(0), f(1), f(2)];
    if (!voxelSize.every((v) => Number.isFinite(v) && v > 0)) throw new FreeSurferError(file, 'delta', 30, `expected positive voxel sizes but found ${voxelSize.join(', ')}`);
    // On disk: x_r x_a x_s y_r … (axis by axis); stored here as columns.
    const onDisk = Array.from({ length: 9 }, (_, k) => f(3 + k));
    mdc = [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => onDisk[3 * c + r]));
    cRas = [f(12), f(13), f(14)];
    if (![...mdc, ...cRas].every(Number.isFinite)) throw new FreeSurferError(file, 'Mdc', 42, 'expected finite direction cosines and centre');
  }
  return { dims, frames, type: t.type, bytesPerVoxel: t.bytes, voxelSize, mdc, cRas };
}

/** Bytes of voxel data the header announces. */
export function mghVoxelBytes(h: MghHeader): number {
  return h.dims[0] * h.dims[1] * h.dims[2] * h.frames * h.bytesPerVoxel;
}

/**
 * Voxel (i, j, k) → RAS in mm, as a row-major 4 × 4 affine. `tkr: true` gives FreeSurfer's
 * surface RAS ("tkregister" space, the MRI coordinates of surfaces and MNE's MRI frame): the
 * same axes with the centre at 0.
 */
export function mghVox2Ras(h: MghHeader, tkr: boolean): number[] {
  const m = [0, 1, 2].map((r) => [0, 1, 2].map((c) => h.mdc[3 * r + c] * h.voxelSize[c]));
  const centre = tkr ? [0, 0, 0] : h.cRas;
  const t = [0, 1, 2].map((r) => centre[r] - (m[r][0] * h.dims[0] + m[r][1] * h.dims[1] + m[r][2] * h.dims[2]) / 2);
  return [...m[0], t[0], ...m[1], t[1], ...m[2], t[2], 0, 0, 0, 1];
}
