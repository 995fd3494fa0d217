/**
 * Channel groups as MNE's `_picks_by_type`: data channels by type in MNE's order, with
 * magnetometers and gradiometers merged into one 'meg' group on request (whitening and rank
 * treat MEG as one block, so MEG–EEG cross terms of the covariance are ignored).
 */
import type { ChannelType, Info } from '../records/info.js';

/** MNE's _DATA_CH_TYPES_SPLIT order for the types mxne reads. */
const DATA_TYPES: readonly ChannelType[] = ['mag', 'grad', 'eeg'];

export type PickGroup = 'meg' | 'mag' | 'grad' | 'eeg';

export interface TypePicks {
  type: PickGroup;
  /** Indices into `info.chs`, ascending. */
  picks: number[];
}

export function picksByType(info: Info, o: { megCombined: boolean; excludeBads: boolean }): TypePicks[] {
  const bads = new Set(o.excludeBads ? info.bads : []);
  const byType = new Map<ChannelType, number[]>(DATA_TYPES.map((t) => [t, []]));
  for (let k = 0; k < info.chs.length; k++) {
    const ch = info.chs[k];
    if (!bads.has(ch.name)) byType.get(ch.type)?.push(k);
  }
  const groups: TypePicks[] = DATA_TYPES.map((t) => ({ type: t as PickGroup, picks: byType.get(t)! }));
  if (o.megCombined && groups[0].picks.length && groups[1].picks.length) {
    const meg = [...groups[0].picks, ...groups[1].picks].sort((a, b) => a - b);
    groups.splice(0, 2, { type: 'meg', picks: meg });
  }
  return groups.filter((g) => g.picks.length > 0);
}

/** Whether the good EEG channels lack the average-reference projector MNE requires for modelling. */
export function needsEegAverageReference(info: Info): boolean {
  const bads = new Set(info.bads);
  let goodEeg = false;
  for (const ch of info.chs) if (ch.type === 'eeg' && !bads.has(ch.name)) goodEeg = true;
  if (!goodEeg) return false;
  // FIFFV_PROJ_ITEM_EEG_AVREF = 10, or MNE's description pattern.
  return !info.projs.some((p) => p.kind === 10 || /^Average .* reference$/.test(p.desc));
}
