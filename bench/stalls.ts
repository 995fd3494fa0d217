/**
 * Where the event loop stalls: seed-workflow solves under the V8 sampling profiler and
 * monitorEventLoopDelay, with the main thread's CPU time (Linux schedstat) read at every tick of a
 * 1 ms timer. A synchronous stretch delays the next tick, so the CPU time between two ticks is
 * that stretch's own, without the time the thread waited for a core: on a shared machine that is
 * most of a wall-clock stall (the bench's "longest main-thread CPU run"). For the longest of those
 * intervals it prints the mxne functions (lib/) the profile sampled in them.
 * By default a burst of `--concurrency` (16) solves on the demo dataset; with `--fwd` (and
 * `--evoked`, `--cov`) the bench's pipeline on those files, reading included, one at a time.
 * `--interval-us` sets the sampling interval (default 100 µs; coarser perturbs the run less);
 * `--warm-ups` the untimed runs before (default 1; the bench's runs after its one warm-up get
 * warmer still, so several show the stretches of a warm process).
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
/** [monotonic µs (the profile's clock), main-thread CPU ms] at a timer tick. */
type Tick = [number, number];
interface Stall { cpuMs: number; wallMs: number; where: Map<string, number> }

function text(name: string): string | undefined {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 && k + 1 < process.argv.length ? process.argv[k + 1] : undefined;
}

function arg(name: string, fallback: number): number {
  const v = text(name);
  return v === undefined ? fallback : Number(v);
}

function cpuTicks(): { stop(): Tick[] } {
  const read = () => Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  const ticks: Tick[] = [];
  const tick = () => ticks.push([Number(process.hrtime.bigint() / 1000n), read()]);
  tick();
  const timer = setInterval(tick, 1);
  return { stop: () => { clearInterval(timer); tick(); return ticks; } };
}

/** The intervals between ticks, most main-thread CPU first, each with wall ms per innermost lib/ function sampled in it. */
function stalls(p: Profile, ticks: Tick[]): Stall[] {
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
  const out: Stall[] = [];
  for (let k = 1; k < ticks.length; k++) out.push({ cpuMs: ticks[k][1] - ticks[k - 1][1], wallMs: (ticks[k][0] - ticks[k - 1][0]) / 1000, where: new Map() });
  // Samples and ticks are both in time order: each sample goes to the interval that holds it.
  let t = p.startTime, k = 1;
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i] ?? 0;
    while (k < ticks.length && ticks[k][0] < t) k++;
    if (k >= ticks.length || byId.get(id)!.callFrame.functionName === '(idle)') return;
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    const w = out[k - 1].where;
    const key = libFrame(id);
    w.set(key, (w.get(key) ?? 0) + dt);
  });
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
  for (let k = arg('warm-ups', 1); k > 0; k--) await once(); // warm-up: code compiled, pools started
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
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`${concurrency} solves in flight (${files.what}): longest stall ${(h.max / 1e6).toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms (under the profiler)`);
  console.log('  longest main-thread CPU runs between two ticks of the 1 ms timer: CPU ms (wall ms): functions sampled in them, wall ms');
  for (const s of stalls(profile, ticks).slice(0, top)) {
    const where = [...s.where].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${v.toFixed(1)}`).join('; ');
    console.log(`  ${s.cpuMs.toFixed(1)} ms (${s.wallMs.toFixed(1)}): ${where}`);
  }
}

void main();
