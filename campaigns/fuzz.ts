/**
 * `npm run fuzz`: the fuzz campaign over every reader (campaigns/fuzzTargets.ts). Each reader runs
 * in its own worker thread, watched from the main thread, so a read that never ends is reported
 * (and the campaign goes on) instead of hanging it. Prints per reader: executions, reads, typed
 * errors, unique failures, the block coverage of lib/io reached, the slowest read and the most
 * memory a read left allocated. Exit code 1 when any reader has a failure; each failure's first
 * input is written to --failures (default fuzz-failures/).
 *
 *   npm run fuzz                       # 100,000 mutants per reader
 *   npm run fuzz -- --runs 2000 --only stc,dip --seed 7
 */
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { makeTargets } from './fuzzTargets.js';
import { runCampaign } from './runCampaign.js';

interface WorkerJob { target: string; runs: number; seed: number }
interface Coverage { blocks: number; covered: number; functions: number; functionsRun: number }
interface Result {
  target: string; executions: number; reads: number; typedErrors: number; seconds: number; maxMs: number; maxExtraMb: number;
  failures: { signature: string; count: number; example: string }[]; coverage: Coverage;
}

/**
 * Block coverage of the reader's compiled modules (Target.covers) during the campaign. V8
 * reports, after the reset, only the functions run since; `before` (taken at the reset) lists
 * every function loaded, so the ones the campaign never ran still count in the total.
 */
function coverageOf(covers: RegExp, before: inspector.Profiler.ScriptCoverage[], after: inspector.Profiler.ScriptCoverage[]): Coverage {
  const io = (url: string) => covers.test(url);
  const run = new Map<string, inspector.Profiler.FunctionCoverage>();
  for (const script of after) if (io(script.url)) for (const fn of script.functions) run.set(`${script.url}@${fn.ranges[0].startOffset}`, fn);
  const c: Coverage = { blocks: 0, covered: 0, functions: 0, functionsRun: 0 };
  const all = new Map<string, inspector.Profiler.FunctionCoverage>();
  for (const script of before) if (io(script.url)) for (const fn of script.functions) all.set(`${script.url}@${fn.ranges[0].startOffset}`, fn);
  for (const [key, fn] of run) all.set(key, fn);
  for (const [key, fn] of all) {
    c.functions++;
    const ran = run.get(key);
    if (ran !== undefined && ran.ranges[0].count > 0) c.functionsRun++;
    for (const r of fn.ranges) { c.blocks++; if (ran !== undefined && r.count > 0) c.covered++; }
  }
  return c;
}

async function work(job: WorkerJob): Promise<void> {
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params?: object) => new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r as T))));
  await post('Profiler.enable');
  await post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  const [target] = makeTargets([job.target]);
  // Resets the counts (making the seeds ran the writers) and lists every function loaded.
  const before = await post<inspector.Profiler.TakePreciseCoverageReturnType>('Profiler.takePreciseCoverage');
  const r = await runCampaign(target, { runs: job.runs, seed: job.seed, timeBound: true, onProgress: (n) => { if (n % 500 === 0) parentPort!.postMessage({ progress: n }); } });
  const cov = await post<inspector.Profiler.TakePreciseCoverageReturnType>('Profiler.takePreciseCoverage');
  const result: Result = {
    target: r.target, executions: r.executions, reads: r.reads, typedErrors: r.typedErrors, seconds: r.seconds, maxMs: r.maxMs, maxExtraMb: r.maxExtraMb,
    failures: [...r.failures].map(([signature, f]) => ({ signature, count: f.count, example: f.example.toString('base64') })), coverage: coverageOf(target.covers, before.result, cov.result),
  };
  parentPort!.postMessage({ result });
}

function arg(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 && k + 1 < process.argv.length ? process.argv[k + 1] : fallback;
}

/** Runs one reader in a worker; a worker silent for `stallMs` is terminated and reported as a hang. */
function runWorker(job: WorkerJob, stallMs: number, onProgress: (n: number) => void): Promise<Result> {
  return new Promise((resolve) => {
    const w = new Worker(__filename, { workerData: job });
    let last = 0;
    let timer = setTimeout(hang, stallMs);
    function hang() {
      void w.terminate();
      resolve({ target: job.target, executions: last, reads: 0, typedErrors: 0, seconds: 0, maxMs: stallMs, maxExtraMb: 0,
        failures: [{ signature: `hang: no progress for ${stallMs / 1000} s after ${last} executions (seed ${job.seed})`, count: 1, example: '' }],
        coverage: { blocks: 0, covered: 0, functions: 0, functionsRun: 0 } });
    }
    w.on('message', (m: { progress?: number; result?: Result }) => {
      clearTimeout(timer);
      if (m.result) { resolve(m.result); void w.terminate(); return; }
      last = m.progress ?? last;
      onProgress(last);
      timer = setTimeout(hang, stallMs);
    });
    w.on('error', (e) => {
      clearTimeout(timer);
      resolve({ target: job.target, executions: last, reads: 0, typedErrors: 0, seconds: 0, maxMs: 0, maxExtraMb: 0,
        failures: [{ signature: `worker died: ${e.message}`, count: 1, example: '' }], coverage: { blocks: 0, covered: 0, functions: 0, functionsRun: 0 } });
    });
  });
}

async function main(): Promise<void> {
  const runs = Number(arg('runs', '100000'));
  const seed = Number(arg('seed', '20261201'));
  const only = arg('only', '');
  const failuresDir = arg('failures', 'fuzz-failures');
  const names = makeTargets(only ? only.split(',') : undefined).map((t) => t.name);
  console.log(`fuzz: ${runs} mutants per reader, seed ${seed}, readers ${names.join(', ')}`);
  const results: Result[] = [];
  for (const target of names) {
    const t0 = Date.now();
    const r = await runWorker({ target, runs, seed }, 60000, (n) => {
      if (process.stderr.isTTY) process.stderr.write(`\r  ${target}: ${n} / ${runs} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    results.push(r);
    const cov = r.coverage.blocks > 0 ? `${(100 * r.coverage.covered / r.coverage.blocks).toFixed(1)}% of the reader's blocks (${r.coverage.functionsRun}/${r.coverage.functions} functions)` : 'n/a';
    console.log(`${target.padEnd(20)} ${String(r.executions).padStart(7)} executions  ${String(r.reads).padStart(6)} reads  ${String(r.typedErrors).padStart(6)} typed errors  ${r.failures.length} unique failures  coverage ${cov}  slowest ${r.maxMs.toFixed(1)} ms CPU  max left ${r.maxExtraMb.toFixed(1)} MB  ${r.seconds.toFixed(0)} s`);
    for (const f of r.failures) {
      console.log(`    FAILURE ×${f.count}: ${f.signature}`);
      if (f.example) {
        fs.mkdirSync(failuresDir, { recursive: true });
        const file = path.join(failuresDir, `${target}-${results.length}-${r.failures.indexOf(f)}.bin`);
        fs.writeFileSync(file, Buffer.from(f.example, 'base64'));
        console.log(`      input: ${file}`);
      }
    }
  }
  const failures = results.reduce((n, r) => n + r.failures.length, 0);
  const total = results.reduce((n, r) => n + r.executions, 0);
  console.log(`total: ${total} executions, ${failures} unique failures`);
  process.exitCode = failures > 0 ? 1 : 0;
}

if (isMainThread) void main();
else void work(workerData as WorkerJob);
