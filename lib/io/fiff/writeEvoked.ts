/**
 * writeEvoked: an Evoked as a -ave.fif file, laid out as MNE's `write_evokeds` (measurement info
 * with channels, projectors and their active flag, bads, device→head transform; one evoked block
 * with comment, first time, samples, first/last sample, baseline, nave and float32 data divided
 * by each channel's calibration). Written whole to a temporary name, then renamed.
 */
import type { Matrix } from '../../linalg/matrix.js';
import { atomicWrite } from '../atomicWrite.js';
import type { Evoked } from '../../records/evoked.js';
import { FIFF } from './constants.js';
import { writeMeasInfo } from './writeInfo.js';
import { FiffWriter } from './writer.js';

/** The bytes of a -ave.fif file holding one evoked data set, or several (conditions) over the first one's info. */
export function encodeEvoked(evoked: Evoked | Evoked[]): Buffer {
  const evokeds = Array.isArray(evoked) ? evoked : [evoked];
  const w = new FiffWriter();
  const info = evokeds[0].info;
  w.startBlock(FIFF.FIFFB_MEAS).id(FIFF.FIFF_BLOCK_ID);
  writeMeasInfo(w, info);
  w.startBlock(FIFF.FIFFB_PROCESSED_DATA);
  for (const e of evokeds) writeEvokedBlock(w, e);
  w.endBlock(FIFF.FIFFB_PROCESSED_DATA).endBlock(FIFF.FIFFB_MEAS);
  return w.finish();
}

function writeEvokedBlock(w: FiffWriter, evoked: Evoked): void {
  const info = evoked.info;
  w.startBlock(FIFF.FIFFB_EVOKED);
  w.string(FIFF.FIFF_COMMENT, evoked.comment)
    .float(FIFF.FIFF_FIRST_TIME, evoked.tmin)
    .int(FIFF.FIFF_NO_SAMPLES, evoked.nTimes)
    .int(FIFF.FIFF_FIRST_SAMPLE, evoked.first)
    .int(FIFF.FIFF_LAST_SAMPLE, evoked.last);
  if (evoked.baseline !== null) w.float(FIFF.FIFF_MNE_BASELINE_MIN, evoked.baseline[0]).float(FIFF.FIFF_MNE_BASELINE_MAX, evoked.baseline[1]);
  w.startBlock(FIFF.FIFFB_ASPECT)
    .int(FIFF.FIFF_ASPECT_KIND, evoked.kind === 'standard_error' ? FIFF.FIFFV_ASPECT_STD_ERR : FIFF.FIFFV_ASPECT_AVERAGE)
    .int(FIFF.FIFF_NAVE, Math.round(evoked.nave));
  const { rows, cols } = evoked.data;
  w.floatMatrix(FIFF.FIFF_EPOCH, rows, cols, decalibratedRows(evoked.data, info.chs.map((c) => 1 / c.cal)));
  w.endBlock(FIFF.FIFFB_ASPECT).endBlock(FIFF.FIFFB_EVOKED);
}

/**
 * C order of nchan × ntimes, each row times its channel's decal = 1 / cal (MNE: decal * data). Its
 * own function: the loop inside writeEvokedBlock made V8 recompile that on every row written.
 */
function decalibratedRows(A: Matrix, decal: number[]): Float64Array {
  const { rows, cols, data } = A;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < cols; k++) out[i * cols + k] = decal[i] * data[i + k * rows];
  }
  return out;
}

/** Writes `evoked` to `path` (a -ave.fif file) atomically. */
export async function writeEvoked(path: string, evoked: Evoked | Evoked[]): Promise<void> {
  await atomicWrite(path, encodeEvoked(evoked));
}
