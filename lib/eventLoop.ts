/**
 * Handing the event loop back between synchronous stretches, so that timers (a service's
 * heartbeats, the 1 ms probe of the bench) and I/O run in between.
 */
import { setImmediate as immediate } from 'node:timers/promises';

/**
 * One setImmediate is not always enough: code resumed by a native job's completion runs in the
 * loop's poll phase, and an immediate queued there runs in the same iteration's check phase,
 * before any timer. A second one, queued from the check phase, runs one iteration later, after
 * the timers phase.
 */
export async function nextTurn(): Promise<void> {
  await immediate();
  await immediate();
}

let lastParseTurn: Promise<unknown> = Promise.resolve();

/**
 * Resolves on a turn of the event loop no other parse step shares (call it, then parse
 * synchronously). Files read side by side finish in the same poll phase; a setImmediate from each
 * would then run back to back in the same check phase, one long synchronous stretch (the evoked's
 * and the covariance's parsing, ~20 ms together, were the read stage's longest). Each turn waits
 * for the previous one, so its setImmediate is queued from inside the check phase and runs on the
 * next turn of the loop, after timers and I/O had their chance.
 */
export function parseTurn(): Promise<void> {
  const turn = lastParseTurn.then(() => immediate());
  lastParseTurn = turn;
  return turn;
}
