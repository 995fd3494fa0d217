/**
 * Where the event loop stalls with many solves in flight: a burst of `--concurrency` seed-workflow
 * solves on the demo dataset under the V8 sampling profiler (0.1 ms), and monitorEventLoopDelay.
 * The profile's samples are cut into stretches of main-thread work (anything but "(idle)"); for
 * the longest stretches it prints their length and the mxne functions (lib/) they ran in.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/stalls.js --n-sources 2000 --concurrency 16
 */
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { generateDemo } from '../lib/demo/index.js';
import { readSeedInputs, solveSeed } from '../lib/workflow/solveFiles.js';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

function arg(name: string, fallback: number): number {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 && k + 1 < process.argv.length ? Number(process.argv[k + 1]) : fallback;
}

/** Stretches of consecutive non-idle samples, each with ms per innermost lib/ function. */
function stretches(p: Profile): { ms: number; where: Map<string, number> }[] {
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
  const out: { ms: number; where: Map<string, number> }[] = [];
  let cur: { ms: number; where: Map<string, number> } | null = null;
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    const idle = byId.get(id)!.callFrame.functionName === '(idle)';
    if (idle) { if (cur) out.push(cur); cur = null; return; }
    cur ??= { ms: 0, where: new Map() };
    cur.ms += dt;
    const key = libFrame(id);
    cur.where.set(key, (cur.where.get(key) ?? 0) + dt);
  });
  if (cur) out.push(cur);
  return out.sort((a, b) => b.ms - a.ms);
}

async function main(): Promise<void> {
  const nSources = arg('n-sources', 2000), concurrency = arg('concurrency', 16), top = arg('top', 8);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-stalls-'));
  const d = await generateDemo({ outDir: dir, nSources, seed: 42 });
  const inputs = await readSeedInputs({ fwd: d.fwd, evoked: d.evoked, cov: d.cov, condition: d.condition, baseline: [null, 0], tmin: 0, tmax: 0.3 });
  const job = { weights: 'dspm' as const, mixedNorm: { alpha: 55 } };
  await solveSeed(inputs, job); // warm-up: code compiled, pools started
  const session = new inspector.Session();
  session.connect();
  const post = <T>(m: string, params: object = {}) => new Promise<T>((res, rej) => session.post(m, params, (e, r) => (e ? rej(e) : res(r as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  const h = monitorEventLoopDelay({ resolution: 1 });
  await post('Profiler.start');
  h.enable();
  await Promise.all(Array.from({ length: concurrency }, () => solveSeed(inputs, job)));
  h.disable();
  const { profile } = await post<{ profile: Profile }>('Profiler.stop');
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`${concurrency} solves in flight (demo, ${d.nSources} sources): longest stall ${(h.max / 1e6).toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms`);
  for (const s of stretches(profile).slice(0, top)) {
    const where = [...s.where].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${v.toFixed(1)}`).join('; ');
    console.log(`  ${s.ms.toFixed(1)} ms: ${where}`);
  }
}

void main();
