/**
 * writeForward: a Forward as a -fwd.fif file, laid out as MNE's `write_forward_solution`: an MNE
 * block with the environment, the parent MRI block (MRI→head transform), the parent measurement
 * block (device→head transform, channels, bads), the source spaces in MRI coordinates, then one
 * forward solution block for MEG and one for EEG, each a named matrix of float32 stored
 * (sources·orientations) × channels. The gain goes from the Matrix straight into one big-endian
 * float32 buffer per block (no float64 copy), so forwards of tens of thousands of sources are cheap.
 */
import { atomicWrite } from '../atomicWrite.js';
import { InputError } from '../../errors.js';
import type { Forward } from '../../records/forward.js';
import type { Transform } from '../../records/info.js';
import type { SourceSpace } from '../../records/sourceSpace.js';
import { FIFF } from './constants.js';
import { invertTransform } from './info.js';
import { writeBads, shortChannelNames } from './writeInfo.js';
import { FiffWriter } from './writer.js';

/** Constants not (yet) in constants.ts, with MNE's names. */
const FIFFB_MNE = 350;
const FIFF_MNE_ENV_COMMAND_LINE = 3551;
const FIFFV_MNE_SPACE: Record<SourceSpace['type'], number> = { surf: FIFF.FIFFV_MNE_SPACE_SURFACE, vol: FIFF.FIFFV_MNE_SPACE_VOLUME, discrete: FIFF.FIFFV_MNE_SPACE_DISCRETE };

const beInt = (v: ArrayLike<number>): Buffer => Buffer.from(Int32Array.from(v).buffer).swap32();

/** `values` (row-major) as a float32 matrix tag, converted straight to big-endian. */
function float32Tag(w: FiffWriter, kind: number, rows: number, cols: number, fill: (out: Float32Array) => void): void {
  const f = new Float32Array(rows * cols);
  fill(f);
  w.tag(kind, FIFF.FIFFT_MATRIX | FIFF.FIFFT_FLOAT, Buffer.from(f.buffer, f.byteOffset, f.byteLength).swap32(), beInt([cols, rows, 2]));
}

function rowMajor(m: { rows: number; cols: number; get(i: number, j: number): number }): Float64Array {
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[i * m.cols + j] = m.get(i, j);
  return out;
}

/** A source space back in MRI coordinates (MNE's `transform_surface_to(s, 'mri', mri_head_t)`). */
function toMri(s: SourceSpace, mriHeadT: Transform): SourceSpace {
  if (s.coordFrame === FIFF.FIFFV_COORD_MRI) return s;
  if (s.coordFrame !== FIFF.FIFFV_COORD_HEAD) throw new InputError('source space coordFrame', 'MRI (5) or head (4)', `${s.coordFrame}`);
  const t = invertTransform(mriHeadT).trans;
  const move = (m: SourceSpace['rr'], tr: boolean) => {
    const out = m.clone();
    for (let i = 0; i < m.rows; i++) for (let r = 0; r < 3; r++) out.set(i, r, t.get(r, 0) * m.get(i, 0) + t.get(r, 1) * m.get(i, 1) + t.get(r, 2) * m.get(i, 2) + (tr ? t.get(r, 3) : 0));
    return out;
  };
  return { ...s, coordFrame: FIFF.FIFFV_COORD_MRI, rr: move(s.rr, true), nn: move(s.nn, false) };
}

/** One FIFFB_MNE_SOURCE_SPACE block, as MNE's `_write_one_source_space` (surface and discrete spaces). */
export function writeSourceSpace(w: FiffWriter, s: SourceSpace): void {
  if (s.type === 'vol') throw new InputError('source space type', 'surf or discrete (volume spaces are not written)', s.type);
  w.startBlock(FIFF.FIFFB_MNE_SOURCE_SPACE).int(FIFF.FIFF_MNE_SOURCE_SPACE_TYPE, FIFFV_MNE_SPACE[s.type]);
  if (s.id >= 0) w.int(FIFF.FIFF_MNE_SOURCE_SPACE_ID, s.id);
  if (s.subjectHisId) w.string(FIFF.FIFF_SUBJ_HIS_ID, s.subjectHisId);
  w.int(FIFF.FIFF_MNE_COORD_FRAME, s.coordFrame).int(FIFF.FIFF_MNE_SOURCE_SPACE_NPOINTS, s.np);
  w.floatMatrix(FIFF.FIFF_MNE_SOURCE_SPACE_POINTS, s.np, 3, rowMajor(s.rr));
  w.floatMatrix(FIFF.FIFF_MNE_SOURCE_SPACE_NORMALS, s.np, 3, rowMajor(s.nn));
  w.int(FIFF.FIFF_MNE_SOURCE_SPACE_SELECTION, s.inuse).int(FIFF.FIFF_MNE_SOURCE_SPACE_NUSE, s.nuse);
  if (s.ntri > 0 && s.tris !== null) {
    w.int(FIFF.FIFF_MNE_SOURCE_SPACE_NTRI, s.ntri).intMatrix(FIFF.FIFF_MNE_SOURCE_SPACE_TRIANGLES, s.ntri, 3, s.tris.map((v) => v + 1));
  }
  if (s.useTris !== null && s.nuseTri > 0) {
    w.int(FIFF.FIFF_MNE_SOURCE_SPACE_NUSE_TRI, s.nuseTri).intMatrix(FIFF.FIFF_MNE_SOURCE_SPACE_USE_TRIANGLES, s.nuseTri, 3, s.useTris.map((v) => v + 1));
  }
  if (s.nearest !== null && s.nearestDist !== null) {
    w.int(FIFF.FIFF_MNE_SOURCE_SPACE_NEAREST, s.nearest);
    w.tag(FIFF.FIFF_MNE_SOURCE_SPACE_NEAREST_DIST, FIFF.FIFFT_MATRIX | FIFF.FIFFT_FLOAT, Buffer.from(Float32Array.from(s.nearestDist).buffer).swap32(), beInt([s.np, 1]));
  }
  w.endBlock(FIFF.FIFFB_MNE_SOURCE_SPACE);
}

/** The bytes of a -fwd.fif file holding `fwd` (free or fixed orientation; MEG rows and EEG rows in separate blocks). */
export function encodeForward(fwd: Forward, options: { commandLine?: string } = {}): Buffer {
  const { sol, info } = fwd;
  const ncol = fwd.sourceOri === FIFF.FIFFV_MNE_FIXED_ORI ? fwd.nsource : 3 * fwd.nsource;
  if (sol.rows !== fwd.chNames.length || sol.cols !== ncol) throw new InputError('forward.sol', `${fwd.chNames.length} x ${ncol}`, `${sol.rows} x ${sol.cols}`);
  if (info.devHeadT === null) throw new InputError('forward.info.devHeadT', 'a device→head transform (MNE requires one)', 'null');
  const w = new FiffWriter();
  w.startBlock(FIFFB_MNE);
  w.startBlock(FIFF.FIFFB_MNE_ENV).id(FIFF.FIFF_BLOCK_ID).string(FIFF_MNE_ENV_COMMAND_LINE, options.commandLine ?? '').endBlock(FIFF.FIFFB_MNE_ENV);
  w.startBlock(FIFF.FIFFB_MNE_PARENT_MRI_FILE).coordTrans(fwd.mriHeadT).endBlock(FIFF.FIFFB_MNE_PARENT_MRI_FILE);
  // write_forward_meas_info: transform, channel count, channels (scan numbers from 1), bads.
  const mapping = shortChannelNames(info.chNames);
  w.startBlock(FIFF.FIFFB_MNE_PARENT_MEAS_FILE).coordTrans(info.devHeadT).int(FIFF.FIFF_NCHAN, info.nchan);
  info.chs.forEach((ch, k) => w.chInfo({ ...ch, name: mapping.get(ch.name) ?? ch.name }, k + 1, ch.range));
  writeBads(w, info.bads.map((b) => mapping.get(b) ?? b));
  w.endBlock(FIFF.FIFFB_MNE_PARENT_MEAS_FILE);
  for (const s of fwd.src) writeSourceSpace(w, toMri(s, fwd.mriHeadT));
  const kindOf = new Map(info.chs.map((c) => [c.name, c.kind]));
  for (const [method, chKind] of [[FIFF.FIFFV_MNE_MEG, FIFF.FIFFV_MEG_CH], [FIFF.FIFFV_MNE_EEG, FIFF.FIFFV_EEG_CH]]) {
    const rows = fwd.chNames.flatMap((n, i) => (kindOf.get(n) === chKind ? [i] : []));
    if (rows.length === 0) continue;
    const nch = rows.length;
    w.startBlock(FIFF.FIFFB_MNE_FORWARD_SOLUTION).int(FIFF.FIFF_MNE_INCLUDED_METHODS, method).int(FIFF.FIFF_MNE_COORD_FRAME, fwd.coordFrame).int(FIFF.FIFF_MNE_SOURCE_ORIENTATION, fwd.sourceOri);
    // MNE writes NPOINTS then NCHAN for MEG, NCHAN then NPOINTS for EEG.
    if (method === FIFF.FIFFV_MNE_MEG) w.int(FIFF.FIFF_MNE_SOURCE_SPACE_NPOINTS, fwd.nsource).int(FIFF.FIFF_NCHAN, nch);
    else w.int(FIFF.FIFF_NCHAN, nch).int(FIFF.FIFF_MNE_SOURCE_SPACE_NPOINTS, fwd.nsource);
    w.startBlock(FIFF.FIFFB_MNE_NAMED_MATRIX).int(FIFF.FIFF_MNE_NROW, ncol).int(FIFF.FIFF_MNE_NCOL, nch).nameList(FIFF.FIFF_MNE_COL_NAMES, rows.map((i) => fwd.chNames[i]));
    const contiguous = rows[nch - 1] - rows[0] === nch - 1;
    float32Tag(w, FIFF.FIFF_MNE_FORWARD_SOLUTION, ncol, nch, (out) => {
      const d = sol.data, ld = sol.rows;
      for (let j = 0; j < ncol; j++) {
        if (contiguous) out.set(d.subarray(j * ld + rows[0], j * ld + rows[0] + nch), j * nch);
        else for (let i = 0; i < nch; i++) out[j * nch + i] = d[j * ld + rows[i]];
      }
    });
    w.endBlock(FIFF.FIFFB_MNE_NAMED_MATRIX).endBlock(FIFF.FIFFB_MNE_FORWARD_SOLUTION);
  }
  w.endBlock(FIFFB_MNE);
  return w.finish();
}

/** Writes `fwd` to `path` (a -fwd.fif file) atomically. */
export async function writeForward(path: string, fwd: Forward, options: { commandLine?: string } = {}): Promise<void> {
  await atomicWrite(path, encodeForward(fwd, options));
}
