/**
 * `npm run bench:cohort`: a cohort through `mxne batch` on all cores, side by side with MNE-Python
 * running the same recordings in one process, in a loop (bench/cohort_mne.py), with the seed
 * settings; identical active sets required. Cohort: synthetic subjects from the demo generator
 * (lib/demo), each with its own forward and covariance and several conditions in one evoked file.
 * mxne runs three times: as a batch without reports (a subject's conditions share their
 * preparation), with every row on its own copy (hard links) of its subject's files (nothing
 * shared), to measure what sharing saves, and as a batch that writes every recording's report and
 * morph, to measure what they cost. Writes the section between <!-- cohort:start --> and <!-- cohort:end --> of the report.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { generateDemo } from '../lib/demo/index.js';
import { DEMO_TEMPLATE } from '../lib/demo/subjectFiles.js';
import { atomicWriteSync } from '../lib/io/atomicWrite.js';
import { blasSelection, packageRoot } from '../lib/native.js';
import { version } from '../lib/version.js';
import type { SolveSummary } from '../lib/workflow/summary.js';

const PYTHON = process.env.MXNE_PYTHON ?? '/usr/bin/python3';
const START = '<!-- cohort:start -->';
const END = '<!-- cohort:end -->';
const TARGET = 10;

interface Row { id: string; fwd: string; evoked: string; cov: string; condition: number; subject: string }
interface SideRun { seconds: number; cpuSeconds: number; maxRssMb: number; code?: number; rows?: Record<string, { seconds: number; activeSources: number[] }> }

function runJson(command: string, args: string[], env: NodeJS.ProcessEnv): SideRun {
  const r = spawnSync('nice', ['-n', '10', command, ...args], { encoding: 'utf8', env, maxBuffer: 256 << 20 });
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.status !== 0 || line === undefined) throw new Error(`${command} ${args[0]} failed (${r.status}): ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return JSON.parse(line) as SideRun;
}

function manifestCsv(rows: Row[]): string {
  return ['id,forward,evoked,covariance,condition,subject', ...rows.map((r) => `${r.id},${r.fwd},${r.evoked},${r.cov},${r.condition},${r.subject}`), ''].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const t0 = performance.now();
  const cli = new Command('bench:cohort')
    .option('--subjects <n>', 'synthetic subjects', (v) => Number(v), 25)
    .option('--conditions <n>', 'conditions per subject (rows per forward)', (v) => Number(v), 4)
    .option('--sources <n>', 'sources per forward', (v) => Number(v), 3000)
    .option('--jobs <n>', 'mxne batch workers', (v) => Number(v), os.availableParallelism())
    .option('--no-mne', 'time mxne only')
    .option('--out <file>', 'report file (default bench/RESULTS.md for the default cohort, a temporary file otherwise)')
    .parse(argv);
  const o = cli.opts<{ subjects: number; conditions: number; sources: number; jobs: number; mne: boolean; out?: string }>();
  const log = (s: string) => process.stderr.write(`bench:cohort: ${s}\n`);
  const load0 = os.loadavg();
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', MNE_LOGGING_LEVEL: 'ERROR' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-cohort-'));
  try {
    const tg = performance.now();
    const rows: Row[] = [];
    let nSources = 0;
    // One subjects folder for the cohort, as a study has: each subject's synthetic MRI and
    // sphere.reg (the demo's), and the template to morph to (the demo's, the same for every seed).
    const subjectsDir = path.join(dir, 'subjects');
    fs.mkdirSync(subjectsDir);
    for (let s = 1; s <= o.subjects; s++) {
      const sub = `sub-${String(s).padStart(2, '0')}`;
      const d = await generateDemo({ outDir: path.join(dir, 'data', sub), nSources: o.sources, seed: s, conditions: o.conditions });
      nSources = d.nSources;
      fs.symlinkSync(path.join(d.subjectsDir, d.subject), path.join(subjectsDir, sub));
      if (s === 1) fs.symlinkSync(path.join(d.subjectsDir, DEMO_TEMPLATE), path.join(subjectsDir, DEMO_TEMPLATE));
      for (let c = 0; c < o.conditions; c++) rows.push({ id: `${sub}_cond-${c + 1}`, fwd: d.fwd, evoked: d.evoked, cov: d.cov, condition: c, subject: sub });
    }
    log(`generated ${o.subjects} subjects × ${o.conditions} conditions (${nSources} sources) in ${((performance.now() - tg) / 1000).toFixed(1)} s`);
    fs.writeFileSync(path.join(dir, 'cohort.csv'), manifestCsv(rows));
    // Every row on its own hard links of its subject's files: its own group, nothing shared.
    fs.mkdirSync(path.join(dir, 'links'));
    const unshared = rows.map((r) => {
      const link = (f: string, kind: string) => { const p = path.join(dir, 'links', `${r.id}-${kind}.fif`); fs.linkSync(f, p); return p; };
      return { ...r, fwd: link(r.fwd, 'fwd'), cov: link(r.cov, 'cov') };
    });
    fs.writeFileSync(path.join(dir, 'unshared.csv'), manifestCsv(unshared));
    fs.writeFileSync(path.join(dir, 'rows.json'), JSON.stringify(rows));

    const side = path.join(packageRoot(), 'dist', 'bench', 'cohortMxne.js');
    // The comparison with MNE writes what its loop writes (no figures): --no-report.
    log(`mxne batch --no-report, ${o.jobs} workers …`);
    const shared = runJson(process.execPath, [side, path.join(dir, 'cohort.csv'), path.join(dir, 'out-mxne'), String(o.jobs), '--no-report'], env);
    log(`  ${shared.seconds.toFixed(1)} s, exit ${shared.code}`);
    log('mxne batch --no-report, nothing shared …');
    const alone = runJson(process.execPath, [side, path.join(dir, 'unshared.csv'), path.join(dir, 'out-unshared'), String(o.jobs), '--no-report'], env);
    log(`  ${alone.seconds.toFixed(1)} s, exit ${alone.code}`);
    log(`mxne batch with report.html and the morph to ${DEMO_TEMPLATE} per recording …`);
    const reports = runJson(process.execPath, [side, path.join(dir, 'cohort.csv'), path.join(dir, 'out-reports'), String(o.jobs), '--subjects-dir', subjectsDir, '--morph-to', DEMO_TEMPLATE], env);
    log(`  ${reports.seconds.toFixed(1)} s, exit ${reports.code}`);
    let mne: SideRun | null = null;
    if (o.mne) {
      log('MNE-Python, one process, a loop …');
      mne = runJson(PYTHON, [path.join(packageRoot(), 'bench', 'cohort_mne.py'), path.join(dir, 'rows.json'), path.join(dir, 'out-mne')], env);
      log(`  ${mne.seconds.toFixed(1)} s`);
    }
    const active = (out: string, id: string) => {
      const s = JSON.parse(fs.readFileSync(path.join(dir, out, id, 'result.json'), 'utf8')) as SolveSummary;
      return s.dipoles.map((d) => d.sourceIndex).sort((a, b) => a - b);
    };
    const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, k) => x === b[k]);
    const mismatches = mne === null ? [] : rows.filter((r) => !same(active('out-mxne', r.id), mne!.rows![r.id].activeSources)).map((r) => r.id);
    const sharedDiffers = rows.filter((r) => !same(active('out-mxne', r.id), active('out-unshared', r.id))).map((r) => r.id);
    const reportsDiffer = rows.filter((r) => !same(active('out-mxne', r.id), active('out-reports', r.id)) || !fs.existsSync(path.join(dir, 'out-reports', r.id, 'report.html'))).map((r) => r.id);
    const load1 = os.loadavg();
    const n = rows.length;
    const perMin = (s: SideRun) => (n / s.seconds) * 60;
    const ratio = mne ? mne.seconds / shared.seconds : null;
    const f1 = (x: number) => x.toFixed(1);
    const f2 = (x: number) => x.toFixed(2);
    const command = `npm run bench:cohort${argv.slice(2).length ? ` -- ${argv.slice(2).join(' ')}` : ''}`;
    const section = [START,
      `## Cohort: \`mxne batch\` vs MNE-Python in a loop (generated ${new Date().toISOString().slice(0, 16)}Z)`,
      '',
      `Command: \`${command}\` (${f1((performance.now() - t0) / 60000)} min; it runs both sides under \`nice -n 10\`). ${n} recordings: ${o.subjects} synthetic subjects (lib/demo, seeds 1…${o.subjects}) × ${o.conditions} conditions in one evoked file each, ${nSources}-source free-orientation MEG+EEG forwards, 366 channels; seed settings (alpha 55 %, loose 0.2, depth 0.9, dSPM weights, weights_min 8, 10 irMxNE iterations), crop 0…0.3 s.`,
      `mxne: \`mxne batch cohort.csv --jobs ${o.jobs} --no-report\` (piscina workers, one BLAS thread each), writing every recording's folder, sidecars and tables. MNE-Python: one process, one BLAS thread, a loop (bench/cohort_mne.py: forward and covariance read once per subject; per recording read, dSPM weights, \`mixed_norm\`, stc + dipoles (.dip) + residual saved).`,
      `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, shared with other work: load average ${load0.map(f1).join(' / ')} (1/5/15 min) at the start, ${load1.map(f1).join(' / ')} at the end. mxne ${version()}, Node ${process.version}, OpenBLAS kernels ${blasSelection.corename}.`,
      '',
      '| side | wall s | recordings / min | CPU s (all threads) | CPU s / recording | peak RSS MB |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      `| mxne batch (${o.jobs} workers, shared preparation) | ${f1(shared.seconds)} | ${f1(perMin(shared))} | ${f1(shared.cpuSeconds)} | ${f2(shared.cpuSeconds / n)} | ${Math.round(shared.maxRssMb)} |`,
      `| mxne batch (${o.jobs} workers, nothing shared) | ${f1(alone.seconds)} | ${f1(perMin(alone))} | ${f1(alone.cpuSeconds)} | ${f2(alone.cpuSeconds / n)} | ${Math.round(alone.maxRssMb)} |`,
      `| mxne batch (${o.jobs} workers, shared preparation, report.html + morph per recording) | ${f1(reports.seconds)} | ${f1(perMin(reports))} | ${f1(reports.cpuSeconds)} | ${f2(reports.cpuSeconds / n)} | ${Math.round(reports.maxRssMb)} |`,
      mne ? `| MNE-Python 1.3 (one process, a loop) | ${f1(mne.seconds)} | ${f1(perMin(mne))} | ${f1(mne.cpuSeconds)} | ${f2(mne.cpuSeconds / n)} | ${Math.round(mne.maxRssMb)} |` : '| MNE-Python | not run | | | | |',
      '',
      ratio === null ? 'MNE side not run: no ratio.'
        : `CPU time per recording MNE/mxne: ${(mne!.cpuSeconds / shared.cpuSeconds).toFixed(1)}× (what the machine's load does not change much). Throughput (wall) mxne/MNE: **${ratio.toFixed(1)}×** (target ≥ ${TARGET}×: ${ratio >= TARGET ? 'met' : `**missed**, ${(TARGET / ratio).toFixed(1)}× short`}). Active sets: ${mismatches.length === 0 ? `identical for all ${n} recordings` : `**differ** for ${mismatches.length}: ${mismatches.join(', ')}`}.`,
      `Shared preparation (a subject's ${o.conditions} conditions reuse the read forward and covariance, whitener, depth prior, prepared gain and dSPM operator) saves ${f1(100 * (1 - shared.cpuSeconds / alone.cpuSeconds))} % of the CPU time (${f1(alone.cpuSeconds)} → ${f1(shared.cpuSeconds)} s) and ${f1(100 * (1 - shared.seconds / alone.seconds))} % of the wall time (${f1(alone.seconds)} → ${f1(shared.seconds)} s; wall time follows the other work on the machine, the runs are minutes apart); results ${sharedDiffers.length === 0 ? 'identical active sets with and without' : `**differ** for ${sharedDiffers.join(', ')}`}.`,
      `Reports (\`mxne batch\` writes report.html per recording by default: figures, MRI slices, the 3-D view; here with \`--morph-to ${DEMO_TEMPLATE}\`, built in the pool workers beside the solves) cost ${f2((reports.cpuSeconds - shared.cpuSeconds) / n)} CPU s per recording, ${f1(100 * (reports.cpuSeconds / shared.cpuSeconds - 1))} % more than the solve alone (${f1(shared.cpuSeconds)} → ${f1(reports.cpuSeconds)} s); \`--no-report\` skips them. ${reportsDiffer.length === 0 ? 'Same active sets, every report written.' : `**Differ or no report** for ${reportsDiffer.join(', ')}.`}`,
      END].join('\n');
    const full = o.subjects === 25 && o.conditions === 4 && o.sources === 3000 && o.mne;
    const out = o.out ?? (full ? path.join(packageRoot(), 'bench', 'RESULTS.md') : path.join(dir, '..', `mxne-cohort-${process.pid}.md`));
    const old = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '# mxne benchmarks\n';
    const at = old.indexOf(START), end = old.indexOf(END);
    atomicWriteSync(out, at >= 0 && end > at ? old.slice(0, at) + section + old.slice(end + END.length) : `${old.trimEnd()}\n\n${section}\n`);
    process.stdout.write(`${section}\n`);
    log(`wrote ${out}`);
    if (mismatches.length > 0 || sharedDiffers.length > 0 || reportsDiffer.length > 0) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`bench:cohort: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
