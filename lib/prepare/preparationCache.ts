/**
 * What rows of one subject share, prepared once: the read forward and covariance, the sparse
 * solvers' prepared gain (channels, whitener, depth prior, orientation prior, whitened gain) and
 * the dSPM operator. Keys are file contents (SHA-256) and the options each step depends on, never
 * paths, so a changed file is never served stale. Bounded: the least recently used entry goes
 * first. A pool worker holds one per task, or for its life (SolvePoolOptions.keepPreparation).
 */
import { createHash } from 'node:crypto';
import type { Info } from '../records/info.js';

/**
 * The memory a cache may hold by default (the arrays its values reach; see buffersOf). One subject
 * of the demo at 3,000 sources takes 54 MB (the read forward, 26 MB, is half of it), and it grows
 * with the sources (in proportion, ~360 MB at 20,000): a service's worker (SolvePoolOptions.keepPreparation)
 * keeps several subjects of a few thousand sources, or one of the largest forwards.
 */
export const PREPARATION_CACHE_BYTES = 512 << 20;

interface Entry {
  value: Promise<unknown>;
  /** The array buffers the resolved value reaches (null while it is being made). */
  buffers: ArrayBufferLike[] | null;
}

export class PreparationCache {
  private readonly entries = new Map<string, Entry>();
  /** Each buffer held by the entries, with how many entries reach it: shared arrays count once. */
  private readonly held = new Map<ArrayBufferLike, number>();
  /** Bytes of the distinct buffers the entries reach. */
  bytes = 0;
  hits = 0;
  misses = 0;

  /**
   * Bounded by entry count and by the bytes of the arrays the values reach. A row of the seed
   * workflow makes about a dozen entries, so `maxEntries` must leave room for at least one
   * subject's: an LRU smaller than what one row touches drops every entry before the next row
   * asks for it, and nothing is shared.
   */
  constructor(readonly maxEntries = 64, readonly maxBytes = PREPARATION_CACHE_BYTES) {}

  /** The value for `key`, made by `make` once; a failed make is not kept. */
  get<T>(key: string, make: () => Promise<T>): Promise<T> {
    const had = this.entries.get(key);
    if (had !== undefined) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, had);
      return had.value as Promise<T>;
    }
    this.misses++;
    const value = make();
    const entry: Entry = { value, buffers: null };
    this.entries.set(key, entry);
    value.then((v) => {
      if (this.entries.get(key) !== entry) return;
      entry.buffers = buffersOf(v);
      for (const b of entry.buffers) {
        const n = this.held.get(b) ?? 0;
        if (n === 0) this.bytes += b.byteLength;
        this.held.set(b, n + 1);
      }
      this.trim(key);
    }, () => { if (this.entries.get(key) === entry) this.drop(key, entry); });
    this.trim(key);
    return value;
  }

  /** Drops the least recently used entries beyond the bounds; never `keep` (just made) nor one still being made (in use). */
  private trim(keep: string): void {
    for (const [key, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) return;
      if (key !== keep && e.buffers !== null) this.drop(key, e);
    }
  }

  private drop(key: string, e: Entry): void {
    this.entries.delete(key);
    for (const b of e.buffers ?? []) {
      const n = this.held.get(b)! - 1;
      if (n === 0) {
        this.held.delete(b);
        this.bytes -= b.byteLength;
      } else this.held.set(b, n);
    }
  }
}

/**
 * The distinct array buffers a value reaches through its own properties (records, matrices, short
 * arrays), down to a few levels. What closures capture is not seen (a prepared gain's whitening
 * plan: the whitener, under 2 MB), nor what long arrays of records hold (channel infos: small), so
 * the count is a lower bound dominated by the large arrays, which are fields. Shallow on purpose:
 * it runs once per entry in every pool worker, and a deep walk over channel records cost more in
 * compilation than the rest of the cache.
 */
function buffersOf(value: unknown): ArrayBufferLike[] {
  const buffers = new Set<ArrayBufferLike>();
  const visit = (v: unknown, depth: number): void => {
    if (typeof v !== 'object' || v === null) return;
    if (ArrayBuffer.isView(v)) buffers.add(v.buffer);
    else if (depth < 4 && !(Array.isArray(v) && v.length > 16)) for (const x of Object.values(v)) visit(x, depth + 1);
  };
  visit(value, 0);
  return [...buffers];
}

/** Where a solve's preparation may come from: the cache, and the identity of its inputs (forward, covariance, measurement info). */
export interface Preparation {
  cache: PreparationCache;
  key: string;
  /**
   * true: the cache lives for one solve only (solveSeed's own), so what it holds is used by that
   * solve alone and need not be copied before it is changed; it still shares the steps the dSPM
   * operator and the sparse gain have in common (the prepared noise covariance).
   */
  single?: boolean;
}

/** A memo around one preparation step: the value for `key`, made by `make` once. */
export type Memo = <T>(key: string, make: () => Promise<T>) => Promise<T>;

/** The memo of a preparation's steps (keys are scoped to its inputs). */
export function stepMemo(p: Preparation): Memo {
  return (key, make) => p.cache.get(`${p.key}|${key}`, make);
}

/** A digest of a measurement info (channels, bads, projectors, transforms): conditions of one file share it. */
export function infoDigest(info: Info): string {
  // JSON, not v8.serialize: V8's format tells a number stored as a small integer from the same
  // value stored as a double, and a holey array from a packed one, so equal infos of one file
  // read for two rows got different digests and nothing was shared.
  return createHash('sha256').update(JSON.stringify(info, arrayBytes)).digest('hex');
}

/**
 * infoDigest's replacer: typed arrays by their bytes (their type named); printing each number was
 * most of the digest's time, per row. Defined once: a replacer made per call was optimised anew
 * after every full collection in every pool worker (lib/records/nameIndex.ts says why).
 */
function arrayBytes(_key: string, v: unknown): unknown {
  return ArrayBuffer.isView(v) ? `${v.constructor.name}:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}` : v;
}

/** A cache key part for option values (stable, readable). */
export function optionsKey(values: unknown[]): string {
  return JSON.stringify(values);
}
