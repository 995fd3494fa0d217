/** SSP projectors and bad-channel lists, as MNE's `_read_proj` and `_read_bad_channels`. */
import type { Projection } from '../../records/info.js';
import { FIFF } from './constants.js';
import { renameList } from './extendedChInfo.js';
import type { FiffFile } from './fiffFile.js';
import { tagColumnMajor } from './matrixTag.js';
import { tagInt, tagString } from './tag.js';
import { findEntry, findNodes, requireEntry, type FiffNode } from './tree.js';

function readItem(f: FiffFile, item: FiffNode): Projection {
  const descEntry = findEntry(item, FIFF.FIFF_DESCRIPTION) ?? findEntry(item, FIFF.FIFF_NAME);
  if (descEntry === null) f.fail(item.pos, FIFF.FIFF_NAME, 'expected a projection item description');
  const desc = tagString(f, descEntry);
  const kind = tagInt(f, requireEntry(f, item, FIFF.FIFF_PROJ_ITEM_KIND, 'the projection item kind'));
  const nvec = tagInt(f, requireEntry(f, item, FIFF.FIFF_PROJ_ITEM_NVEC, 'the number of projection vectors'));
  const names = tagString(f, requireEntry(f, item, FIFF.FIFF_PROJ_ITEM_CH_NAME_LIST, 'the projection channel list')).split(':');
  const vecEntry = requireEntry(f, item, FIFF.FIFF_PROJ_ITEM_VECTORS, 'the projection vectors');
  const activeEntry = findEntry(item, FIFF.FIFF_MNE_PROJ_ITEM_ACTIVE);
  const active = activeEntry !== null && tagInt(f, activeEntry) !== 0;
  let data = tagColumnMajor(f, vecEntry);
  // MNE: "handle the case when data is transposed for some reason"
  if (data.rows === names.length && data.cols === nvec) data = data.transpose();
  if (data.cols !== names.length) f.fail(vecEntry.pos, vecEntry.kind, `expected ${names.length} projection columns (one per channel name), found ${data.cols}`);
  return { desc, kind, active, colNames: names, data };
}

export function readProj(f: FiffFile, node: FiffNode, rename: Map<string, string> = new Map()): Projection[] {
  const nodes = findNodes(node, FIFF.FIFFB_PROJ);
  if (nodes.length === 0) return [];
  return findNodes(nodes[0], FIFF.FIFFB_PROJ_ITEM).map((item) => readItem(f, item)).map((p) => ({ ...p, colNames: renameList(p.colNames, rename) }));
}

/** The last bad-channel list found under `node` (MNE keeps the last one too). */
export function readBads(f: FiffFile, node: FiffNode, rename: Map<string, string> = new Map()): string[] {
  let bads: string[] = [];
  for (const n of findNodes(node, FIFF.FIFFB_MNE_BAD_CHANNELS)) {
    const e = findEntry(n, FIFF.FIFF_MNE_CH_NAME_LIST);
    if (e !== null) bads = tagString(f, e).split(':');
  }
  return renameList(bads, rename);
}
