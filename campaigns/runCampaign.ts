/**
 * One reader's campaign: `runs` mutants from fast-check's seeded generator, each read once. A
 * mutant fails when the reader ends in anything but a read or a typed error naming the file, when
 * the memory the read leaves allocated exceeds 64 × the file's size + 16 MB (an allocation sized
 * by a lying header), or — with `timeBound` — when its CPU time exceeds 250 ms + 5 µs per byte
 * in each of three tries (CPU, not wall time, and three tries: on a shared machine a read
 * can wait for a core far longer than it computes). Failures are counted by signature, each kept
 * with its first input.
 */
import fc from 'fast-check';
import { judge, type Target } from './fuzzTargets.js';
import { applyMutant, mutantArbitrary } from './mutate.js';

export interface Failure { count: number; example: Buffer }

export interface CampaignReport {
  target: string;
  executions: number;
  reads: number;
  typedErrors: number;
  failures: Map<string, Failure>;
  /** The largest memory a read left allocated beyond the input, in MB. */
  maxExtraMb: number;
  /** The most CPU time one read took, in ms. */
  maxMs: number;
  seconds: number;
}

export const timeLimitMs = (bytes: number): number => 250 + 0.005 * bytes;
export const memoryLimitBytes = (bytes: number): number => 64 * bytes + (16 << 20);

async function once(t: Target, bytes: Buffer): Promise<{ ok: boolean; error: unknown; ms: number; extra: number }> {
  const before = process.memoryUsage().arrayBuffers;
  const cpu0 = process.cpuUsage();
  let error: unknown = null, ok = true;
  try {
    // Measured after the read returns, before a collection can reclaim what it allocated.
    await t.read(bytes);
  } catch (e) {
    ok = false;
    error = e;
  }
  const cpu = process.cpuUsage(cpu0);
  const ms = (cpu.user + cpu.system) / 1000;
  const extra = process.memoryUsage().arrayBuffers - before;
  return { ok, error, ms, extra };
}

export async function runCampaign(t: Target, o: { runs: number; seed: number; timeBound: boolean; onProgress?: (n: number) => void }): Promise<CampaignReport> {
  const report: CampaignReport = { target: t.name, executions: 0, reads: 0, typedErrors: 0, failures: new Map(), maxExtraMb: 0, maxMs: 0, seconds: 0 };
  const fail = (sig: string, bytes: Buffer) => {
    const f = report.failures.get(sig);
    if (f) f.count++; else report.failures.set(sig, { count: 1, example: bytes });
  };
  const t0 = performance.now();
  try {
    await fc.assert(fc.asyncProperty(mutantArbitrary(t.seeds.length, t.text, t.tokens), async (m) => {
      const bytes = applyMutant(t.seeds[m.seed], t.hot[m.seed], m, t.separator);
      let r = await once(t, bytes);
      for (let k = 0; k < 2 && o.timeBound && r.ms > timeLimitMs(bytes.length); k++) r = await once(t, bytes);
      report.executions++;
      o.onProgress?.(report.executions);
      report.maxMs = Math.max(report.maxMs, r.ms);
      report.maxExtraMb = Math.max(report.maxExtraMb, r.extra / 2 ** 20);
      if (r.ok) report.reads++;
      else {
        const sig = judge(t, r.error);
        if (sig === null) report.typedErrors++; else fail(sig, bytes);
      }
      if (r.extra > memoryLimitBytes(bytes.length)) fail(`memory: ${(r.extra / 2 ** 20).toFixed(0)} MB left allocated by a ${bytes.length}-byte file`, bytes);
      if (o.timeBound && r.ms > timeLimitMs(bytes.length)) fail(`time: over ${timeLimitMs(bytes.length).toFixed(0)} ms of CPU (${r.ms.toFixed(0)} ms in the third try)`, bytes);
      return true;
    }), { numRuns: o.runs, seed: o.seed });
  } finally {
    // Targets that made a folder or a server for their reads remove it.
    await t.close?.();
  }
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}
