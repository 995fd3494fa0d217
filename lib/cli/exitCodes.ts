/** Exit codes of the `mxne` command: 0 done, 1 runtime failure, 2 bad arguments or bad input. */
import { MxneError, NativeError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/** Bad input is anything the user can fix by changing arguments or files; everything else is a failure. */
export function exitCodeFor(e: unknown): number {
  if (e instanceof NativeError) return EXIT_FAILURE;
  if (e instanceof MxneError) return EXIT_BAD_INPUT;
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'EROFS') return EXIT_BAD_INPUT;
  return EXIT_FAILURE;
}

/** One line naming the problem (file and field are already in mxne's error messages). */
export function errorLine(e: unknown): string {
  if (e instanceof Error) {
    const path = (e as { path?: unknown }).path;
    const sys = (e as { syscall?: unknown }).syscall;
    if (typeof path === 'string' && typeof sys === 'string') return `mxne: cannot ${sys} ${path}: ${(e as { code?: string }).code ?? e.message}`;
    return `mxne: ${e.message.split('\n')[0]}`;
  }
  return `mxne: ${String(e)}`;
}
