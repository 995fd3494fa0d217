/**
 * Inflating a gzipped FIF file as a stream, walking its tag chain as the bytes arrive, so
 * inflation stops as soon as the data cannot be a FIF file: a first tag that is not the file id
 * (a gzip of zeros is refused after its first 16 kB, not after gigabytes), a tag longer than the
 * 2 GiB a FIF offset can address, or data running on past the tag that ends the file.
 */
import * as zlib from 'node:zlib';
import { FiffError } from '../../errors.js';
import { FIFF } from './constants.js';

const HEADER = 16;
/** FIF offsets are signed 32-bit, so no valid file is larger than 2 GiB once inflated. */
const LIMIT = 2 ** 31;
/** Bytes allowed after the last tag (next = -1): writers pad, nothing valid is that long. */
const TRAILING = 1 << 16;

/** The chunks received so far, read at positions that never move backwards (a cursor, not a scan). */
class Chunks {
  readonly list: Buffer[] = [];
  length = 0;
  private at = 0;
  private atStart = 0;
  push(c: Buffer): void { this.list.push(c); this.length += c.length; }
  int32(pos: number): number {
    while (this.atStart + this.list[this.at].length <= pos) this.atStart += this.list[this.at++].length;
    const b = Buffer.alloc(4);
    for (let k = 0, i = this.at, start = this.atStart; k < 4; k++) {
      while (pos + k >= start + this.list[i].length) start += this.list[i++].length;
      b[k] = this.list[i][pos + k - start];
    }
    return b.readInt32BE(0);
  }
}

/** Walks tag headers as far as the inflated bytes reach; throws as soon as the chain is impossible. */
class TagWalk {
  pos = 0;
  /** Where the data must end (set by the last tag), or null while the chain goes on. */
  end: number | null = null;
  /** A jump backwards cannot be followed in a stream: from there only the size limit applies. */
  unchecked = false;
  constructor(readonly path: string) {}

  advance(c: Chunks): void {
    while (!this.unchecked && this.end === null && c.length >= this.pos + HEADER) {
      const kind = c.int32(this.pos), type = c.int32(this.pos + 4), size = c.int32(this.pos + 8), next = c.int32(this.pos + 12);
      if (this.pos === 0 && (kind !== FIFF.FIFF_FILE_ID || type !== FIFF.FIFFT_ID_STRUCT || size !== 20)) {
        throw new FiffError(this.path, 0, kind, 'expected gzip-compressed FIF data starting with a 20-byte file id tag (kind 100)');
      }
      if (size < 0 || this.pos + HEADER + size > LIMIT) {
        throw new FiffError(this.path, this.pos, kind, `tag length ${size} runs past the 2 GiB a FIF file can address`);
      }
      const after = this.pos + HEADER + size;
      if (next < 0) this.end = after;
      else if (next === FIFF.FIFFV_NEXT_SEQ) this.pos = after;
      else if (next > this.pos) this.pos = next;
      else this.unchecked = true;
    }
    if (this.end !== null && c.length > this.end + TRAILING) {
      throw new FiffError(this.path, this.end, null, `expected the file to end after its last tag, but the data goes on past ${this.end + TRAILING} bytes`);
    }
    if (c.length > LIMIT) throw new FiffError(this.path, LIMIT, null, 'expected at most 2 GiB of FIF data once inflated');
  }
}

/** The inflated bytes of a gzipped FIF file; a FiffError (offset in the inflated data) when it cannot be one. */
export function inflateFiff(path: string, gz: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const z = zlib.createGunzip();
    const chunks = new Chunks();
    const walk = new TagWalk(path);
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      z.destroy();
      reject(e instanceof FiffError ? e : new FiffError(path, 0, null, `expected gzip-compressed FIF data (${(e as Error).message})`));
    };
    z.on('data', (c: Buffer) => {
      chunks.push(c);
      try { walk.advance(chunks); } catch (e) { fail(e); }
    });
    z.on('error', fail);
    z.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks.list, chunks.length));
    });
    z.end(gz);
  });
}
