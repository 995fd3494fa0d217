/**
 * The solve process of lib/pool/solveProcess.ts: a SolvePool that takes its tasks over the IPC
 * channel. It runs every thread below its parent's priority (argv[2] is the nice value), ignores
 * the terminal's and the service manager's stop signals (its parent finishes the running jobs
 * and then closes it), and exits when its parent goes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { ProcessReport, ProcessRequest } from './messages.js';
import { SolvePool } from './solvePool.js';
import { errorRecord } from './transferError.js';

/**
 * Raises every thread of this process (V8's platform threads already run) to `nice`: threads
 * started later take it from the thread that starts them. Linux only; elsewhere the process keeps
 * its parent's priority.
 */
function lowerEveryThread(nice: number): void {
  let tids: string[];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const tid of tids) {
    try {
      os.setPriority(Number(tid), nice);
    } catch {
      // The thread ended between the listing and the call.
    }
  }
}

const send = (m: ProcessReport) => process.send!(m);

function main(): void {
  const [jobsArg, niceArg] = process.argv.slice(2);
  lowerEveryThread(Number(niceArg));
  // The parent bounds the queue: it sends no more tasks than there are workers.
  const pool = new SolvePool({ jobs: Number(jobsArg), keepPreparation: true });
  const running = new Map<number, AbortController>();
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  // The parent ended without closing: running solves stop at their next epoch (cancelAtExit).
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: ProcessRequest) => {
    if (m.type === 'cancel') running.get(m.id)?.abort(new DOMException('The task was cancelled', 'AbortError'));
    else if (m.type === 'close') void pool.close().then(() => process.disconnect());
    else {
      const controller = new AbortController();
      running.set(m.id, controller);
      pool.solveInto(m.job, {
        signal: controller.signal,
        onStage: (_row, stage, detail) => send({ type: 'stage', id: m.id, stage, detail }),
        onProgress: (_row, progress) => send({ type: 'progress', id: m.id, progress }),
      }).then(() => null, errorRecord).then((error) => {
        running.delete(m.id);
        send({ type: 'end', id: m.id, error });
      });
    }
  });
}

main();
