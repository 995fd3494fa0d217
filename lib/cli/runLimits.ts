/**
 * --threads and --timeout for one CLI run. The timeout ends the process (exit 124, as timeout(1))
 * with one line saying so: ending the process stops every stage at once (an AbortSignal stops
 * only the solver, between epochs, and the reads and dSPM do not watch one). It is disarmed when writing starts, so it never cuts a
 * run between its output files; before that, nothing has been written into --out.
 */
import { setNumThreads } from '../native.js';
import { EXIT_TIMEOUT } from './exitCodes.js';

export interface RunLimits { threads?: number; timeout?: number }

export interface Deadline { disarm(): void }

export function applyLimits(o: RunLimits, stage: () => string): Deadline {
  if (o.threads !== undefined) setNumThreads(o.threads);
  if (o.timeout === undefined) return { disarm: () => {} };
  const timer = setTimeout(() => {
    process.stderr.write(`\nmxne: stopped by --timeout ${o.timeout} s during ${stage()}; no results were written\n`);
    process.exit(EXIT_TIMEOUT);
  }, o.timeout * 1000);
  timer.unref();
  return { disarm: () => clearTimeout(timer) };
}
