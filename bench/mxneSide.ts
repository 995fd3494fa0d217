/**
 * The mxne side of `npm run bench` (line protocol in bench/sideProcess.ts). Usage:
 *   node dist/bench/mxneSide.js '<workload spec as JSON>'
 * Loads what the workload keeps out of the timing, runs it once as warm-up, prints {"ready": …},
 * then answers each stdin line: "run" → {seconds, check, stages}, "probe" → one more run with
 * perf_hooks.monitorEventLoopDelay at 1 ms resolution → {seconds, loopMaxMs, loopP99Ms, loopCpuMaxMs, check}
 * (a plain run for 'process' workloads),
 * "quit" → {maxRssMb} (lifetime peak RSS; for 'process' workloads the largest of the processes it
 * started). Every computation mirrors bench/mne_side.py.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readNpyMatrix } from '../lib/io/npy.js';
import { blasSelection, getNumThreads, packageRoot } from '../lib/native.js';
import { iterativeMixedNormSolver } from '../lib/sparse/iterativeMixedNormSolver.js';
import { mixedNorm, type MixedNormResult } from '../lib/sparse/mixedNorm.js';
import { mixedNormSolver } from '../lib/sparse/mixedNormSolver.js';
import type { MixedNormOptions } from '../lib/sparse/mixedNormOptions.js';
import { gammaMap } from '../lib/sparse/gammaMap/gammaMap.js';
import { tfMixedNorm } from '../lib/sparse/tfmxne/tfMixedNorm.js';
import { dspmWeights } from '../lib/workflow/dspmWeights.js';
import { readSeedInputs, solveSeed, type SeedInputs } from '../lib/workflow/solveFiles.js';
import { mainThreadCpu } from './loopProbes.js';
import { DEFAULT_CROP, SEED_OPTIONS, type WorkloadSpec } from './workloads.js';

export interface Check { activeSources?: number[]; activeColumns?: number[] }
export interface Outcome { check: Check; stages: Record<string, number> }
type Run = () => Promise<Outcome>;

const now = () => performance.now() / 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readJob(spec: WorkloadSpec) {
  const [tmin, tmax] = spec.crop ?? DEFAULT_CROP;
  return { fwd: spec.fwd as string, evoked: spec.evoked as string, cov: spec.cov as string, condition: spec.condition ?? 0, baseline: [null, 0] as [null, number], tmin, tmax };
}

function sourcesOf(r: MixedNormResult): Check {
  return { activeSources: r.dipoles.map((d) => d.sourceIndex).sort((a, b) => a - b) };
}

/** mixedNorm's own per-stage seconds (diagnostics.timings), prefixed for the breakdown table. */
function mixedNormStages(r: MixedNormResult): Record<string, number> {
  return Object.fromEntries(Object.entries(r.diagnostics.timings).map(([k, v]) => [`mixed_norm.${k}`, v]));
}

/** Peak RSS of the processes 'process' workloads started (their VmHWM, sampled every 10 ms while they run). */
let childPeakRssMb = 0;

/** Runs a whole process to its end; rejects with the end of its stderr when it fails. */
function runProcess(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) childPeakRssMb = Math.max(childPeakRssMb, Number(m[1]) / 1024);
      } catch { /* exited, or not Linux */ }
    }, 10);
    child.on('error', (e) => { clearInterval(poll); reject(e); });
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code === 0) resolve();
      else reject(new Error(`exit code ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

export async function makeWorkload(spec: WorkloadSpec): Promise<Run> {
  const seed: MixedNormOptions = { ...SEED_OPTIONS, ...(spec.options as MixedNormOptions | undefined) };
  if (spec.kind === 'solver') {
    const p = JSON.parse(fs.readFileSync(spec.problem as string, 'utf8')) as {
      G: { file: string }; M: { file: string }; n_orient: number; alpha: number; tol: number; maxit: number; active_set_size: number; dgap_freq: number;
    };
    const root = spec.fixtures as string;
    const G = readNpyMatrix(`${root}/${p.G.file}`), M = readNpyMatrix(`${root}/${p.M.file}`);
    const o = { maxit: p.maxit, tol: p.tol, activeSetSize: p.active_set_size, debias: true, nOrient: p.n_orient, solver: 'bcd' as const, dgapFreq: p.dgap_freq };
    return async () => {
      const out = spec.run === 'irmxne' ? await iterativeMixedNormSolver(M, G, p.alpha, 10, o) : await mixedNormSolver(M, G, p.alpha, o);
      return { check: { activeColumns: Array.from(out.activeSet) }, stages: {} };
    };
  }
  if (spec.kind === 'mixedNorm') {
    const inputs: SeedInputs = await readSeedInputs(readJob(spec));
    const weights = await dspmWeights(inputs.evoked, inputs.forward, inputs.cov, seed);
    return async () => {
      const r = await mixedNorm(inputs.evoked, inputs.forward, inputs.cov, { ...seed, weights });
      return { check: sourcesOf(r), stages: mixedNormStages(r) };
    };
  }
  if (spec.kind === 'tfMixedNorm' || spec.kind === 'gammaMap') {
    const { evoked, forward, cov } = await readSeedInputs(readJob(spec));
    const o = spec.options as { alpha: number; l1Ratio?: number };
    return async () => {
      const r = spec.kind === 'tfMixedNorm'
        ? await tfMixedNorm(evoked, forward, cov, { alpha: o.alpha, l1Ratio: o.l1Ratio as number })
        : await gammaMap(evoked, forward, cov, o.alpha);
      return { check: { activeSources: r.dipoles.map((d) => d.sourceIndex).sort((a, b) => a - b) }, stages: {} };
    };
  }
  if (spec.kind === 'process') {
    // `mxne solve` as users run it: a fresh Node, its default report unless figures is false.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-bench-process-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    const out = path.join(dir, 'out');
    const [tmin, tmax] = spec.crop ?? DEFAULT_CROP;
    const args = [path.join(packageRoot(), 'dist', 'lib', 'cli', 'main.js'), 'solve', '--fwd', spec.fwd as string, '--evoked', spec.evoked as string,
      '--cov', spec.cov as string, '--condition', String(spec.condition ?? 0), '--tmin', String(tmin), '--tmax', String(tmax), '--out', out, '-q',
      ...(spec.figures ? [] : ['--no-report'])];
    return async () => {
      await runProcess(process.execPath, args);
      const summary = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8')) as { dipoles: Array<{ sourceIndex: number }> };
      return { check: { activeSources: summary.dipoles.map((d) => d.sourceIndex).sort((a, b) => a - b) }, stages: {} };
    };
  }
  if (spec.kind === 'pipeline') {
    return async () => {
      const t0 = now();
      const inputs = await readSeedInputs(readJob(spec));
      const t1 = now();
      let t2 = t1;
      const r = await solveSeed(inputs, { weights: 'dspm', mixedNorm: seed }, (stage) => { if (stage === 'solve') t2 = now(); });
      const t3 = now();
      return { check: sourcesOf(r), stages: { read: t1 - t0, dspm: t2 - t1, mixed_norm: t3 - t2, ...mixedNormStages(r) } };
    };
  }
  throw new Error(`unknown workload kind ${String(spec.kind)}`);
}

async function attempt(run: Run): Promise<{ seconds: number; check: Check | null; stages: Record<string, number>; error?: string }> {
  const t0 = now();
  try {
    const out = await run();
    return { seconds: now() - t0, ...out };
  } catch (e) {
    return { seconds: now() - t0, check: null, stages: {}, error: (e as Error).message ?? String(e) };
  }
}

/**
 * Peak RSS of this process image: VmHWM (Linux), which starts afresh at exec. ru_maxrss does not:
 * a child inherits the parent's RSS at fork time in it, which would charge the harness to the side.
 */
export function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch { /* not Linux */ }
  return process.resourceUsage().maxRSS / 1024;
}

async function main(): Promise<void> {
  const say = (x: unknown) => process.stdout.write(`${JSON.stringify(x)}\n`);
  let run: Run;
  const spec = JSON.parse(process.argv[2]) as WorkloadSpec;
  try {
    run = await makeWorkload(spec);
  } catch (e) {
    say({ ready: false, error: (e as Error).message });
    return;
  }
  const warm = await attempt(run);
  say({ ready: true, blasThreads: getNumThreads(), blasCore: blasSelection.corename, ...(warm.error ? { error: warm.error } : {}) });
  const lines = (await import('node:readline')).createInterface({ input: process.stdin });
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === 'run') {
      say(await attempt(run));
    } else if (line === 'probe' && spec.kind === 'process') {
      // The stalls that matter are the started process's, not this waiting side's: a plain run.
      say(await attempt(run));
    } else if (line === 'probe') {
      // The main thread's longest stall while the workload's Promise is pending.
      const h = monitorEventLoopDelay({ resolution: 1 });
      // The histogram records the interval between two ticks of its timer: let it tick before the
      // run starts and once more after it ends, so stalls at either edge are not lost.
      h.enable();
      const cpu = mainThreadCpu();
      await sleep(5);
      const r = await attempt(run);
      await sleep(5);
      h.disable();
      say({ ...r, loopMaxMs: h.max / 1e6, loopP99Ms: h.percentile(99) / 1e6, loopMeanMs: h.mean / 1e6, loopCpuMaxMs: cpu.stop() });
    } else if (line === 'quit') {
      say({ maxRssMb: spec.kind === 'process' ? childPeakRssMb : peakRssMb() });
      lines.close();
      break;
    }
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stdout.write(`${JSON.stringify({ ready: false, error: (e as Error).stack ?? String(e) })}\n`);
    process.exitCode = 1;
  });
}
