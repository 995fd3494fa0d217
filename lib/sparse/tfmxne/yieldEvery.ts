/**
 * TF-MxNE's per-position work (STFTs, proxes, dual norms) is JavaScript on the main thread: a
 * pause point for its loops, so a long solve hands the event loop back every `ms` milliseconds
 * (the service and batch runs keep answering while a solve runs).
 */
import { setImmediate as immediate } from 'node:timers/promises';

export function yieldEvery(ms = 10): () => Promise<void> | void {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < ms) return undefined;
    return immediate().then(() => { last = performance.now(); });
  };
}
