/**
 * The FIF block tree, as MNE's `make_dir_tree` / `dir_tree_find` / `find_tag`, built and searched
 * without recursion so a corrupt file with absurd nesting cannot overflow the stack.
 */
import { FiffError } from '../../errors.js';
import { FIFF } from './constants.js';
import type { DirEntry, FiffFile } from './fiffFile.js';

export interface FiffNode {
  /** FIFFB_* kind; 0 for the root. */
  block: number;
  /** Byte offset of the block start tag (0 for the root): where errors about the block point. */
  pos: number;
  /** The tags of this block, without nested blocks and without the block start/end tags. */
  directory: DirEntry[];
  children: FiffNode[];
}

export function buildTree(path: string, buf: Buffer, directory: DirEntry[]): FiffNode {
  const root: FiffNode = { block: 0, pos: 0, directory: [], children: [] };
  const stack: FiffNode[] = [root];
  for (const ent of directory) {
    const top = stack[stack.length - 1];
    if (ent.kind === FIFF.FIFF_BLOCK_START) {
      if (ent.pos < 0 || ent.pos + 20 > buf.length || buf.readInt32BE(ent.pos + 8) < 4) {
        throw new FiffError(path, ent.pos, ent.kind, 'expected a block start tag holding the block kind');
      }
      const child: FiffNode = { block: buf.readInt32BE(ent.pos + 16), pos: ent.pos, directory: [], children: [] };
      top.children.push(child);
      stack.push(child);
    } else if (ent.kind === FIFF.FIFF_BLOCK_END) {
      // MNE ends the current block at any block end, whatever kind it names; one at the root ends the tree.
      if (stack.length === 1) break;
      stack.pop();
    } else {
      top.directory.push(ent);
    }
  }
  return root;
}

/** All nodes of the given block kind, in MNE's (pre-)order, including `node` itself. */
export function findNodes(node: FiffNode, block: number): FiffNode[] {
  const out: FiffNode[] = [];
  const stack: FiffNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop() as FiffNode;
    if (n.block === block) out.push(n);
    for (let k = n.children.length - 1; k >= 0; k--) stack.push(n.children[k]);
  }
  return out;
}

/** The first directory entry of `kind` in the node (not its children), or null: MNE's `find_tag`. */
export function findEntry(node: FiffNode, kind: number): DirEntry | null {
  for (const ent of node.directory) if (ent.kind === kind) return ent;
  return null;
}

/** A required tag of a block, or a FiffError naming the block's offset and the missing kind. */
export function requireEntry(f: FiffFile, node: FiffNode, kind: number, what: string): DirEntry {
  const e = findEntry(node, kind);
  if (e === null) return f.fail(node.pos, kind, `expected ${what} (tag kind ${kind}) in block ${node.block}`);
  return e;
}
