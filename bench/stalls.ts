/**
 * Where the event loop stalls with many solves in flight: a burst of `--concurrency` seed-workflow
 * solves on the demo dataset under the V8 sampling profiler (0.1 ms), and monitorEventLoopDelay.
 * The profile's samples are cut into stretches of main-thread work (anything but "(idle)"); for
 * the longest stretches it prints their length and the mxne functions (lib/) they ran in.
 * `--interval-us` sets the sampling interval (100 µs; coarser perturbs the CPU runs less).
 * With `--fwd` (and `--evoked`, `--cov`) it profiles the bench's whole pipeline on those files
 * instead, reading included (one at a time by default: the bench's event-loop probe).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/stalls.js --n-sources 2000 --concurrency 16
 *   node dist/bench/stalls.js --fwd ../shared/fixtures/inputs/surf-fwd.fif --evoked ../shared/fixtures/inputs/right_visual-ave.fif --cov ../shared/fixtures/inputs/noise-cov.fif
 */
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { generateDemo } from '../lib/demo/index.js';
import { readSeedInputs, solveSeed } from '../lib/workflow/solveFiles.js';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; startTime: number; samples: number[]; timeDeltas: number[] }
interface Stretch { ms: number; cpuMs: number; start: number; end: number; where: Map<string, number> }

/**
 * The main thread's CPU time (Linux schedstat, ms) at the ticks of a 1 ms timer, with their
 * monotonic time in µs (the profile's clock). A synchronous stretch delays the next tick, so the
 * CPU between the ticks around it is the stretch's own CPU time, without the time the thread
 * waited for a core: on a shared machine that is most of a wall-clock stall.
 */
function cpuTicks(): { stop(): Array<[number, number]> } {
  const read = () => { try { return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6; } catch { return NaN; } };
  const ticks: Array<[number, number]> = [];
  const tick = () => ticks.push([Number(process.hrtime.bigint() / 1000n), read()]);
  tick();
  const timer = setInterval(tick, 1);
  return { stop: () => { clearInterval(timer); tick(); return ticks; } };
}

/** Main-thread CPU ms between the last tick at or before `start` and the first at or after `end`. */
function cpuBetween(ticks: Array<[number, number]>, start: number, end: number): number {
  let a = 0;
  while (a + 1 < ticks.length && ticks[a + 1][0] <= start) a++;
  let b = a;
  while (b + 1 < ticks.length && ticks[b][0] < end) b++;
  return ticks[b][1] - ticks[a][1];
}

function text(name: string): string | undefined {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 && k + 1 < process.argv.length ? process.argv[k + 1] : undefined;
}

function arg(name: string, fallback: number): number {
  const v = text(name);
  return v === undefined ? fallback : Number(v);
}

/** Stretches of consecutive non-idle samples, each with ms per innermost lib/ function and its CPU ms. */
function stretches(p: Profile, ticks: Array<[number, number]>): Stretch[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const libFrame = (id: number): string => {
    for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) {
      const f = byId.get(k)!.callFrame;
      if (/[\\/]dist[\\/]lib[\\/]/.test(f.url)) return `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1}`;
    }
    return byId.get(id)!.callFrame.functionName || '(anonymous)';
  };
  const out: Stretch[] = [];
  let cur: Stretch | null = null;
  let t = p.startTime;
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i] ?? 0;
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    const idle = byId.get(id)!.callFrame.functionName === '(idle)';
    if (idle) { if (cur) out.push(cur); cur = null; return; }
    cur ??= { ms: 0, cpuMs: 0, start: t, end: t, where: new Map() };
    cur.ms += dt;
    cur.end = t + dt * 1000;
    const key = libFrame(id);
    cur.where.set(key, (cur.where.get(key) ?? 0) + dt);
  });
  if (cur) out.push(cur);
  for (const s of out) s.cpuMs = cpuBetween(ticks, s.start, s.end);
  return out.sort((a, b) => b.cpuMs - a.cpuMs);
}

async function main(): Promise<void> {
  const fwd = text('fwd');
  const concurrency = arg('concurrency', fwd === undefined ? 16 : 1), top = arg('top', 8);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-stalls-'));
  const files = fwd !== undefined
    ? { fwd, evoked: text('evoked') as string, cov: text('cov') as string, condition: 0, what: path.basename(fwd) }
    : await generateDemo({ outDir: dir, nSources: arg('n-sources', 2000), seed: 42 }).then((d) => ({ ...d, what: `demo, ${d.nSources} sources` }));
  const read = { fwd: files.fwd, evoked: files.evoked, cov: files.cov, condition: files.condition, baseline: [null, 0] as [null, number], tmin: 0, tmax: 0.3 };
  const inputs = await readSeedInputs(read);
  const job = { weights: 'dspm' as const, mixedNorm: { alpha: 55 } };
  // From files: the bench's pipeline workload, the read included; else solves of inputs read once.
  const once = fwd !== undefined ? async () => solveSeed(await readSeedInputs(read), job) : () => solveSeed(inputs, job);
  await once(); // warm-up: code compiled, pools started
  const session = new inspector.Session();
  session.connect();
  const post = <T>(m: string, params: object = {}) => new Promise<T>((res, rej) => session.post(m, params, (e, r) => (e ? rej(e) : res(r as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: arg('interval-us', 100) });
  const h = monitorEventLoopDelay({ resolution: 1 });
  await post('Profiler.start');
  h.enable();
  const cpu = cpuTicks();
  await Promise.all(Array.from({ length: concurrency }, once));
  const ticks = cpu.stop();
  h.disable();
  const { profile } = await post<{ profile: Profile }>('Profiler.stop');
  let longestCpu = 0;
  for (let k = 1; k < ticks.length; k++) longestCpu = Math.max(longestCpu, ticks[k][1] - ticks[k - 1][1]);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`${concurrency} solves in flight (${files.what}): longest stall ${(h.max / 1e6).toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, longest main-thread CPU run ${longestCpu.toFixed(1)} ms (under the profiler)`);
  console.log('  longest stretches by main-thread CPU (wall ms in the profile): the functions they ran in, wall ms');
  for (const s of stretches(profile, ticks).slice(0, top)) {
    const where = [...s.where].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${v.toFixed(1)}`).join('; ');
    console.log(`  ${s.cpuMs.toFixed(1)} ms CPU (${s.ms.toFixed(1)} wall): ${where}`);
  }
}

void main();
