/**
 * Loaded into the `mxne serve` under load by bench/serviceLoad.ts (node --require), to split the
 * server's stall as the pipeline's is split: the main thread's longest CPU run between two ticks of
 * a 1 ms timer (loopProbes.mainThreadCpu) is the HTTP side's own work; the rest of a stall is
 * waiting for a core. On SIGUSR2 it writes the maximum since the previous signal (ms) to the file
 * named by MXNE_BENCH_LOOP_CPU and starts a new window.
 */
import * as fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { mainThreadCpu } from './loopProbes.js';

const file = process.env.MXNE_BENCH_LOOP_CPU;
// --require preloads into every worker thread too: the solves' threads must not tick every 1 ms.
if (file && isMainThread) {
  let probe = mainThreadCpu();
  process.on('SIGUSR2', () => {
    const ms = probe.stop();
    probe = mainThreadCpu();
    fs.writeFileSync(file, String(ms));
  });
}
