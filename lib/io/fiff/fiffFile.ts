/**
 * Opening a FIF file: the whole file (gunzipped when it starts with the gzip magic) in one Buffer,
 * the tag directory (from FIFF_DIR when the file has one, else a sequential scan, as MNE's
 * `fiff_open`) and the block tree (MNE's `make_dir_tree`). Every offset and length is checked
 * against the file size before it is used, so a corrupt file gives a FiffError, never a crash.
 */
import { FiffError, InputError } from '../../errors.js';
import { readInputFile } from '../readInputFile.js';
import { FIFF } from './constants.js';
import { inflateFiff } from './inflate.js';
import { parseTurn } from '../../eventLoop.js';
import { buildTree, type FiffNode } from './tree.js';

/** One tag's header: what MNE's directory entries hold. `pos` is the byte offset of the header. */
export interface DirEntry {
  kind: number;
  type: number;
  size: number;
  pos: number;
}

const HEADER = 16;

export class FiffFile {
  constructor(
    readonly path: string,
    readonly buf: Buffer,
    readonly directory: DirEntry[],
    readonly tree: FiffNode,
  ) {}

  fail(offset: number, kind: number | null, message: string): never {
    throw new FiffError(this.path, offset, kind, message);
  }

  /** Reads and checks the tag header at `pos` (MNE re-reads it there too, ignoring the directory's copy). */
  header(pos: number, kind: number | null = null): DirEntry {
    return readHeader(this.path, this.buf, pos, kind);
  }
}

export function readHeader(path: string, buf: Buffer, pos: number, kind: number | null = null): DirEntry {
  if (!Number.isInteger(pos) || pos < 0 || pos + HEADER > buf.length) {
    throw new FiffError(path, pos, kind, `expected a 16-byte tag header inside the ${buf.length}-byte file`);
  }
  const h: DirEntry = { kind: buf.readInt32BE(pos), type: buf.readUInt32BE(pos + 4), size: buf.readInt32BE(pos + 8), pos };
  if (h.size < 0 || pos + HEADER + h.size > buf.length) {
    throw new FiffError(path, pos, h.kind, `tag length ${h.size} runs past the end of the ${buf.length}-byte file`);
  }
  return h;
}

/** Reads a FIF (or gzipped FIF) file and indexes it. Only regular files are read (not /dev/zero). */
export async function openFiff(path: string): Promise<FiffFile> {
  let buf: Buffer;
  try {
    buf = await readInputFile(path);
  } catch (e) {
    throw new FiffError(path, -1, null, `cannot read the file (${e instanceof InputError ? `expected ${e.expected}, found ${e.received}` : (e as Error).message})`);
  }
  // Files read side by side finish in the same poll phase: each is parsed on a turn of its own.
  await parseTurn();
  return fiffFromBuffer(path, buf);
}

/** Indexes FIF bytes (gzipped or not) already in memory; `path` only names them in errors. */
export async function fiffFromBuffer(path: string, buf: Buffer): Promise<FiffFile> {
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = await inflateFiff(path, buf);
  return parseFiff(path, buf);
}

/** Indexes a FIF file already in memory (`path` only names it in errors). */
export function parseFiff(path: string, buf: Buffer): FiffFile {
  // Checked before anything else is read from it: an arbitrary file's first bytes decode as a
  // nonsense tag, and "tag length 1399873906 runs past the end" would not say what is wrong.
  if (buf.length === 0) throw new FiffError(path, 0, null, 'not a FIF file: the file is empty');
  if (buf.length < HEADER + 20 || buf.readInt32BE(0) !== FIFF.FIFF_FILE_ID || buf.readUInt32BE(4) !== FIFF.FIFFT_ID_STRUCT || buf.readInt32BE(8) !== 20) {
    throw new FiffError(path, 0, null, 'not a FIF file: it does not start with a FIF file id (expected the file of an MNE -fwd.fif, -ave.fif or -cov.fif)');
  }
  const ptr = readHeader(path, buf, HEADER + 20);
  if (ptr.kind !== FIFF.FIFF_DIR_POINTER || ptr.size < 4) {
    throw new FiffError(path, ptr.pos, ptr.kind, 'expected the directory pointer tag (kind 101) after the file id');
  }
  const dirpos = buf.readInt32BE(ptr.pos + HEADER);
  const directory = dirpos > 0 ? readDirectory(path, buf, dirpos) : scanTags(path, buf);
  return new FiffFile(path, buf, directory, buildTree(path, buf, directory));
}

/** The FIFF_DIR tag: 16-byte entries; MNE drops the last one (MNE-C writes a terminator there). */
function readDirectory(path: string, buf: Buffer, dirpos: number): DirEntry[] {
  const tag = readHeader(path, buf, dirpos);
  if (tag.type !== FIFF.FIFFT_DIR_ENTRY_STRUCT) {
    throw new FiffError(path, dirpos, tag.kind, `expected a directory tag (type 32) where the directory pointer points, found type ${tag.type}`);
  }
  const n = Math.floor(tag.size / HEADER) - 1;
  const out: DirEntry[] = [];
  for (let k = 0; k < n; k++) {
    const o = dirpos + HEADER + k * HEADER;
    out.push({ kind: buf.readInt32BE(o), type: buf.readUInt32BE(o + 4), size: buf.readInt32BE(o + 8), pos: buf.readInt32BE(o + 12) });
  }
  return out;
}

/** Walks the tags from the start of the file: `next` 0 = sequential, > 0 = jump, < 0 = last tag. */
function scanTags(path: string, buf: Buffer): DirEntry[] {
  const out: DirEntry[] = [];
  const seen = new Set<number>();
  let pos = 0;
  while (pos < buf.length) {
    if (seen.has(pos)) throw new FiffError(path, pos, null, 'expected tags to move forward, but the chain of next pointers loops back');
    seen.add(pos);
    const h = readHeader(path, buf, pos);
    out.push(h);
    const next = buf.readInt32BE(pos + 12);
    if (next < 0) break;
    pos = next === FIFF.FIFFV_NEXT_SEQ ? pos + HEADER + h.size : next;
  }
  return out;
}
