/** Struct tags: channel info (96 bytes), coordinate transform (104 bytes), file/block id (20 bytes). */
import { Matrix } from '../../linalg/matrix.js';
import type { ChannelInfo, ChannelType, Transform } from '../../records/info.js';
import { FIFF } from './constants.js';
import type { DirEntry, FiffFile } from './fiffFile.js';
import { tagData } from './tag.js';

export const CH_INFO_SIZE = 96;
export const COORD_TRANS_SIZE = 104;

function sized(f: FiffFile, e: DirEntry, type: number, size: number, what: string): number {
  const d = tagData(f, e);
  if (d.type !== type || d.size < size) f.fail(e.pos, e.kind, `expected a ${size}-byte ${what} (type ${type}), found type ${d.type} with ${d.size} bytes`);
  return d.pos;
}

/** MNE's `_ch_coord_dict`: the coil frame follows from the channel kind, not from the file. */
const COORD_OF_KIND: Record<number, number> = {
  [FIFF.FIFFV_MEG_CH]: FIFF.FIFFV_COORD_DEVICE,
  [FIFF.FIFFV_REF_MEG_CH]: FIFF.FIFFV_COORD_DEVICE,
  [FIFF.FIFFV_EEG_CH]: FIFF.FIFFV_COORD_HEAD,
  [FIFF.FIFFV_ECOG_CH]: FIFF.FIFFV_COORD_HEAD,
  [FIFF.FIFFV_SEEG_CH]: FIFF.FIFFV_COORD_HEAD,
  [FIFF.FIFFV_DBS_CH]: FIFF.FIFFV_COORD_HEAD,
  [FIFF.FIFFV_FNIRS_CH]: FIFF.FIFFV_COORD_HEAD,
};

export function coordFrameOfKind(kind: number): number {
  return COORD_OF_KIND[kind] ?? FIFF.FIFFV_COORD_UNKNOWN;
}

/** MNE's `channel_type` for the kinds mxne distinguishes. */
export function channelType(kind: number, unit: number): ChannelType {
  switch (kind) {
    case FIFF.FIFFV_MEG_CH:
      if (unit === FIFF.FIFF_UNIT_T_M) return 'grad';
      return unit === FIFF.FIFF_UNIT_T ? 'mag' : 'other';
    case FIFF.FIFFV_REF_MEG_CH: return 'ref_meg';
    case FIFF.FIFFV_EEG_CH: return 'eeg';
    case FIFF.FIFFV_STIM_CH: return 'stim';
    case FIFF.FIFFV_EOG_CH: return 'eog';
    case FIFF.FIFFV_ECG_CH: return 'ecg';
    case FIFF.FIFFV_EMG_CH: return 'emg';
    case FIFF.FIFFV_MISC_CH: return 'misc';
    default: return 'other';
  }
}

export function tagChInfo(f: FiffFile, e: DirEntry): ChannelInfo {
  const p = sized(f, e, FIFF.FIFFT_CH_INFO_STRUCT, CH_INFO_SIZE, 'channel info struct');
  const b = f.buf;
  const kind = b.readInt32BE(p + 8);
  const unit = b.readInt32BE(p + 72);
  const loc = new Float64Array(12);
  for (let k = 0; k < 12; k++) loc[k] = b.readFloatBE(p + 24 + 4 * k);
  // MNE keeps the bytes before the first NUL; a name filling all 16 bytes (no NUL) reads as ''.
  const nul = b.indexOf(0, p + 80);
  const name = nul >= 0 && nul < p + 96 ? b.toString('utf8', p + 80, nul) : '';
  return {
    name, kind, type: channelType(kind, unit),
    scanNo: b.readInt32BE(p), logNo: b.readInt32BE(p + 4),
    range: b.readFloatBE(p + 12), cal: b.readFloatBE(p + 16), coilType: b.readInt32BE(p + 20),
    loc, unit, unitMul: b.readInt32BE(p + 76),
    coordFrame: coordFrameOfKind(kind),
  };
}

/** A coordinate transform: float32 rotation (row-major) and translation, widened to float64. */
export function tagCoordTrans(f: FiffFile, e: DirEntry): Transform {
  const p = sized(f, e, FIFF.FIFFT_COORD_TRANS_STRUCT, COORD_TRANS_SIZE, 'coordinate transform struct');
  const b = f.buf;
  const trans = Matrix.identity(4);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) trans.set(i, j, b.readFloatBE(p + 8 + 4 * (3 * i + j)));
    trans.set(i, 3, b.readFloatBE(p + 44 + 4 * i));
  }
  return { from: b.readInt32BE(p), to: b.readInt32BE(p + 4), trans };
}

export interface FiffId {
  version: number;
  machid: [number, number];
  secs: number;
  usecs: number;
}

export function tagId(f: FiffFile, e: DirEntry): FiffId {
  const p = sized(f, e, FIFF.FIFFT_ID_STRUCT, 20, 'id struct');
  const b = f.buf;
  return { version: b.readInt32BE(p), machid: [b.readInt32BE(p + 4), b.readInt32BE(p + 8)], secs: b.readInt32BE(p + 12), usecs: b.readInt32BE(p + 16) };
}
