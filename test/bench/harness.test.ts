/**
 * The benchmark harness machinery (bench/): side processes, alternation, checks, report, plot, on
 * one tiny synthetic workload. No timing assertions (speed lives in bench/RESULTS.md); MNE's side
 * is skipped visibly when `import mne` fails.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SAMPLES_AXIS, scalingSvg } from '../../bench/plot.js';
import { renderSection, writeResults, type WorkloadResult } from '../../bench/report.js';
import { mneAvailable, prepareSynthetic, runWorkload } from '../../bench/run.js';
import { packageRoot } from '../../lib/native.js';
import { medianStages, pairRatios, summarize } from '../../bench/stats.js';
import { fixtureWorkloads, scalingWorkloads } from '../../bench/workloads.js';

describe('bench harness (smoke, no timing assertions)', function () {
  this.timeout(60000);
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-bench-test-')); });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('stats: median, pairwise ratios, per-stage medians', () => {
    assert.deepEqual(summarize([3, 1, 2, 10]), { median: 2.5, min: 1, max: 10, n: 4 });
    assert.deepEqual(pairRatios([1, 2, 4], [10, 10, 10]), [10, 5, 2.5]);
    assert.deepEqual(medianStages([{ a: 1, b: 5 }, { a: 3 }, { a: 2, b: 7 }]), { a: 2, b: 6 });
  });

  it('report flags an active-set mismatch loudly and keeps the rest of RESULTS.md', () => {
    const side = { median: 1, min: 1, max: 1, n: 1, maxRssMb: 100, stages: {}, blasThreads: 1, blasCore: 'Zen' };
    const r: WorkloadResult = {
      workload: { name: 'solver x mxne', group: 'solver', spec: { kind: 'solver' } }, mxne: side, mne: { ...side, median: 5 },
      ratio: summarize([5]), sameActiveSet: false, mxneCheck: { activeColumns: [1] }, mneCheck: { activeColumns: [2] }, loop: null, profile: null, errors: [],
    };
    const text = renderSection([r], { command: 'x', threads: 1, rounds: 1, mne: true, wallSeconds: 1, kernels: { mxne: 'Zen', mneInstalled: 'Zen', same: false } });
    assert.match(text, /ACTIVE SET MISMATCH/);
    assert.match(text, /OpenBLAS kernels as installed: mxne Zen \(Zen chosen at load: lib\/openblas\), MNE Zen — the same set/);
    const other = renderSection([r], { command: 'x', threads: 1, rounds: 1, mne: true, wallSeconds: 1,
      kernels: { mxne: 'Haswell', mneInstalled: 'Prescott', same: false }, sameKernelResults: [r] });
    assert.match(other, /the second targets table reruns the target workloads with MNE on Haswell/);
    assert.match(other, /### The same targets with MNE on mxne's kernel set/);
    assert.match(text, /\*\*MISMATCH\*\* \(mxne \{"activeColumns":\[1\]\}, MNE \{"activeColumns":\[2\]\}\)/);
    const file = path.join(dir, 'RESULTS.md');
    fs.writeFileSync(file, '# t\n\n<!-- micro:start -->\nmicro\n<!-- micro:end -->\n\n<!-- bench:start -->\nold\n<!-- bench:end -->\n\ntail\n');
    writeResults(file, [r], { command: 'x', threads: 1, rounds: 1, mne: true, wallSeconds: 1, kernels: { mxne: 'Zen', mneInstalled: 'Zen', same: false } });
    const after = fs.readFileSync(file, 'utf8');
    assert.match(after, /<!-- micro:start -->\nmicro\n<!-- micro:end -->/);
    assert.ok(!after.includes('\nold\n'));
    assert.ok(after.trimEnd().endsWith('tail'));
  });

  it('plot: both series, one point per size', () => {
    const s = { median: 1, min: 0.9, max: 1.2 };
    const svg = scalingSvg([{ nSources: 1000, mxne: s, mne: { ...s, median: 4 } }, { nSources: 5000, mxne: s, mne: null }], 't');
    assert.match(svg, /^<svg /);
    assert.equal((svg.match(/<circle /g) ?? []).length, 3);
    assert.match(svg, /4\.0×/);
    const times = scalingSvg([{ nTimes: 31, mxne: s, mne: { ...s, median: 2 } }, { nTimes: 421, mxne: s, mne: null }], 't', SAMPLES_AXIS);
    assert.equal((times.match(/<circle /g) ?? []).length, 3);
    assert.match(times, /time samples in the evoked/);
    assert.match(times, /421 samples: /);
  });

  it('samples workloads: 5960-source pipeline with its crop; report table and picture', () => {
    const ws = fixtureWorkloads(process.env.MXNE_FIXTURES ?? path.resolve(packageRoot(), '..', 'shared', 'fixtures')).filter((w) => w.group === 'samples');
    if (ws.length) {
      assert.deepEqual(ws.map((w) => [w.nTimes, w.spec.crop]), [[31, [0.05, 0.1]], [61, [0, 0.1]], [181, [0, 0.3]], [421, [-0.2, 0.5]]]);
      assert.ok(ws.every((w) => w.nSources === 5960 && w.rounds === 3 && !w.quick && w.spec.kind === 'pipeline'));
    }
    const side = { median: 1, min: 1, max: 1, n: 1, maxRssMb: 100, stages: {}, blasThreads: 1, blasCore: 'Zen' };
    const r: WorkloadResult = {
      workload: { name: 'samples 31 (0.05–0.1 s)', group: 'samples', nSources: 5960, nTimes: 31, spec: { kind: 'pipeline', crop: [0.05, 0.1] } }, mxne: side, mne: { ...side, median: 3 },
      ratio: summarize([3]), sameActiveSet: true, mxneCheck: null, mneCheck: null, loop: null, profile: null, errors: [],
    };
    const text = renderSection([r], { command: 'x', threads: 1, rounds: 1, mne: true, svgTimes: 'scaling-times.svg', wallSeconds: 1, kernels: { mxne: 'Zen', mneInstalled: 'Zen', same: false } });
    assert.match(text, /time vs number of time samples \(5,960 sources\)/);
    assert.match(text, /\| 31 \| 0.05 … 0\.1 \| 1\.000 \| 3\.000 \| 3\.00× \|/);
    assert.match(text, /!\[pipeline time vs time samples\]\(scaling-times\.svg\)/);
  });

  it('runs one tiny synthetic pipeline on both sides, alternating, with checks, RSS and the loop probe', async function () {
    this.timeout(240000); // two interpreters start, load and warm up: minutes on a loaded 2-core machine
    const mne = mneAvailable();
    if (!mne) console.log(`      [skip] ${process.env.MXNE_PYTHON ?? '/usr/bin/python3'} cannot import mne: MNE side of the harness smoke skipped (mxne only)`);
    const [w] = scalingWorkloads([400]);
    await prepareSynthetic([w], dir, () => {});
    const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', MNE_LOGGING_LEVEL: 'ERROR' };
    const r = await runWorkload(w, { rounds: 2, mne }, env);
    assert.deepEqual(r.errors, []);
    assert.ok(r.mxne && r.mxne.n === 2 && r.mxne.maxRssMb > 0);
    assert.equal(r.mxne.blasThreads, 1);
    assert.ok(r.mxne.blasCore && r.mxne.blasCore.length > 0);
    if (mne) assert.ok(r.mne?.blasCore, 'the MNE side reports its OpenBLAS kernel set');
    assert.ok(Array.isArray((r.mxneCheck as { activeSources: number[] }).activeSources));
    assert.ok(r.mxne.stages.dspm > 0 && r.mxne.stages['mixed_norm.solve'] > 0);
    assert.ok(r.loop && r.loop.maxMs >= 0);
    if (mne) {
      assert.ok(r.mne && r.mne.n === 2 && r.mne.maxRssMb > 0);
      assert.equal(r.ratio?.n, 2);
      assert.equal(r.sameActiveSet, true, `mxne ${JSON.stringify(r.mxneCheck)} vs MNE ${JSON.stringify(r.mneCheck)}`);
    }
    const file = path.join(dir, 'smoke.md');
    writeResults(file, [r], { command: 'test', threads: 1, rounds: 2, mne, wallSeconds: 1, kernels: { mxne: 'Zen', mneInstalled: null, same: false } });
    assert.match(fs.readFileSync(file, 'utf8'), /scaling synthetic 400/);
  });

  it('process workloads: `mxne solve` and MNE\'s script as whole processes, the same sources, the started processes\' peak RSS', async function () {
    this.timeout(400000); // each run starts a fresh interpreter and reads everything: minutes on a loaded 2-core machine
    const mne = mneAvailable();
    if (!mne) console.log(`      [skip] ${process.env.MXNE_PYTHON ?? '/usr/bin/python3'} cannot import mne: MNE side of the process workload skipped (mxne only)`);
    const [w] = scalingWorkloads([400]);
    await prepareSynthetic([w], dir, () => {});
    const proc = { ...w, name: 'process synthetic 400 (no report)', group: 'process' as const, spec: { ...w.spec, kind: 'process' as const, figures: false } };
    const r = await runWorkload(proc, { rounds: 1, mne }, { ...process.env, OPENBLAS_NUM_THREADS: '1', MNE_LOGGING_LEVEL: 'ERROR' });
    assert.deepEqual(r.errors, []);
    assert.ok(r.mxne && r.mxne.n === 1);
    // The CLI's own peak (a Node process reading a forward is well above 30 MB), not the side's.
    assert.ok(r.mxne.maxRssMb > 30, String(r.mxne.maxRssMb));
    assert.ok((r.mxneCheck as { activeSources: number[] }).activeSources.length > 0);
    if (mne) {
      assert.ok(r.mne && r.mne.maxRssMb > 30);
      assert.equal(r.sameActiveSet, true, `mxne ${JSON.stringify(r.mxneCheck)} vs MNE ${JSON.stringify(r.mneCheck)}`);
    }
  });
});
