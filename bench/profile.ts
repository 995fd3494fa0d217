/**
 * Where mxne's main thread spends its time: an extra, untimed mxne side started with
 * `node --cpu-prof` (load, warm-up, then a few runs), its .cpuprofile reduced to self time per
 * function. Native BLAS/LAPACK jobs run on libuv worker threads: the main thread then shows as
 * "(idle)" (waiting) — so a large (idle) share means the time is in native kernels, a large JS
 * share means it is in JavaScript on the main thread, or in a synchronous native call made from it
 * (its time counts as that JS function's self time); both stall the event loop.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../lib/native.js';
import { SideProcess } from './sideProcess.js';
import type { WorkloadSpec } from './workloads.js';

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry { name: string; selfMs: number; share: number }
export interface ProfileSummary { totalMs: number; top: ProfileEntry[]; special: ProfileEntry[] }

export function summarizeCpuProfile(p: CpuProfile, topN = 12): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const specials = new Set<string>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;  // µs until the next sample belong to this one
    const n = byId.get(id);
    if (!n) return;
    const { functionName, url, lineNumber } = n.callFrame;
    // V8's pseudo-nodes: (idle), (program), (garbage collector), (root); everything else is code.
    const special = functionName.startsWith('(') && !url;
    const key = special ? functionName
      : `${functionName || '(anonymous)'} ${url ? `${path.basename(url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '(native)'}`;
    if (special) specials.add(key);
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  const all = [...self.entries()].map(([name, selfMs]) => ({ name, selfMs, share: total ? selfMs / total : 0 })).sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs: total, top: all.filter((e) => !specials.has(e.name)).slice(0, topN), special: all.filter((e) => specials.has(e.name)) };
}

/** Runs the workload `runs` times in a profiled mxne side and summarizes its main thread. */
export async function profileWorkload(spec: WorkloadSpec, env: NodeJS.ProcessEnv, runs = 3): Promise<ProfileSummary> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-bench-prof-'));
  try {
    const side = new SideProcess('mxne (profiled)', process.execPath,
      ['--cpu-prof', `--cpu-prof-dir=${dir}`, path.join(packageRoot(), 'dist', 'bench', 'mxneSide.js'), JSON.stringify(spec)], env);
    try {
      await side.ready();
      for (let k = 0; k < runs; k++) await side.run();
      await side.quit();
    } catch (e) {
      side.kill();
      throw e;
    }
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no .cpuprofile written');
    return summarizeCpuProfile(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
