/**
 * `npm run bench`: mxne and MNE-Python side by side on the same inputs in the same run. Per workload
 * both sides start fresh, load and warm up, then run alternately (A B A B …); we report medians,
 * min–max, the MNE/mxne ratio pair by pair, peak RSS, and whether both found the same active set;
 * then one extra mxne run with the event-loop monitor on. Full runs regenerate the bench section of
 * bench/RESULTS.md, bench/scaling.svg and bench/scaling-times.svg; quick or partial runs write to a
 * temporary folder unless --out/--svg say otherwise.
 *
 *   npm run bench                      all workloads, 7 rounds, synthetic 1k…40k
 *   npm run bench:quick                small inputs, 3 rounds, synthetic 1k and 5k
 *   npm run bench -- --threads 2       OpenBLAS threads on both sides
 *   npm run bench -- --only solver     workloads whose name matches a regex
 *   npm run bench -- --no-mne          mxne only
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { generateDemo } from '../lib/demo/generateDemo.js';
import { atomicWriteSync } from '../lib/io/atomicWrite.js';
import { blasSelection, packageRoot } from '../lib/native.js';
import { SAMPLES_AXIS, scalingSvg } from './plot.js';
import type { Floor } from './floor.js';
import { profileWorkload } from './profile.js';
import { writeResults, type LoopStall, type RunInfo, type SideResult, type WorkloadResult } from './report.js';
import { SideProcess, type ReadyReply, type RunReply } from './sideProcess.js';
import { medianStages, pairRatios, summarize } from './stats.js';
import { fixtureWorkloads, FULL_SIZES, QUICK_SIZES, scalingWorkloads, type Workload } from './workloads.js';

const PYTHON = process.env.MXNE_PYTHON ?? '/usr/bin/python3';

export interface RunOptions { rounds: number; mne: boolean; profile?: boolean }

function sameCheck(a: unknown, b: unknown): boolean {
  return a !== null && a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

function sideResult(replies: RunReply[], rss: number, ready: ReadyReply | null): SideResult | null {
  const ok = replies.filter((r) => !r.error);
  if (ok.length === 0) return null;
  return { ...summarize(ok.map((r) => r.seconds)), maxRssMb: rss, stages: medianStages(ok.map((r) => r.stages)),
    blasThreads: ready?.blasThreads ?? null, blasCore: ready?.blasCore ?? null };
}

/** The kernel set numpy's OpenBLAS picks by itself here. */
function mneInstalledCore(env: NodeJS.ProcessEnv): string | null {
  const r = spawnSync(PYTHON, [path.join(packageRoot(), 'bench', 'mne_side.py'), '--blas-core'], { encoding: 'utf8', env });
  try { return (JSON.parse(r.stdout) as { blasCore: string | null }).blasCore; } catch { return null; }
}

/** The pipeline's arithmetic floor on the workload's inputs, from a process of its own (bench/floor.ts). */
function floorOf(w: Workload, env: NodeJS.ProcessEnv, errors: string[]): Floor | null {
  if (w.group !== 'pipeline' && w.group !== 'scaling') return null;
  const r = spawnSync(process.execPath, [path.join(packageRoot(), 'dist', 'bench', 'floor.js'), JSON.stringify(w.spec)], { encoding: 'utf8', env });
  try { return JSON.parse(r.stdout) as Floor; } catch { errors.push(`floor: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`); return null; }
}

/** Times one workload on both sides; never throws for a side's failure (it becomes an error cell). */
export async function runWorkload(w: Workload, o: RunOptions, env: NodeJS.ProcessEnv): Promise<WorkloadResult> {
  const root = packageRoot();
  const errors: string[] = [];
  // Before the sides start: the GEMM rate is measured with the machine as the timed runs find it.
  const floor = floorOf(w, env, errors);
  const sides = [new SideProcess('mxne', process.execPath, [path.join(root, 'dist', 'bench', 'mxneSide.js'), JSON.stringify(w.spec)], env)];
  if (o.mne) sides.push(new SideProcess('MNE', PYTHON, [path.join(root, 'bench', 'mne_side.py'), JSON.stringify(w.spec)], env));
  const alive = sides.map(() => true);
  const ready: Array<ReadyReply | null> = sides.map(() => null);
  // Both load and warm up at the same time (untimed), then the timed runs alternate.
  await Promise.all(sides.map(async (s, k) => {
    try {
      const r = await s.ready();
      ready[k] = r;
      if (r.error) errors.push(`${s.name} warm-up: ${r.error}`);
    } catch (e) {
      alive[k] = false;
      errors.push((e as Error).message);
      s.kill();
    }
  }));
  const replies: RunReply[][] = sides.map(() => []);
  for (let r = 0; r < Math.min(o.rounds, w.rounds ?? Infinity); r++) {
    for (let k = 0; k < sides.length; k++) {
      if (!alive[k]) continue;
      try {
        const reply = await sides[k].run();
        replies[k].push(reply);
        if (reply.error && !errors.some((e) => e.startsWith(`${sides[k].name}:`))) errors.push(`${sides[k].name}: ${reply.error}`);
      } catch (e) {
        alive[k] = false;
        errors.push((e as Error).message);
      }
    }
  }
  let loop: LoopStall | null = null;
  if (alive[0]) {
    try {
      const p = await sides[0].probe();
      if (p.loopMaxMs !== undefined && !p.error) loop = { maxMs: p.loopMaxMs, p99Ms: p.loopP99Ms ?? NaN, meanMs: p.loopMeanMs ?? NaN, cpuMaxMs: p.loopCpuMaxMs ?? NaN, seconds: p.seconds };
    } catch (e) {
      alive[0] = false;
      errors.push((e as Error).message);
    }
  }
  const rss = await Promise.all(sides.map(async (s, k) => {
    if (!alive[k]) { s.kill(); return NaN; }
    try { return await s.quit(); } catch { s.kill(); return NaN; }
  }));
  const mxne = sideResult(replies[0], rss[0], ready[0]);
  const mne = o.mne ? sideResult(replies[1], rss[1], ready[1]) : null;
  // Pairs where both sides succeeded, in run order.
  const pairs = o.mne ? replies[0].map((a, k) => [a, replies[1][k]] as const).filter(([a, b]) => b && !a.error && !b.error) : [];
  return {
    workload: w,
    mxne,
    mne,
    ratio: pairs.length ? summarize(pairRatios(pairs.map(([a]) => a.seconds), pairs.map(([, b]) => b.seconds))) : null,
    sameActiveSet: pairs.length ? pairs.every(([a, b]) => sameCheck(a.check, b.check)) : null,
    mxneCheck: replies[0][0]?.check ?? null,
    mneCheck: o.mne ? replies[1][0]?.check ?? null : null,
    loop,
    floor,
    profile: o.profile && alive[0] ? await profileWorkload(w.spec, env).catch((e: unknown) => { errors.push(`profile: ${(e as Error).message}`); return null; }) : null,
    errors,
  };
}

/** Writes the synthetic inputs of the scaling workloads (deterministic, seed 42) into `dir`. */
export async function prepareSynthetic(workloads: Workload[], dir: string, log: (s: string) => void): Promise<void> {
  for (const w of workloads) {
    if (!w.synthetic) continue;
    const t0 = performance.now();
    const d = await generateDemo({ outDir: path.join(dir, `synthetic-${w.synthetic}`), nSources: w.synthetic, seed: 42 });
    Object.assign(w.spec, { fwd: d.fwd, evoked: d.evoked, cov: d.cov, condition: 0 });
    w.nSources = d.nSources;
    log(`bench: generated synthetic ${d.nSources}-source forward + evoked + cov in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
}

export function mneAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import mne'], { stdio: 'ignore' }).status === 0;
}

async function main(argv: string[]): Promise<void> {
  const t0 = performance.now();
  const cli = new Command('bench')
    .option('--quick', 'three rounds, small inputs only')
    .option('--rounds <n>', 'timed runs per side after the warm-up (default 7, quick 3)', (v) => Number(v))
    .option('--only <regex>', 'run the workloads whose name matches')
    .option('--sizes <list>', 'synthetic forward sizes, comma-separated (default 1000,5000,10000,20000,40000; quick 1000,5000)')
    .option('--threads <n>', 'OpenBLAS threads on both sides', (v) => Number(v), 1)
    .option('--long', 'also the workloads that take minutes per side (issue 16\'s SURE run)')
    .option('--no-mne', 'time mxne only')
    .option('--same-kernels', 'force both sides onto mxne\'s OpenBLAS kernel set (default: each side as installed)')
    .option('--cpu-prof', 'profile every selected workload\'s mxne side (default: the flagged ones in a full run)')
    .option('--no-cpu-prof', 'no profiling')
    .option('--out <file>', 'report file (default bench/RESULTS.md for a full run, a temporary folder otherwise)')
    .option('--svg <file>', 'scaling plot (default bench/scaling.svg next to the report; the time-samples plot goes next to it as <name>-times.svg)')
    .parse(argv);
  const f = cli.opts<{ quick?: boolean; long?: boolean; rounds?: number; only?: string; sizes?: string; threads: number; mne: boolean; sameKernels?: boolean; cpuProf?: boolean; out?: string; svg?: string }>();
  if (!Number.isInteger(f.threads) || f.threads < 1) throw new Error(`--threads: expected a positive integer, got ${f.threads}`);
  const log = (s: string) => process.stderr.write(s);
  let mneSkipReason: string | undefined;
  let haveMne = f.mne;
  if (!f.mne) mneSkipReason = '--no-mne';
  else if (!mneAvailable()) {
    haveMne = false;
    mneSkipReason = `${PYTHON} cannot import mne (apt-get install python3-mne)`;
  }
  if (mneSkipReason) log(`bench: MNE side SKIPPED: ${mneSkipReason}\n`);
  const rounds = f.rounds ?? (f.quick ? 3 : 7);
  const fixtures = process.env.MXNE_FIXTURES ?? path.resolve(packageRoot(), '..', 'shared', 'fixtures');
  const sizes = f.sizes ? f.sizes.split(',').map(Number) : f.quick ? QUICK_SIZES : FULL_SIZES;
  let workloads = [...fixtureWorkloads(fixtures), ...scalingWorkloads(sizes)];
  if (workloads.every((w) => w.group === 'scaling')) log(`bench: no fixture workloads (fixtures not found at ${fixtures})\n`);
  if (f.quick) workloads = workloads.filter((w) => w.quick || (f.sizes && w.group === 'scaling'));
  if (f.only) workloads = workloads.filter((w) => new RegExp(f.only as string).test(w.name));
  else if (!f.long) workloads = workloads.filter((w) => !w.long);
  const full = !f.quick && !f.only && !f.sizes && !f.rounds;
  const outDir = full ? path.join(packageRoot(), 'bench') : fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-bench-report-'));
  const out = f.out ?? path.join(outDir, 'RESULTS.md');
  const svg = f.svg ?? path.join(path.dirname(out), 'scaling.svg');
  const svgTimes = path.join(path.dirname(svg), `${path.basename(svg, '.svg')}-times.svg`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-bench-data-'));
  const results: WorkloadResult[] = [];
  let kernels: RunInfo['kernels'] = { mxne: blasSelection.corename, mneInstalled: null, same: !!f.sameKernels };
  let sameKernelResults: WorkloadResult[] | undefined;
  try {
    await prepareSynthetic(workloads, dataDir, log);
    // Same BLAS, same thread count on both sides; no Python/Node chatter in the protocol.
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(f.threads), OMP_NUM_THREADS: String(f.threads), MKL_NUM_THREADS: String(f.threads), MNE_LOGGING_LEVEL: 'ERROR' };
    if (f.sameKernels) env.OPENBLAS_CORETYPE = blasSelection.corename;
    kernels = { mxne: blasSelection.corename, mneInstalled: haveMne ? mneInstalledCore(env) : null, same: !!f.sameKernels };
    log(`bench: OpenBLAS kernels mxne ${kernels.mxne}, MNE ${f.sameKernels ? `forced to ${kernels.mxne}` : `as installed ${kernels.mneInstalled ?? 'n/a'}`}\n`);
    const pass = async (ws: Workload[], e: NodeJS.ProcessEnv, into: WorkloadResult[]) => {
      for (const w of ws) {
        log(`bench: ${w.name} …`);
        const r = await runWorkload(w, { rounds, mne: haveMne, profile: f.cpuProf ?? (!f.quick && !!w.profile) }, e);
        log(` mxne ${r.mxne ? `${r.mxne.median.toFixed(4)} s` : 'failed'}${r.mne ? `, MNE ${r.mne.median.toFixed(4)} s, ×${r.ratio?.median.toFixed(1) ?? '?'}` : ''}` +
          `${r.sameActiveSet === false ? ' ACTIVE SET MISMATCH' : ''}${r.loop ? `, loop stall ${r.loop.maxMs.toFixed(1)} ms` : ''}${r.errors.length ? ` errors: ${r.errors.join('; ')}` : ''}\n`);
        into.push(r);
      }
    };
    await pass(workloads, env, results);
    if (full && haveMne && !f.sameKernels && kernels.mneInstalled !== kernels.mxne) {
      log(`bench: MNE's installed kernels (${kernels.mneInstalled}) differ from mxne's: the target workloads again on ${kernels.mxne}\n`);
      sameKernelResults = [];
      await pass(workloads.filter((w) => w.group !== 'samples'), { ...env, OPENBLAS_CORETYPE: kernels.mxne }, sameKernelResults);
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const args = argv.slice(2);
  const command = `${f.quick ? 'npm run bench:quick' : 'npm run bench'}${args.filter((a) => a !== '--quick').length ? ` -- ${args.filter((a) => a !== '--quick').join(' ')}` : ''}`;
  const points = results.filter((r) => r.workload.group === 'scaling' && r.mxne).map((r) => ({ nSources: r.workload.nSources ?? 0, mxne: r.mxne!, mne: r.mne }));
  const svgRel = path.relative(path.dirname(out), svg);
  if (points.length) atomicWriteSync(svg, scalingSvg(points, `seed pipeline (read → dSPM → irMxNE), OPENBLAS_NUM_THREADS=${f.threads}`));
  const samples = results.filter((r) => r.workload.group === 'samples' && r.mxne).map((r) => ({ nTimes: r.workload.nTimes ?? 0, mxne: r.mxne!, mne: r.mne }));
  if (samples.length) atomicWriteSync(svgTimes, scalingSvg(samples, `seed pipeline, 5,960 sources, OPENBLAS_NUM_THREADS=${f.threads}`, SAMPLES_AXIS));
  const info: RunInfo = { command, threads: f.threads, rounds, mne: haveMne, mneSkipReason, svg: points.length ? svgRel : undefined,
    svgTimes: samples.length ? path.relative(path.dirname(out), svgTimes) : undefined, wallSeconds: (performance.now() - t0) / 1000,
    kernels, sameKernelResults };
  writeResults(out, results, info);
  log(`bench: wrote ${out}${[...(points.length ? [svg] : []), ...(samples.length ? [svgTimes] : [])].map((x) => ` and ${x}`).join('')}\n`);
  if (results.some((r) => r.sameActiveSet === false)) log('bench: ACTIVE SET MISMATCH between mxne and MNE (see the report)\n');
}

if (require.main === module) {
  main(process.argv).catch((e: unknown) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
