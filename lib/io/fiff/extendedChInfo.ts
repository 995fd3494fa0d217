/**
 * Extended channel information (FIFFB_CH_INFO blocks), as MNE's `_read_extended_ch_info`: newer
 * files keep names longer than 15 characters (and any other channel field) there, one block per
 * channel in channel order. Returns the old → new name mapping, used to rename bads and projectors.
 */
import type { ChannelInfo } from '../../records/info.js';
import { FIFF } from './constants.js';
import type { FiffFile } from './fiffFile.js';
import { tagFloatValues } from './matrixTag.js';
import { channelType, coordFrameOfKind } from './structs.js';
import { tagInt, tagNumber, tagString } from './tag.js';
import { findNodes, type FiffNode } from './tree.js';

export function readExtendedChInfo(f: FiffFile, parent: FiffNode, chs: ChannelInfo[]): Map<string, string> {
  const mapping = new Map<string, string>();
  const blocks = findNodes(parent, FIFF.FIFFB_CH_INFO);
  if (blocks.length === 0) return mapping;
  if (blocks.length !== chs.length) f.fail(blocks[0].pos, null, `expected one extended channel info block per channel (${chs.length}), found ${blocks.length}`);
  blocks.forEach((block, k) => {
    const ch = chs[k];
    for (const e of block.directory) {
      switch (e.kind) {
        case FIFF.FIFF_CH_SCAN_NO: ch.scanNo = tagInt(f, e); break;
        case FIFF.FIFF_CH_LOGICAL_NO: ch.logNo = tagInt(f, e); break;
        case FIFF.FIFF_CH_KIND: ch.kind = tagInt(f, e); break;
        case FIFF.FIFF_CH_RANGE: ch.range = tagNumber(f, e); break;
        case FIFF.FIFF_CH_CAL: ch.cal = tagNumber(f, e); break;
        case FIFF.FIFF_CH_COIL_TYPE: ch.coilType = tagInt(f, e); break;
        case FIFF.FIFF_CH_UNIT: ch.unit = tagInt(f, e); break;
        case FIFF.FIFF_CH_UNIT_MUL: ch.unitMul = tagInt(f, e); break;
        case FIFF.FIFF_CH_LOC: {
          const loc = tagFloatValues(f, e);
          if (loc.length !== 12) f.fail(e.pos, e.kind, `expected 12 location values, found ${loc.length}`);
          ch.loc = loc;
          break;
        }
        case FIFF.FIFF_CH_DACQ_NAME: {
          const name = tagString(f, e);
          mapping.set(ch.name, name);
          ch.name = name;
          break;
        }
      }
    }
    // MNE then re-derives the frame from the kind (`_update_ch_info_named`).
    ch.coordFrame = coordFrameOfKind(ch.kind);
    ch.type = channelType(ch.kind, ch.unit);
  });
  return mapping;
}

export function renameList(names: string[], mapping: Map<string, string>): string[] {
  return mapping.size === 0 ? names : names.map((n) => mapping.get(n) ?? n);
}
