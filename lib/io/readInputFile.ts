/**
 * Reading an input file whole, bounded by what it is: only regular files are read (a device such
 * as /dev/zero or a FIFO would be read until memory runs out), and exactly the size fstat reports,
 * so a file that grows while it is read cannot grow the allocation.
 */
import * as fs from 'node:fs';
import { InputError } from '../errors.js';

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The bytes of a regular file; `field` names the input in errors (e.g. '--evoked'). */
export async function readInputFile(file: string, field = file): Promise<Buffer> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw new InputError(field, 'a readable file', file, (e as Error).message);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new InputError(field, 'a regular file', `${file} (${kindOf(st)})`);
    // Unpooled, so the bytes own their ArrayBuffer (readers view it with DataView).
    const buf = Buffer.allocUnsafeSlow(st.size);
    let n = 0;
    while (n < st.size) {
      const { bytesRead } = await fh.read(buf, n, st.size - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    return n === st.size ? buf : buf.subarray(0, n);
  } finally {
    await fh.close();
  }
}
