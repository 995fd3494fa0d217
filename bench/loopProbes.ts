/**
 * What a stall figure is made of on a shared machine. monitorEventLoopDelay's maximum is
 * wall-clock: it counts the process's own synchronous work and GC pauses, and also the time its
 * thread waited for a core. These two probes separate them: the main thread's own CPU time between
 * two ticks of a 1 ms timer, and the stall of an idle Node process alongside (the scheduler alone).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The longest stretch of main-thread CPU time between two ticks of a 1 ms timer (Linux schedstat,
 * ns): what the event loop is blocked by this process's own work, whatever else runs on the
 * machine. monitorEventLoopDelay's wall-clock stall also counts the time the thread waits for a
 * core, which on a shared machine can be most of it. NaN where schedstat is not available.
 */
export function mainThreadCpu(): { stop(): number } {
  // The file stays open and is read again from offset 0 (/proc regenerates it): one syscall a tick.
  let fd: number | null = null;
  try { fd = fs.openSync('/proc/thread-self/schedstat', 'r'); } catch { /* not Linux: NaN */ }
  const buf = Buffer.alloc(64);
  const read = () => (fd === null ? NaN : Number(buf.toString('latin1', 0, fs.readSync(fd, buf, 0, buf.length, 0)).split(' ')[0]) / 1e6);
  let last = read(), max = 0;
  const timer = setInterval(() => { const now = read(); max = Math.max(max, now - last); last = now; }, 1).unref();
  return {
    stop: () => {
      clearInterval(timer);
      const out = Number.isNaN(last) ? NaN : Math.max(max, read() - last);
      if (fd !== null) fs.closeSync(fd);
      return out;
    },
  };
}

/**
 * An idle Node process watching its own event loop (monitorEventLoopDelay, 1 ms) alongside: on a
 * shared machine the scheduler alone stalls a loop, and this says how much of a stall is that.
 * With `realtime` it runs under SCHED_FIFO (`chrt -f 1`, which needs CAP_SYS_NICE): then no process
 * keeps it from a core, and its stall is what the machine itself causes (a virtual machine paused
 * by its host, or the kernel's own work where the kernel does not preempt). `read()` gives the longest stall since the
 * previous read and starts a new window; NaN if the process could not start or has stopped.
 */
export function startCanary(o: { realtime?: boolean } = {}): { read(): Promise<number>; stop(): void } {
  const script = `const h = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 1 }); h.enable();
    process.stdin.on('data', () => { process.stdout.write(String(h.max / 1e6) + '\\n'); h.reset(); });`;
  const child = o.realtime
    ? spawn('chrt', ['-f', '1', process.execPath, '-e', script], { stdio: ['pipe', 'pipe', 'ignore'] })
    : spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let gone = false;
  const ended = new Promise<number>((resolve) => {
    const end = () => { gone = true; resolve(NaN); };
    child.once('error', end); // chrt missing
    child.once('exit', end); // chrt refused (no CAP_SYS_NICE), or killed
  });
  child.stdin!.on('error', () => { /* EPIPE: it has ended, and `ended` says so */ });
  return {
    read: () => (gone ? Promise.resolve(NaN) : Promise.race([ended, new Promise<number>((resolve) => {
      child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString())));
      child.stdin!.write('\n');
    })])),
    stop: () => { child.kill(); },
  };
}

/**
 * The event-loop delay (monitorEventLoopDelay, 1 ms) over several windows of work, each window
 * with a histogram of its own. One histogram disabled and enabled again is wrong: Node keeps the
 * time of its last tick across disable() and enable(), so the first tick of the next window records
 * the whole pause between the windows as one stall (a 60 ms idle pause reads as a 70 ms stall).
 * The summary is the longest stall of any window, the highest window p99, and the mean over all ticks.
 */
export class LoopDelayWindows {
  private maxNs = 0;
  private p99Ns = 0;
  private sumNs = 0;
  private ticks = 0;

  async during<T>(work: () => Promise<T>): Promise<T> {
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    try {
      return await work();
    } finally {
      h.disable();
      if (h.count > 0) {
        this.maxNs = Math.max(this.maxNs, h.max);
        this.p99Ns = Math.max(this.p99Ns, h.percentile(99));
        this.sumNs += h.mean * h.count;
        this.ticks += h.count;
      }
    }
  }

  /** Milliseconds: the longest stall, the highest p99 of a window, the mean tick delay. */
  summary(): { maxMs: number; p99Ms: number; meanMs: number } {
    return { maxMs: this.maxNs / 1e6, p99Ms: this.p99Ns / 1e6, meanMs: this.ticks > 0 ? this.sumNs / this.ticks / 1e6 : NaN };
  }
}
