/**
 * MNE's binary .stc format (mne/source_estimate.py `_write_stc` / `_read_stc`), big-endian:
 * tmin (ms, float32), tstep (ms, float32), nvert (uint32), vertices (uint32 × nvert),
 * ntimes (uint32), then the data as float32, time by time (all vertices of time 0 first).
 * A surface estimate is two files, `<stem>-lh.stc` and `<stem>-rh.stc`; a volume one `<stem>-vl.stc`.
 */
import { InputError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import type { SourceEstimate } from '../records/sourceEstimate.js';
import { atomicWrite } from './atomicWrite.js';
import { readInputFile } from './readInputFile.js';

/** One .stc file's content. */
export interface StcFile {
  tmin: number;
  tstep: number;
  vertices: Int32Array;
  /** nvert × ntimes. */
  data: Matrix;
}

export function encodeStc(tmin: number, tstep: number, vertices: Int32Array, data: Matrix): Uint8Array {
  if (data.rows !== vertices.length) throw new InputError('stc data', `${vertices.length} rows (one per vertex)`, `${data.rows}`);
  const buf = new ArrayBuffer(4 * (4 + vertices.length + data.rows * data.cols));
  const view = new DataView(buf);
  view.setFloat32(0, 1000 * tmin);
  view.setFloat32(4, 1000 * tstep);
  view.setUint32(8, vertices.length);
  let o = 12;
  for (const v of vertices) { view.setUint32(o, v); o += 4; }
  view.setUint32(o, data.cols);
  o += 4;
  for (let t = 0; t < data.cols; t++) {
    const col = data.col(t);
    for (let i = 0; i < col.length; i++) { view.setFloat32(o, col[i]); o += 4; }
  }
  return new Uint8Array(buf);
}

export function decodeStc(bytes: Uint8Array, file = '<buffer>'): StcFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 16) throw new InputError(file, 'an .stc file (at least 16 bytes)', `${bytes.byteLength} bytes`);
  const tmin = view.getFloat32(0) / 1000;
  const tstep = view.getFloat32(4) / 1000;
  const nvert = view.getUint32(8);
  // Every size comes from the header, so each is checked against the bytes before it is allocated.
  if (16 + 4 * nvert > bytes.byteLength) throw new InputError(file, `room for ${nvert} vertices`, `${bytes.byteLength} bytes`);
  const vertices = new Int32Array(nvert);
  for (let k = 0; k < nvert; k++) vertices[k] = view.getUint32(12 + 4 * k);
  let o = 12 + 4 * nvert;
  const ntimes = view.getUint32(o);
  o += 4;
  // MNE's size check (the payload holds whole nvert × ntimes blocks; it reads the first), plus the
  // cases where MNE fails untyped: no block at all, ntimes = 0 with data. With nvert = 0 nothing is
  // read (MNE writes an empty hemisphere followed by the other one's data); ntimes must then match
  // the other hemisphere's (readStc), so it cannot size anything on its own.
  const payload = bytes.byteLength - o;
  const block = 4 * nvert * ntimes;
  if (nvert > 0 && (ntimes === 0 ? payload !== 0 : payload < block || payload % block !== 0)) {
    throw new InputError(file, `${nvert} × ${ntimes} float32 values after the header`, `${payload} bytes`, 'incorrect stc file size');
  }
  const data = new Matrix(nvert, ntimes);
  for (let k = 0; k < nvert * ntimes; k++) data.data[k] = view.getFloat32(o + 4 * k);
  return { tmin, tstep, vertices, data };
}

/**
 * Writes a surface estimate to `<stem>-lh.stc` and `<stem>-rh.stc`, a volume one to `<stem>-vl.stc`
 * (the stem may already end in -vl.stc / -vol.stc). Returns the paths written. Vector estimates
 * have no .stc form in MNE (it writes them as .h5 only).
 */
export async function writeStc(stem: string, stc: SourceEstimate): Promise<string[]> {
  if (stc.vector) throw new InputError('stc', 'a scalar source estimate (MNE writes vector estimates only as .h5)', 'a vector estimate');
  if (stc.kind === 'volume') {
    if (stc.vertices.length !== 1) throw new InputError('stc.vertices', 'a single volume source space', `${stc.vertices.length} spaces`);
    const file = /-(vl|vol)\.stc$/.test(stem) ? stem : `${stem}-vl.stc`;
    await atomicWrite(file, encodeStc(stc.tmin, stc.tstep, stc.vertices[0], stc.data));
    return [file];
  }
  if (stc.vertices.length !== 2) throw new InputError('stc.vertices', 'lh and rh vertices', `${stc.vertices.length} spaces`);
  const [lh, rh] = stc.vertices;
  const rows = (start: number, n: number) => stc.data.pickRows(Array.from({ length: n }, (_, k) => start + k));
  const files = [`${stem}-lh.stc`, `${stem}-rh.stc`];
  await atomicWrite(files[0], encodeStc(stc.tmin, stc.tstep, lh, rows(0, lh.length)));
  await atomicWrite(files[1], encodeStc(stc.tmin, stc.tstep, rh, rows(lh.length, rh.length)));
  return files;
}

/**
 * Reads what writeStc (or MNE) wrote, as mne.read_source_estimate: a `-vl.stc` / `-vol.stc` file is a
 * volume estimate; anything else names a surface pair by its stem or either hemisphere's file.
 */
export async function readStc(fname: string, subject: string | null = null): Promise<SourceEstimate> {
  if (/-(vl|vol)\.stc$/.test(fname)) {
    const v = decodeStc(await readInputFile(fname), fname);
    return { kind: 'volume', vector: false, vertices: [v.vertices], data: v.data, tmin: v.tmin, tstep: v.tstep, subject };
  }
  const stem = fname.replace(/-(lh|rh)\.stc$/, '');
  const files = [`${stem}-lh.stc`, `${stem}-rh.stc`];
  // Both reads settle before anything is decoded or thrown, so a failure leaves nothing running.
  const bytes = await Promise.allSettled(files.map((f) => readInputFile(f)));
  const [lh, rh] = bytes.map((b, k) => {
    if (b.status === 'rejected') throw b.reason;
    return decodeStc(b.value, files[k]);
  });
  if (lh.tmin !== rh.tmin || lh.tstep !== rh.tstep || lh.data.cols !== rh.data.cols) {
    throw new InputError(files[1], `tmin ${lh.tmin}, tstep ${lh.tstep} and ${lh.data.cols} times (as -lh.stc)`, `${rh.tmin}, ${rh.tstep} and ${rh.data.cols}`);
  }
  const data = new Matrix(lh.data.rows + rh.data.rows, lh.data.cols);
  for (let t = 0; t < data.cols && data.rows > 0; t++) {
    data.col(t).set(lh.data.col(t), 0);
    data.col(t).set(rh.data.col(t), lh.data.rows);
  }
  return { kind: 'surface', vector: false, vertices: [lh.vertices, rh.vertices], data, tmin: lh.tmin, tstep: lh.tstep, subject };
}
