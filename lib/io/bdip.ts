/**
 * The Xfit binary dipole format (.bdip) as MNE 1.3 reads it (mne/dipole.py `_read_dipole_bdip`):
 * 196 big-endian bytes per row. Writing follows `_write_dipole_bdip` with no confidence limits
 * (sparse-solver dipoles have none): the error fields, χ² and noise estimates are zero. MNE 1.3's
 * own writer fails on such dipoles (`0.` has no `.shape`); MNE reads these files back.
 */
import { InputError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { Dipole } from '../records/dipole.js';
import { atomicWrite } from './atomicWrite.js';
import { dipoleTable, type DipoleTable } from './dipoleTable.js';
import { readInputFile } from './readInputFile.js';

const RECORD = 196;

export function encodeBdip(table: DipoleTable): Uint8Array {
  const n = table.times.length;
  const buf = new ArrayBuffer(RECORD * n);
  const view = new DataView(buf);
  for (let k = 0; k < n; k++) {
    const o = RECORD * k;
    // int dipole index = 0, begin, end = 0, r0 = 0 (bytes 0–23; the buffer starts zeroed)
    view.setFloat32(o + 4, table.times[k]);
    for (let c = 0; c < 3; c++) {
      view.setFloat32(o + 24 + 4 * c, table.pos.get(k, c));
      view.setFloat32(o + 36 + 4 * c, table.amplitude[k] * table.ori.get(k, c));
    }
    view.setFloat32(o + 48, table.gof[k] / 100);
    // has_errors = 0, noise level, 5 error limits, 5×5 ellipsoid, vol, khi2, prob, total noise: all 0
    if (table.khi2 !== null) view.setFloat32(o + 184, table.khi2[k]);
  }
  return new Uint8Array(buf);
}

export function decodeBdip(bytes: Uint8Array, file = '<buffer>'): DipoleTable {
  if (bytes.byteLength % RECORD !== 0) throw new InputError(file, `a multiple of ${RECORD} bytes`, `${bytes.byteLength}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / RECORD;
  const out: DipoleTable = {
    times: new Float64Array(n), pos: new Matrix(n, 3), amplitude: new Float64Array(n), ori: new Matrix(n, 3),
    gof: new Float64Array(n), name: null, khi2: new Float64Array(n), nfree: null,
  };
  for (let k = 0; k < n; k++) {
    const o = RECORD * k;
    out.times[k] = view.getFloat32(o + 4);
    const Q = [0, 1, 2].map((c) => view.getFloat32(o + 36 + 4 * c));
    // MNE: amplitude = ‖Q‖ (so a signed fixed-orientation amplitude comes back positive, ori flipped).
    const amp = Math.sqrt(Q[0] * Q[0] + Q[1] * Q[1] + Q[2] * Q[2]);
    out.amplitude[k] = amp;
    for (let c = 0; c < 3; c++) {
      out.pos.set(k, c, view.getFloat32(o + 24 + 4 * c));
      out.ori.set(k, c, Q[c] / amp);
    }
    out.gof[k] = 100 * view.getFloat32(o + 48);
    out.khi2![k] = view.getFloat32(o + 184);
  }
  return out;
}

/** Writes the dipoles' rows (one dipole after the other) as MNE's Dipole.save does for a .bdip path. */
export async function writeBdip(file: string, dipoles: Dipole | readonly Dipole[]): Promise<void> {
  await atomicWrite(file, encodeBdip(dipoleTable(dipoles)));
}

export async function readBdip(file: string): Promise<DipoleTable> {
  return decodeBdip(await readInputFile(file), file);
}
