/** Exit codes of the `mxne` command and its one-line error messages. */
import { FiffError, InputError, MxneError, NativeError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** Bad arguments or bad input: something the user fixes by changing the command or the files. */
export const EXIT_BAD_INPUT = 2;
/** Stopped by --timeout, as timeout(1). */
export const EXIT_TIMEOUT = 124;

/** Bad input is anything the user can fix by changing arguments or files; everything else is a failure. */
export function exitCodeFor(e: unknown): number {
  if (e instanceof NativeError) return EXIT_FAILURE;
  if (e instanceof MxneError) return EXIT_BAD_INPUT;
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'EROFS') return EXIT_BAD_INPUT;
  return EXIT_FAILURE;
}

/** API option names as the CLI spells them, where they differ from the kebab-case rule. */
const FLAG_OF: Record<string, string> = { nMxneIter: '--n-mxne-iter', crop: '--tmin/--tmax' };

/** What to do, for errors whose fix is not obvious from the message alone. */
const HINT: Record<string, string> = {
  weightsMin: 'every source would be dropped; use a smaller --weights-min, or --weights none',
};

export function flagOf(field: string): string {
  return FLAG_OF[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export interface ErrorContext {
  /** Which option named which file, to say which option to fix. */
  files?: Record<string, string>;
  verbose?: boolean;
}

/** One line naming the problem and, where the command line can fix it, the option to change. */
export function errorLine(e: unknown, ctx: ErrorContext = {}): string {
  if (e instanceof FiffError) {
    const option = Object.entries(ctx.files ?? {}).find(([, file]) => file === e.file)?.[0];
    const where = ctx.verbose && e.offset >= 0 ? ` @${e.offset}${e.kind !== null ? ` (tag kind ${e.kind})` : ''}` : '';
    return `mxne: ${option ? `${option} ` : ''}${e.file}${where}: ${e.reason}`;
  }
  if (e instanceof InputError && /^[a-z][A-Za-z]*$/.test(e.field)) {
    const flag = flagOf(e.field);
    const hint = HINT[e.field];
    // With a hint, the API's own detail (in API words) gives way to what to type.
    if (hint) return `mxne: Expected ${e.expected} for ${flag} but received ${e.received}: ${hint}`;
    return `mxne: ${e.message.split('\n')[0].replace(` for ${e.field} `, ` for ${flag} `)}`;
  }
  if (e instanceof Error) {
    const path = (e as { path?: unknown }).path;
    const sys = (e as { syscall?: unknown }).syscall;
    if (typeof path === 'string' && typeof sys === 'string') return `mxne: cannot ${sys} ${path}: ${(e as { code?: string }).code ?? e.message}`;
    return `mxne: ${e.message.split('\n')[0]}`;
  }
  return `mxne: ${String(e)}`;
}
