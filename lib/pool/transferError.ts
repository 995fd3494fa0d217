/**
 * Errors across the worker boundary. A structured clone keeps an Error's message but neither its
 * class nor its fields (file, field, offset…), which callers and the service need to answer with
 * the file and field at fault; so the worker sends a plain record and the pool rebuilds an error
 * of the same class with the same fields.
 */
import { ChannelMismatchError, FiffError, InputError, MxneError, NativeError, PoolError } from '../errors.js';

export interface ErrorRecord {
  name: string;
  message: string;
  stack?: string;
  /** Own enumerable fields: code, and the typed error's InputError.field, FiffError.file, … */
  fields: Record<string, unknown>;
}

const CLASSES: Record<string, { prototype: Error }> = { MxneError, InputError, FiffError, ChannelMismatchError, NativeError, PoolError };

export function errorRecord(e: unknown): ErrorRecord {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), fields: {} };
  return { name: e.name, message: e.message, stack: e.stack, fields: { ...e } };
}

/** The worker's error as an instance of the same class (constructors are bypassed: they recompose messages). */
export function rebuildError(r: ErrorRecord): Error {
  if (r.name === 'AbortError') return new DOMException(r.message, 'AbortError');
  const e = Object.create((CLASSES[r.name] ?? Error).prototype) as Error;
  Object.assign(e, r.fields);
  Object.defineProperties(e, {
    message: { value: r.message, writable: true, configurable: true },
    stack: { value: r.stack ?? `${r.name}: ${r.message}`, writable: true, configurable: true },
  });
  if (!(r.name in CLASSES)) e.name = r.name;
  return e;
}
