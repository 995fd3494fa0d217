/**
 * `npm run accuracy` (bench/ACCURACY.md): simulated recordings with known sources on the demo's
 * spherical head and (with ../shared) the fixture surface and volume forwards, solved by MNE-Python's
 * seed settings, by mxne at the same settings and by every `--auto` strategy; scored and reported.
 *
 *   --quick        a CI-sized run (12 cases, 4 two-condition ones; the report goes to the run folder, not bench/)
 *   --cases N      number of single-condition cases (default 204: 68 per head)
 *   --seed S       base seed; case i uses S + i (default 1000)
 *   --joint N      number of two-condition cases (default 36)
 *   --no-mne       skip the MNE-Python side
 *   --out DIR      where the cases' files and results.json go (default: a temporary folder)
 *   --report FILE  only rewrite bench/ACCURACY.md and the plot from a run's results.json
 *   --reuse FILE   take from an earlier run's results.json the results of every method but the
 *                  default --auto strategy (and MNE's) for the cases it holds with the same seed and
 *                  truth; their times are left out of the time medians (a run under another load)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeEvoked } from '../../lib/io/fiff/writeEvoked.js';
import { packageRoot } from '../../lib/native.js';
import { fixtureHead, sphereHead, type Head, type HeadName } from './heads.js';
import { AUTO_NAME, MXNE_METHODS, solvesFresh } from './methods.js';
import { PYTHON, runMne, type MneCase, type MneReply, type MneRun } from './mneSide.js';
import { scoreCase, type CaseScore, type EstimatedDipole } from './score.js';
import { simulateCase, type CaseSpec, type SimulatedCase } from './simulate.js';
import { writeReport } from './report.js';
import { jointHeads, solveJointCase, type JointCaseResult } from './joint.js';

export interface MethodResult { dipoles: EstimatedDipole[]; seconds: number; score: CaseScore; alpha?: number; error?: string; /** Taken from an earlier run (--reuse). */ reused?: boolean }
export interface CaseResult { spec: CaseSpec; methods: Record<string, MethodResult> }
export interface StudyResults {
  command: string; quick: boolean; started: string; minutes: number; machine: string; load: number[];
  heads: Record<string, { nSources: number; nChannels: number; /** Sources of the file taken out as truth sites (fixtures). */ heldOut?: number }>; cases: CaseResult[]; joint: JointCaseResult[];
  /** --reuse: the earlier run's start and how many cases' results came from it. */
  reused?: { started: string; cases: number; methods: string[] };
  /** Where the run's time went (the profile in ACCURACY.md). */
  time?: RunTime;
}

/** Wall seconds of the run's parts, CPU seconds of both sides, the load average when it ended. */
export interface RunTime {
  heads: number; simulate: number;
  /** From the start of the solves: the mxne single-condition cases, then the two-condition ones (two at a time, alongside MNE-Python). */
  mxneSingle: number; mxneJoint: number; mne: number;
  /** CPU seconds: this Node process (mxne, its native threads included) and the MNE-Python processes. */
  mxneCpu: number; mneCpu: number;
  loadEnd: number[];
}

export const MNE_NAME = 'MNE seed';

/** The command that reproduces the run (--out, a local folder, left out). */
function commandLine(argv: string[]): string {
  let kept = argv;
  for (const flag of ['--out']) { const i = kept.indexOf(flag); if (i >= 0) kept = [...kept.slice(0, i), ...kept.slice(i + 2)]; }
  return `npm run accuracy${kept.length > 0 ? ` -- ${kept.join(' ')}` : ''}`;
}

function args(argv: string[]) {
  const get = (k: string) => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1] : undefined; };
  const quick = argv.includes('--quick');
  return { quick, cases: Number(get('--cases') ?? (quick ? 12 : 204)), joint: Number(get('--joint') ?? (quick ? 4 : 36)), seed: Number(get('--seed') ?? 1000), mne: !argv.includes('--no-mne'), out: get('--out'), report: get('--report'), reuse: get('--reuse') };
}

function sharedFixtures(): string {
  const shared = process.env.MXNE_SHARED ? path.resolve(process.env.MXNE_SHARED) : path.resolve(packageRoot(), '..', 'shared');
  return path.join(shared, 'fixtures');
}

const failed = (spec: CaseSpec, error: string): MethodResult => ({ dipoles: [], seconds: Number.NaN, score: scoreCase(spec.sources, []), error });

async function solveCase(s: SimulatedCase, h: Head, earlier: Record<string, MethodResult>): Promise<CaseResult> {
  const methods: Record<string, MethodResult> = {};
  for (const method of MXNE_METHODS) {
    if (earlier[method.name] !== undefined) { methods[method.name] = { ...earlier[method.name], reused: true }; continue; }
    try {
      const r = await method.run(s.evoked, h, solvesFresh(h, method) ? undefined : h.preparation);
      methods[method.name] = { ...r, score: scoreCase(s.spec.sources, r.dipoles) };
    } catch (e) {
      methods[method.name] = failed(s.spec, (e as Error).message);
    }
  }
  return { spec: s.spec, methods };
}

async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  if (a.report !== undefined) {
    await writeReport(JSON.parse(fs.readFileSync(a.report, 'utf8')) as StudyResults, path.join(packageRoot(), 'bench'));
    return;
  }
  const t0 = performance.now(), cpu0 = process.cpuUsage();
  const seconds = (since: number) => (performance.now() - since) / 1000;
  const minutes = () => ((performance.now() - t0) / 60000).toFixed(1);
  const load = os.loadavg();
  const dir = a.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-accuracy-'));
  fs.mkdirSync(dir, { recursive: true });
  const heads: Head[] = [await sphereHead(dir)];
  for (const name of ['surf', 'vol'] as const) {
    const h = await fixtureHead(name, sharedFixtures());
    if (h !== null) heads.push(h);
  }
  if (heads.length === 1) console.log(`accuracy: ${sharedFixtures()} not found: sphere head only`);
  const byName = new Map<HeadName, Head>(heads.map((h) => [h.name, h]));
  // MNE-Python takes the same sources out of the same files (mne_accuracy.py).
  const heldOutFiles = new Map(heads.filter((h) => h.heldOut.length > 0).map((h) => {
    const file = path.join(dir, `${h.name}-held-out.json`);
    fs.writeFileSync(file, JSON.stringify(h.heldOut));
    return [h.name, file];
  }));
  const tHeads = seconds(t0);

  // 1) simulate every case and write its evoked for the MNE side
  const tSim = performance.now();
  const sims = Array.from({ length: a.cases }, (_, i) => simulateCase(heads[i % heads.length], i, a.seed + i));
  const previous = a.reuse === undefined ? null : (JSON.parse(fs.readFileSync(a.reuse, 'utf8')) as StudyResults);
  // An earlier case counts only with the same seed, head and truth; the default strategy is always solved again.
  const earlier = sims.map((s) => {
    const c = previous?.cases.find((p) => p.spec.id === s.spec.id);
    if (c === undefined || JSON.stringify(c.spec) !== JSON.stringify(JSON.parse(JSON.stringify(s.spec)))) return {};
    return Object.fromEntries(Object.entries(c.methods).filter(([n]) => n !== AUTO_NAME));
  });
  const mneCases: MneCase[] = [];
  for (const s of sims) {
    if (earlier[s.spec.id][MNE_NAME] !== undefined) continue;
    const file = path.join(dir, `case-${s.spec.id}-ave.fif`);
    await writeEvoked(file, s.evoked);
    const h = byName.get(s.spec.head)!;
    mneCases.push({ id: s.spec.id, evoked: file, fwd: h.fwdPath, cov: h.covPath, heldOut: heldOutFiles.get(h.name) ?? null });
  }
  const tSimulate = seconds(tSim);
  console.log(`accuracy: ${sims.length} cases on ${heads.map((h) => `${h.name} (${h.forward.nsource} sources)`).join(', ')} in ${dir}`);

  // 2) MNE-Python in two processes (one BLAS thread each), alongside mxne: the study's wall time
  // is what limits how many cases it can afford
  const tSolve = performance.now();
  const mneOk = a.mne && spawnSync(PYTHON, ['-c', 'import mne'], { stdio: 'ignore' }).status === 0;
  if (a.mne && !mneOk) console.log(`accuracy: ${PYTHON} cannot import mne: the MNE-Python side is skipped`);
  let tMne = 0;
  const mneRun: Promise<MneRun> = mneOk
    ? runMne(mneCases, dir, Math.min(2, os.cpus().length)).then((m) => { tMne = seconds(tSolve); console.log(`accuracy: MNE-Python done (${minutes()} min)`); return m; })
    : Promise.resolve({ replies: new Map<number, MneReply>(), cpuSeconds: 0 });

  // 3) mxne, two cases at a time (its solves are native jobs on the thread pool: one per core): the
  // single-condition cases, then the two-condition ones, while MNE-Python is still at work
  const cases: CaseResult[] = new Array(sims.length);
  let next = 0, done = 0, singles = 0, tSingle = 0;
  const joint: JointCaseResult[] = new Array(jointHeads(heads).length > 0 ? a.joint : 0);
  const jobs: Array<() => Promise<void>> = [
    ...sims.map((s) => async () => {
      cases[s.spec.id] = await solveCase(s, byName.get(s.spec.head)!, earlier[s.spec.id]);
      if (++singles === sims.length) tSingle = seconds(tSolve);
    }),
    ...Array.from({ length: joint.length }, (_, i) => async () => {
      const usable = jointHeads(heads);
      joint[i] = await solveJointCase(usable[i % usable.length], i, a.seed + 100000 + i);
    }),
  ];
  const worker = async () => {
    while (next < jobs.length) {
      await jobs[next++]();
      if (++done % 20 === 0) console.log(`accuracy: ${done}/${jobs.length} solves of cases (${minutes()} min)`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(2, os.cpus().length) }, worker));
  const tMxne = seconds(tSolve);
  const mne = await mneRun;
  for (const c of cases) {
    const before = earlier[c.spec.id][MNE_NAME];
    if (before !== undefined) { c.methods = { [MNE_NAME]: { ...before, reused: true }, ...c.methods }; continue; }
    const m = mne.replies.get(c.spec.id);
    if (m !== undefined) c.methods = { [MNE_NAME]: m.error ? failed(c.spec, m.error) : { dipoles: m.dipoles!, seconds: m.seconds!, score: scoreCase(c.spec.sources, m.dipoles!) }, ...c.methods };
  }
  const cpu = process.cpuUsage(cpu0);
  const time: RunTime = {
    heads: tHeads, simulate: tSimulate, mxneSingle: tSingle, mxneJoint: tMxne - tSingle, mne: tMne,
    mxneCpu: (cpu.user + cpu.system) / 1e6, mneCpu: mne.cpuSeconds, loadEnd: os.loadavg(),
  };

  const results: StudyResults = {
    command: commandLine(process.argv.slice(2)), quick: a.quick, started: new Date(Date.now() - (performance.now() - t0)).toISOString(),
    minutes: (performance.now() - t0) / 60000, machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}; Node ${process.version}; MNE-Python via ${PYTHON}`,
    load, heads: Object.fromEntries(heads.map((h) => [h.name, { nSources: h.forward.nsource, nChannels: h.info.nchan, heldOut: h.heldOut.length }])), cases, joint,
    time,
    ...(previous === null ? {} : { reused: { started: previous.started, cases: earlier.filter((e) => Object.keys(e).length > 0).length, methods: [...new Set(earlier.flatMap((e) => Object.keys(e)))] } }),
  };
  fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify(results));
  const target = a.quick ? dir : path.join(packageRoot(), 'bench');
  if (!a.quick) fs.writeFileSync(path.join(target, 'accuracy-results.json'), JSON.stringify(results));
  await writeReport(results, target);
  console.log(`accuracy: ${results.minutes.toFixed(1)} min; report in ${path.join(target, 'ACCURACY.md')}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
