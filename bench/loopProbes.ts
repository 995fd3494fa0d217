/**
 * What a stall figure is made of on a shared machine. monitorEventLoopDelay's maximum is
 * wall-clock: it counts the process's own synchronous work and GC pauses, and also the time its
 * thread waited for a core. These two probes separate them: the main thread's own CPU time between
 * two ticks of a 1 ms timer, and the stall of an idle Node process alongside (the scheduler alone).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * The longest stretch of main-thread CPU time between two ticks of a 1 ms timer (Linux schedstat,
 * ns): what the event loop is blocked by this process's own work, whatever else runs on the
 * machine. monitorEventLoopDelay's wall-clock stall also counts the time the thread waits for a
 * core, which on a shared machine can be most of it. NaN where schedstat is not available.
 */
export function mainThreadCpu(): { stop(): number } {
  const read = () => { try { return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6; } catch { return NaN; } };
  let last = read(), max = 0;
  const timer = setInterval(() => { const now = read(); max = Math.max(max, now - last); last = now; }, 1);
  return { stop: () => { clearInterval(timer); return Number.isNaN(last) ? NaN : Math.max(max, read() - last); } };
}

/**
 * An idle Node process watching its own event loop (monitorEventLoopDelay, 1 ms) alongside: on a
 * shared machine the scheduler alone stalls a loop, and this says how much of a stall is that.
 * `read()` gives the longest stall since the previous read and starts a new window.
 */
export function startCanary(): { read(): Promise<number>; stop(): void } {
  const child = spawn(process.execPath, ['-e', `const h = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 1 }); h.enable();
    process.stdin.on('data', () => { process.stdout.write(String(h.max / 1e6) + '\\n'); h.reset(); });`], { stdio: ['pipe', 'pipe', 'inherit'] });
  return {
    read: () => new Promise((resolve) => { child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString()))); child.stdin!.write('\n'); }),
    stop: () => child.kill(),
  };
}
