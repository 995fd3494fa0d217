/**
 * What rows of one subject share, prepared once: the read forward and covariance, the sparse
 * solvers' prepared gain (channels, whitener, depth prior, orientation prior, whitened gain) and
 * the dSPM operator. Keys are file contents (SHA-256) and the options each step depends on, never
 * paths, so a changed file is never served stale. Bounded: the least recently used entry goes
 * first. A pool worker holds one per task, or for its life (SolvePoolOptions.keepPreparation).
 */
import { createHash } from 'node:crypto';
import type { Info } from '../records/info.js';

export class PreparationCache {
  private readonly entries = new Map<string, Promise<unknown>>();
  hits = 0;
  misses = 0;

  constructor(readonly maxEntries = 8) {}

  /** The value for `key`, made by `make` once; a failed make is not kept. */
  get<T>(key: string, make: () => Promise<T>): Promise<T> {
    const had = this.entries.get(key);
    if (had !== undefined) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, had);
      return had as Promise<T>;
    }
    this.misses++;
    const value = make();
    value.catch(() => { if (this.entries.get(key) === value) this.entries.delete(key); });
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
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
  const json = JSON.stringify(info, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
  return createHash('sha256').update(json).digest('hex');
}

/** A cache key part for option values (stable, readable). */
export function optionsKey(values: unknown[]): string {
  return JSON.stringify(values);
}
