/**
 * Writing measurement info and projectors, as MNE's `write_meas_info` and `_write_proj`, for the
 * fields an mxne Info holds. Shared by the evoked writer and by forward / covariance writers.
 */
import type { Info, Projection } from '../../records/info.js';
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

/** A FIFFB_MEAS_INFO block: device→head transform, projectors, bads, nchan, sfreq, filters, channels. */
export function writeMeasInfo(w: FiffWriter, info: Info): void {
  w.startBlock(FIFF.FIFFB_MEAS_INFO);
  if (info.devHeadT !== null) w.coordTrans(info.devHeadT);
  writeProjs(w, info.projs);
  writeBads(w, info.bads);
  w.int(FIFF.FIFF_NCHAN, info.nchan).float(FIFF.FIFF_SFREQ, info.sfreq);
  if (Number.isFinite(info.lowpass)) w.float(FIFF.FIFF_LOWPASS, info.lowpass);
  if (Number.isFinite(info.highpass)) w.float(FIFF.FIFF_HIGHPASS, info.highpass);
  // MNE renumbers scan numbers and resets the range to 1 (data are floats, no range needed).
  info.chs.forEach((ch, k) => w.chInfo(ch, k + 1, 1));
  w.endBlock(FIFF.FIFFB_MEAS_INFO);
}
