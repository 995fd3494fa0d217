/**
 * Writing measurement info and projectors, as MNE's `write_meas_info` and `_write_proj`, for the
 * fields an mxne Info holds. Shared by the evoked writer and by forward / covariance writers.
 */
import type { ChannelInfo, Info, Projection } from '../../records/info.js';
import { FIFF } from './constants.js';
import type { FiffWriter } from './writer.js';

/** A FIFFB_PROJ block with one item per projector (nothing when there are none). */
export function writeProjs(w: FiffWriter, projs: Projection[]): void {
  if (projs.length === 0) return;
  w.startBlock(FIFF.FIFFB_PROJ);
  for (const p of projs) {
    w.startBlock(FIFF.FIFFB_PROJ_ITEM)
      .int(FIFF.FIFF_NCHAN, p.colNames.length)
      .nameList(FIFF.FIFF_PROJ_ITEM_CH_NAME_LIST, p.colNames)
      .string(FIFF.FIFF_NAME, p.desc)
      .int(FIFF.FIFF_PROJ_ITEM_KIND, p.kind);
    if (p.kind === FIFF.FIFFV_PROJ_ITEM_FIELD) w.float(FIFF.FIFF_PROJ_ITEM_TIME, 0);
    w.int(FIFF.FIFF_PROJ_ITEM_NVEC, p.data.rows)
      .int(FIFF.FIFF_MNE_PROJ_ITEM_ACTIVE, p.active ? 1 : 0)
      .floatMatrix(FIFF.FIFF_PROJ_ITEM_VECTORS, p.data.rows, p.data.cols, p.data.transpose().data)
      .endBlock(FIFF.FIFFB_PROJ_ITEM);
  }
  w.endBlock(FIFF.FIFFB_PROJ);
}

/** A FIFFB_MNE_BAD_CHANNELS block (nothing when there are no bad channels). */
export function writeBads(w: FiffWriter, bads: readonly string[]): void {
  if (bads.length > 0) w.startBlock(FIFF.FIFFB_MNE_BAD_CHANNELS).nameList(FIFF.FIFF_MNE_CH_NAME_LIST, bads).endBlock(FIFF.FIFFB_MNE_BAD_CHANNELS);
}

/** Whether a channel name fits FIF's 16-byte field (defined once: see lib/records/nameIndex.ts). */
function fits(n: string): boolean {
  return Buffer.byteLength(n, 'utf8') <= 15;
}

/**
 * FIF channel info holds names of at most 15 bytes. Longer names are written truncated (made
 * unique with a "-k" suffix) and the full names go to FIFFB_CH_INFO blocks, as MNE does; bads and
 * projector columns use the short names. Returns the full → short mapping (empty when not needed).
 */
export function shortChannelNames(names: readonly string[]): Map<string, string> {
  if (names.every(fits)) return new Map();
  const cut = (n: string, max: number) => { let s = n.slice(0, max); while (!fits(s)) s = s.slice(0, -1); return s; };
  const used = new Set<string>();
  const mapping = new Map<string, string>();
  for (const name of names) {
    let short = cut(name, 15);
    for (let k = 0; used.has(short); k++) short = cut(name, 15 - `-${k}`.length) + `-${k}`;
    used.add(short);
    mapping.set(name, short);
  }
  return mapping;
}

function writeExtendedChInfo(w: FiffWriter, chs: readonly ChannelInfo[]): void {
  for (const ch of chs) {
    w.startBlock(FIFF.FIFFB_CH_INFO)
      .int(FIFF.FIFF_CH_SCAN_NO, ch.scanNo).int(FIFF.FIFF_CH_LOGICAL_NO, ch.logNo).int(FIFF.FIFF_CH_KIND, ch.kind)
      .float(FIFF.FIFF_CH_RANGE, ch.range).float(FIFF.FIFF_CH_CAL, ch.cal).int(FIFF.FIFF_CH_COIL_TYPE, ch.coilType)
      .float(FIFF.FIFF_CH_LOC, ch.loc).int(FIFF.FIFF_CH_UNIT, ch.unit).int(FIFF.FIFF_CH_UNIT_MUL, ch.unitMul)
      .string(FIFF.FIFF_CH_DACQ_NAME, ch.name).int(FIFF.FIFF_CH_COORD_FRAME, ch.coordFrame)
      .endBlock(FIFF.FIFFB_CH_INFO);
  }
}

/** A FIFFB_MEAS_INFO block: device→head transform, projectors, bads, nchan, sfreq, filters, channels. */
export function writeMeasInfo(w: FiffWriter, info: Info): void {
  const mapping = shortChannelNames(info.chNames);
  const short = (names: readonly string[]) => names.map((n) => mapping.get(n) ?? n);
  w.startBlock(FIFF.FIFFB_MEAS_INFO);
  if (info.devHeadT !== null) w.coordTrans(info.devHeadT);
  writeProjs(w, info.projs.map((p) => ({ ...p, colNames: short(p.colNames) })));
  writeBads(w, short(info.bads));
  w.int(FIFF.FIFF_NCHAN, info.nchan).float(FIFF.FIFF_SFREQ, info.sfreq);
  if (Number.isFinite(info.lowpass)) w.float(FIFF.FIFF_LOWPASS, info.lowpass);
  if (Number.isFinite(info.highpass)) w.float(FIFF.FIFF_HIGHPASS, info.highpass);
  // MNE renumbers scan numbers and resets the range to 1 (data are floats, no range needed).
  for (let k = 0; k < info.chs.length; k++) w.chInfo({ ...info.chs[k], name: mapping.get(info.chs[k].name) ?? info.chs[k].name }, k + 1, 1);
  if (mapping.size > 0) writeExtendedChInfo(w, info.chs);
  w.endBlock(FIFF.FIFFB_MEAS_INFO);
}
