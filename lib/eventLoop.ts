/**
 * Handing the event loop back between synchronous stretches, so that timers (a service's
 * heartbeats, the 1 ms probe of the bench) run in between. One setImmediate is not always enough:
 * code resumed by a native job's completion runs in the loop's poll phase, and an immediate queued
 * there runs in the same iteration's check phase, before any timer. A second one, queued from the
 * check phase, runs one iteration later, after the timers phase.
 */
import { setImmediate as immediate } from 'node:timers/promises';

export async function nextTurn(): Promise<void> {
  await immediate();
  await immediate();
}
