/** readInfo: the measurement info of a FIF file with a measurement block, as MNE's `mne.io.read_info`. */
import type { Info } from '../../records/info.js';
import { openFiff } from './fiffFile.js';
import { readMeasInfo } from './info.js';

export async function readInfo(path: string): Promise<Info> {
  return readMeasInfo(await openFiff(path)).info;
}
