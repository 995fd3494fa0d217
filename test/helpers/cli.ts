/** Runs the `mxne` command as a user does (a child process of the built CLI). */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { packageRoot } from '../../lib/native.js';
import { PROGRESS_PREFIX } from '../../lib/cli/reporter.js';

export const MAIN = path.join(packageRoot(), 'dist', 'lib', 'cli', 'main.js');

export interface CliRun { code: number; stdout: string; stderr: string }

export function mxne(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** stderr without the per-stage progress lines (printed when stderr is not a terminal). */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l !== '' && !l.startsWith(PROGRESS_PREFIX));
}
