/** Measurement info, as MNE's `read_meas_info` (the fields mxne's Info carries). */
import type { ChannelInfo, Info, Transform } from '../../records/info.js';
import { FIFF } from './constants.js';
import { readExtendedChInfo } from './extendedChInfo.js';
import type { FiffFile } from './fiffFile.js';
import { readBads, readProj } from './proj.js';
import { tagChInfo, tagCoordTrans } from './structs.js';
import { tagInt, tagNumber } from './tag.js';
import { findNodes, type FiffNode } from './tree.js';

/** MNE's `get_current_comp`: the grade in the upper 16 bits of every MEG coil type; they must agree. */
export function compGrade(f: FiffFile, chs: ChannelInfo[], at: number): number {
  let grade = -1;
  for (const ch of chs) {
    if (ch.kind !== FIFF.FIFFV_MEG_CH) continue;
    const g = ch.coilType >> 16;
    if (grade < 0) grade = g;
    else if (g !== grade) f.fail(at, FIFF.FIFF_CH_INFO, 'expected the same CTF compensation grade on all MEG channels');
  }
  return Math.max(grade, 0);
}

/** Inverts a rigid 4×4 transform (rotation transposed): used when the file stores head→device. */
export function invertTransform(t: Transform): Transform {
  const m = t.trans;
  const out = m.clone();
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out.set(i, j, m.get(j, i));
    out.set(i, 3, -(m.get(0, i) * m.get(0, 3) + m.get(1, i) * m.get(1, 3) + m.get(2, i) * m.get(2, 3)));
  }
  return { from: t.to, to: t.from, trans: out };
}

function readDevHeadT(f: FiffFile, node: FiffNode): Transform | null {
  for (const e of node.directory) {
    if (e.kind !== FIFF.FIFF_COORD_TRANS) continue;
    const t = tagCoordTrans(f, e);
    if (t.from === FIFF.FIFFV_COORD_DEVICE && t.to === FIFF.FIFFV_COORD_HEAD) return t;
    if (t.from === FIFF.FIFFV_COORD_HEAD && t.to === FIFF.FIFFV_COORD_DEVICE) return invertTransform(t);
  }
  return null;
}

export interface MeasInfo {
  info: Info;
  /** The FIFFB_MEAS block, where evoked data sets live. */
  meas: FiffNode;
}

export function readMeasInfo(f: FiffFile): MeasInfo {
  const measNodes = findNodes(f.tree, FIFF.FIFFB_MEAS);
  if (measNodes.length !== 1) f.fail(0, null, `expected exactly one measurement block (FIFFB_MEAS), found ${measNodes.length}`);
  const meas = measNodes[0];
  const infoNodes = findNodes(meas, FIFF.FIFFB_MEAS_INFO);
  if (infoNodes.length !== 1) f.fail(meas.pos, null, `expected exactly one measurement info block, found ${infoNodes.length}`);
  const node = infoNodes[0];
  let nchan: number | null = null;
  let sfreq: number | null = null;
  let highpass: number | null = null;
  let lowpass: number | null = null;
  const chs: ChannelInfo[] = [];
  for (const e of node.directory) {
    if (e.kind === FIFF.FIFF_NCHAN) nchan = tagInt(f, e);
    else if (e.kind === FIFF.FIFF_SFREQ) sfreq = tagNumber(f, e);
    else if (e.kind === FIFF.FIFF_CH_INFO) chs.push(tagChInfo(f, e));
    else if (e.kind === FIFF.FIFF_LOWPASS) { const v = tagNumber(f, e); if (!Number.isNaN(v)) lowpass = v; }
    else if (e.kind === FIFF.FIFF_HIGHPASS) { const v = tagNumber(f, e); if (!Number.isNaN(v)) highpass = v; }
  }
  if (nchan === null) f.fail(node.pos, FIFF.FIFF_NCHAN, 'expected the number of channels in the measurement info');
  if (sfreq === null) f.fail(node.pos, FIFF.FIFF_SFREQ, 'expected the sampling frequency in the measurement info');
  if (chs.length === 0 || chs.length !== nchan) f.fail(node.pos, FIFF.FIFF_CH_INFO, `expected ${nchan} channel definitions, found ${chs.length}`);
  let devHeadT = readDevHeadT(f, node);
  if (devHeadT === null) {
    const hpi = findNodes(node, FIFF.FIFFB_HPI_RESULT);
    if (hpi.length === 1) devHeadT = readDevHeadT(f, hpi[0]);
  }
  const rename = readExtendedChInfo(f, node, chs);
  const chNames = chs.map((c) => c.name);
  const info: Info = {
    chs, chNames, nchan, bads: readBads(f, node, rename), projs: readProj(f, node, rename), sfreq,
    highpass: highpass ?? 0, lowpass: lowpass ?? sfreq / 2, devHeadT, compGrade: compGrade(f, chs, node.pos),
  };
  return { info, meas };
}
