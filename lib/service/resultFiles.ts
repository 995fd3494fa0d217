/**
 * A finished job's output files as a client may fetch them: only the names `mxne solve` writes
 * (an allow-list, so no name can reach another file). Their result.json names the inputs as the
 * client gave them (SolveJob.inputNames, set by the queues), so every file is served as written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../errors.js';
import { outFolder } from './jobRecord.js';

const ALLOWED: [RegExp, string, string][] = [
  [/^result\.json$/, '', 'application/json'],
  [/^mxne-(lh|rh|vl)\.stc$/, '', 'application/octet-stream'],
  [/^residual-ave\.fif$/, '', 'application/octet-stream'],
  [/^dipole-\d{1,6}\.bdip$/, 'dipoles', 'application/octet-stream'],
  [/^dipole-\d{1,6}\.dip$/, 'dipoles', 'text/plain; charset=utf-8'],
];

export function resultFileName(name: string): string {
  if (!ALLOWED.some(([re]) => re.test(name))) {
    throw new InputError('name', 'result.json, mxne-lh.stc, mxne-rh.stc, residual-ave.fif, dipole-<k>.bdip or dipole-<k>.dip', JSON.stringify(name));
  }
  return name;
}

/** The file's path and content type, or null when this job did not write it. */
export async function resultFile(results: string, id: string, name: string): Promise<{ path: string; type: string } | null> {
  const [, sub, type] = ALLOWED.find(([re]) => re.test(name))!;
  const p = path.join(outFolder(results, id), sub, name);
  const st = await fs.promises.lstat(p).catch(() => null);
  return st?.isFile() ? { path: p, type } : null;
}
