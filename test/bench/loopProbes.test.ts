/**
 * The soak's stall figure (campaigns/soak.ts) is read in windows around the solves. A window must
 * count a stall inside it and nothing from the pause before it: Node's monitorEventLoopDelay,
 * disabled and enabled again, records that pause as its next tick's delay. The load test's idle
 * processes alongside (startCanary) must answer every read, even once they have stopped or where
 * real-time priority is refused, so that a run never waits on them.
 */
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoopDelayWindows, startCanary } from '../../bench/loopProbes.js';

/** Blocks the event loop for `ms` milliseconds. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('LoopDelayWindows', () => {
  it('counts a stall inside a window', async () => {
    const loop = new LoopDelayWindows();
    await loop.during(async () => { await sleep(5); block(60); await sleep(5); });
    assert.ok(loop.summary().maxMs >= 50, `longest stall ${loop.summary().maxMs} ms after blocking 60 ms`);
  });

  it('does not count the event loop blocked between two windows', async () => {
    const loop = new LoopDelayWindows();
    await loop.during(() => sleep(30));
    block(300);
    await loop.during(() => sleep(30));
    const { maxMs, meanMs } = loop.summary();
    assert.ok(maxMs < 150, `longest stall ${maxMs} ms: the 300 ms between the windows was counted`);
    assert.ok(Number.isFinite(meanMs));
  });
});

describe('startCanary', () => {
  for (const realtime of [false, true]) {
    it(`${realtime ? 'under SCHED_FIFO' : 'at normal priority'}: reads a stall, and NaN once stopped`, async () => {
      const canary = startCanary({ realtime });
      const first = await canary.read();
      await sleep(50);
      const second = await canary.read();
      if (realtime && Number.isNaN(first)) {
        // chrt -f refused (no CAP_SYS_NICE): every read says so instead of waiting.
        assert.ok(Number.isNaN(second));
      } else {
        assert.ok(first >= 0 && second >= 0 && second < 1000, `stalls ${first}, ${second} ms`);
      }
      canary.stop();
      await sleep(100);
      assert.ok(Number.isNaN(await canary.read()));
    });
  }
});
