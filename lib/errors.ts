/**
 * mxne's typed errors. Every failure a user can cause is one of these, with the file and field
 * it concerns; nothing prints. Non-convergence is not an error: see ConvergenceWarning.
 */
export class MxneError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A bad argument or option: `field` names it, the message says what was expected and received. */
export class InputError extends MxneError {
  readonly field: string;
  readonly expected: string;
  readonly received: string;
  constructor(field: string, expected: string, received: string, detail?: string) {
    super('EINPUT', `Expected ${expected} for ${field} but received ${received}${detail ? ` (${detail})` : ''}`);
    this.field = field;
    this.expected = expected;
    this.received = received;
  }
}

/** A FIF file that cannot be read as what it claims to be. `offset` is the byte offset of the tag. */
export class FiffError extends MxneError {
  readonly file: string;
  readonly offset: number;
  readonly kind: number | null;
  /** The message without file and offset (what a person needs; the offset is for a bug report). */
  readonly reason: string;
  constructor(file: string, offset: number, kind: number | null, message: string) {
    super('EFIFF', `${file}${offset >= 0 ? ` @${offset}` : ''}${kind !== null ? ` (tag kind ${kind})` : ''}: ${message}`);
    this.reason = message;
    this.file = file;
    this.offset = offset;
    this.kind = kind;
  }
}

/** Channels of two inputs do not agree. */
export class ChannelMismatchError extends MxneError {
  readonly missing: string[];
  readonly extra: string[];
  constructor(message: string, missing: string[], extra: string[] = []) {
    const list = (a: string[]) => (a.length > 8 ? `${a.slice(0, 8).join(', ')}, … (${a.length})` : a.join(', '));
    super('ECHANNELS', `${message}${missing.length ? `; missing: ${list(missing)}` : ''}${extra.length ? `; extra: ${list(extra)}` : ''}`);
    this.missing = missing;
    this.extra = extra;
  }
}

/** A LAPACK/kernel failure from the native core, rethrown with the caller's JS stack. */
export class NativeError extends MxneError {
  readonly op: string;
  readonly info: number;
  constructor(op: string, info: number, message: string) {
    super('ENATIVE', message);
    this.op = op;
    this.info = info;
  }
}

/**
 * The worker pool could not run a task: its worker died mid-task ('EWORKER'; the pool replaces
 * the worker and goes on) or the queue is full ('EQUEUEFULL').
 */
export class PoolError extends MxneError {
  constructor(code: 'EWORKER' | 'EQUEUEFULL', message: string) {
    super(code, message);
  }
}

/** Returned (never thrown) in `result.warnings` when a solver stops at maxit before its gap tolerance. */
export interface ConvergenceWarning {
  readonly code: 'ECONVERGENCE';
  readonly message: string;
  readonly stage: string;
  readonly gap: number;
  readonly tol: number;
  readonly iterations: number;
}

/** A FreeSurfer file (MGH/MGZ volume, triangle surface) that cannot be what it claims to be. */
export class FreeSurferError extends MxneError {
  readonly file: string;
  /** The header field or section at fault (e.g. 'dims', 'type', 'faces'). */
  readonly field: string;
  /** Byte offset of that field (in the inflated data for MGZ). */
  readonly offset: number;
  constructor(file: string, field: string, offset: number, message: string) {
    super('EFREESURFER', `${file} @${offset} (${field}): ${message}`);
    this.file = file;
    this.field = field;
    this.offset = offset;
  }
}
