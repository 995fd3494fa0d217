/**
 * Input paths of a job, confined to --data-root. A path is checked twice: as written (`..` and
 * absolute paths elsewhere) and after fs.realpath (a symbolic link that leads out). The message
 * repeats only what the client sent, never the host path of the root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors.js';

const inside = (root: string, p: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/** The real path of the data root (it must exist and be a folder). */
export async function realDataRoot(dir: string): Promise<string> {
  try {
    const real = await fs.promises.realpath(dir);
    if (!(await fs.promises.stat(real)).isDirectory()) throw new Error('not a folder');
    return real;
  } catch (e) {
    throw new InputError('--data-root', 'an existing folder', dir, (e as Error).message);
  }
}

/** Resolves `given` (relative to the root, or absolute inside it) to the real path of a regular file under `root`. */
export async function resolveUnderRoot(root: string, given: string, field: string): Promise<string> {
  if (given === '' || given.includes('\0')) throw new InputError(field, 'a file path under the data root', JSON.stringify(given));
  const candidate = path.resolve(root, given);
  if (!inside(root, candidate)) throw new InputError(field, 'a file path under the data root', JSON.stringify(given), 'it points outside');
  let real: string;
  try {
    real = await fs.promises.realpath(candidate);
  } catch {
    throw new InputError(field, 'an existing file under the data root', JSON.stringify(given), 'no such file');
  }
  if (!inside(root, real)) throw new InputError(field, 'a file path under the data root', JSON.stringify(given), 'a symbolic link leads outside');
  if (!(await fs.promises.stat(real)).isFile()) throw new InputError(field, 'a regular file', JSON.stringify(given));
  return real;
}
