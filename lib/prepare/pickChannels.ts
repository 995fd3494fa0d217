/**
 * Channel selection for an inverse, as MNE's `_select_orient_forward`: the channels of the data
 * that are good (bads of data and covariance united) and present in the forward and the
 * covariance, in the data's order. Plus the pickers that restrict info and forward to them.
 */
import { ChannelMismatchError } from '../errors.js';
import type { Covariance } from '../records/covariance.js';
import type { Forward } from '../records/forward.js';
import type { ChannelInfo, Info } from '../records/info.js';
import { namesIn, namesMissing } from '../records/nameIndex.js';

export function selectChannels(info: Info, fwd: Forward, cov: Covariance | null): string[] {
  if (fwd.info.compGrade !== info.compGrade) {
    throw new ChannelMismatchError(`CTF compensation grade of the forward (${fwd.info.compGrade}) differs from the data's (${info.compGrade})`, []);
  }
  const inFwd = new Set(fwd.chNames);
  const inCov = cov ? new Set(cov.names) : null;
  const bads = new Set([...info.bads, ...(cov?.bads ?? [])]);
  const names: string[] = [];
  for (const n of info.chNames) if (!bads.has(n) && inFwd.has(n) && (inCov === null || inCov.has(n))) names.push(n);
  if (names.length === 0) {
    const good = info.chNames.filter((n) => !bads.has(n));
    throw new ChannelMismatchError('No good data channel is in both the forward solution and the noise covariance',
      good.filter((n) => !inFwd.has(n) || (inCov !== null && !inCov.has(n))));
  }
  checkSameSensors(info, fwd, names);
  return names;
}

/**
 * Beyond MNE: a forward computed for other sensors than the data's (same channel names, other
 * coil types or positions) would give a silently wrong answer, so it is refused. MEG coil
 * positions are in device coordinates and fixed per system; EEG electrodes may be re-digitised.
 */
function checkSameSensors(info: Info, fwd: Forward, names: readonly string[]): void {
  const inFwd = channelsByName(fwd.info.chs);
  const differ: string[] = [];
  const byName = channelsByName(info.chs);
  for (const n of names) {
    const a = byName.get(n)!, b = inFwd.get(n);
    if (!b || (a.type !== 'mag' && a.type !== 'grad')) continue;
    const d = Math.hypot(a.loc[0] - b.loc[0], a.loc[1] - b.loc[1], a.loc[2] - b.loc[2]);
    if (a.coilType !== b.coilType || !(d <= 1e-3)) differ.push(n);
  }
  if (differ.length > 0) {
    const list = `${differ.slice(0, 6).join(', ')}${differ.length > 6 ? `, … (${differ.length} channels)` : ''}`;
    throw new ChannelMismatchError(`The forward solution was computed for other MEG sensors than the data: coil type or position differs by more than 1 mm for ${list}`, []);
  }
}

/** MNE's pick_info by names: the channels of `info` that are in `chNames`, in info order. */
export function pickInfo(info: Info, chNames: readonly string[]): Info {
  const wanted = new Set(chNames);
  const have = new Set(info.chNames);
  const missing = namesMissing(chNames, have);
  if (missing.length > 0) throw new ChannelMismatchError('Channels are missing from the measurement info', missing);
  const keep: ChannelInfo[] = [];
  for (const ch of info.chs) if (wanted.has(ch.name)) keep.push(ch);
  const names: string[] = [];
  for (const ch of keep) names.push(ch.name);
  return { ...info, chs: keep, chNames: names, nchan: keep.length, bads: namesIn(info.bads, wanted) };
}

/** Name → channel record (the last of a repeated name); a loop, not a callback per call: see lib/records/nameIndex.ts. */
function channelsByName(chs: readonly ChannelInfo[]): Map<string, ChannelInfo> {
  const m = new Map<string, ChannelInfo>();
  for (const ch of chs) m.set(ch.name, ch);
  return m;
}
