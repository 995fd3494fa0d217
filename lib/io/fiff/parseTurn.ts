/**
 * Turns of the event loop for parsing, one at a time across every file being read. Files read
 * side by side finish in the same poll phase; a setImmediate from each would then run back to
 * back in the same check phase, one long synchronous stretch (the evoked's and the covariance's
 * parsing, ~20 ms together, were the read stage's longest). Each turn waits for the previous one,
 * so its setImmediate is queued from inside the check phase and runs on the next turn of the loop,
 * after timers and I/O had their chance.
 */
import { setImmediate as immediate } from 'node:timers/promises';

let last: Promise<unknown> = Promise.resolve();

/** Resolves on a turn of the event loop no other parse step shares (call it, then parse synchronously). */
export function parseTurn(): Promise<void> {
  const turn = last.then(() => immediate());
  last = turn;
  return turn;
}
