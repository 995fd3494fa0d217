/**
 * `mxne batch --no-report` end to end on data the demo generator makes (reports, the index page and
 * the morph: reports.test.ts): results equal to `mxne solve --no-report` (shared preparation included), a poisoned row (corrupt FIF, channel mismatch) next to good rows, resume
 * after a rerun and after SIGKILL, shards merged by batch-collect.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { generateDemo } from '../../lib/demo/index.js';
import { readEvoked } from '../../lib/io/fiff/readEvoked.js';
import { writeEvoked } from '../../lib/io/fiff/writeEvoked.js';
import { Evoked } from '../../lib/records/evoked.js';
import type { BatchSummary } from '../../lib/batch/tables.js';
import type { SolveSummary } from '../../lib/workflow/summary.js';
import { MAIN, mxne } from '../helpers/cli.js';

const GOOD = ['s1-a', 's1-b', 's2-a', 's2-b'];

describe('batch: mxne batch on demo data', function () {
  this.timeout(240_000);
  let tmp: string;
  const at = (...p: string[]) => path.join(tmp, ...p);
  const result = (dir: string, id: string) => JSON.parse(fs.readFileSync(at(dir, id, 'result.json'), 'utf8')) as SolveSummary;
  const stable = (s: SolveSummary) => ({ ...s, timings: {} });
  const summary = (dir: string, suffix = '') => JSON.parse(fs.readFileSync(at(dir, `batch-summary${suffix}.json`), 'utf8')) as BatchSummary;
  const files = (dir: string): string[] => fs.readdirSync(dir, { recursive: true }).map(String).sort();

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-batch-'));
    await generateDemo({ outDir: at('s1'), nSources: 300, seed: 1, conditions: 2 });
    await generateDemo({ outDir: at('s2'), nSources: 300, seed: 2, conditions: 2 });
    // Poisoned rows: a truncated evoked file, and one whose channels the forward does not have.
    const ave = fs.readFileSync(at('s1', 'demo-ave.fif'));
    fs.writeFileSync(at('corrupt-ave.fif'), ave.subarray(0, ave.length >> 1));
    const e = await readEvoked(at('s1', 'demo-ave.fif'), { condition: 0 });
    const rename = (n: string) => `X${n}`;
    const info = { ...e.info, chs: e.info.chs.map((c) => ({ ...c, name: rename(c.name) })), chNames: e.info.chNames.map(rename), bads: [], projs: e.info.projs.map((p) => ({ ...p, colNames: p.colNames.map(rename) })) };
    await writeEvoked(at('renamed-ave.fif'), new Evoked(info, e.data, e.first, e.nave, e.comment));
    const row = (id: string, s: string, evoked: string, condition: string, alpha = '', weights = '') => `${id},${s}/demo-fwd.fif,${evoked},${s}/demo-cov.fif,${condition},${alpha},${weights}`;
    const good = [row('s1-a', 's1', 's1/demo-ave.fif', 'Demo'), row('s1-b', 's1', 's1/demo-ave.fif', 'Demo 2', '45'), row('s2-a', 's2', 's2/demo-ave.fif', '0'), row('s2-b', 's2', 's2/demo-ave.fif', '1')];
    const header = 'id,forward,evoked,covariance,condition,alpha,weights';
    fs.writeFileSync(at('good.csv'), [header, ...good, ''].join('\n'));
    // s1-c (no weights: the whole shared gain is scaled, on a copy) runs before s1-b, which must still equal mxne solve.
    fs.writeFileSync(at('all.csv'), [header, good[0], row('corrupt', 's1', 'corrupt-ave.fif', '0'), row('s1-c', 's1', 's1/demo-ave.fif', 'Demo', '', 'none'), good[1], row('renamed', 's1', 'renamed-ave.fif', '0'), ...good.slice(2), ''].join('\n'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('solves every good row, reports the poisoned ones (exit 1, naming them) and writes the tables', async () => {
    const r = await mxne('batch', at('all.csv'), '--out', at('out'), '--json', '--jobs', '2', '--no-report');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^mxne: 2 of 7 rows failed: corrupt \(row 2\): .*corrupt-ave\.fif.*; renamed \(row 5\): No good data channel/m);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.id).sort(), [...GOOD, 's1-c', 'corrupt', 'renamed'].sort(), 'one JSON line per finished row');
    const s = summary('out');
    assert.deepEqual(s.rows.map((x) => [x.id, x.status, x.errorCode]), [
      ['s1-a', 'solved', null], ['corrupt', 'failed', 'EFIFF'], ['s1-c', 'solved', null], ['s1-b', 'solved', null], ['renamed', 'failed', 'ECHANNELS'], ['s2-a', 'solved', null], ['s2-b', 'solved', null]]);
    assert.deepEqual(s.counts, { solved: 5, skipped: 0, failed: 2 });
    for (const id of GOOD) assert.ok(fs.existsSync(at('out', `${id}.done.json`)));
    assert.ok(!fs.existsSync(at('out', 'corrupt.done.json')) && !fs.existsSync(at('out', 'corrupt')), 'a failed row leaves no folder, no sidecar');
    const csv = parseCsv(fs.readFileSync(at('out', 'batch-summary.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    assert.deepEqual(csv.map((x) => x.status), s.rows.map((x) => x.status));
    assert.equal(Number(csv[0].dipoles), result('out', 's1-a').dipoles.length);

    const dipoles = parseCsv(fs.readFileSync(at('out', 'dipoles.csv'), 'utf8'), { columns: true, cast: true }) as Record<string, number | string>[];
    const expected = ['s1-a', 's1-c', 's1-b', 's2-a', 's2-b'].flatMap((id) => result('out', id).dipoles.map((d) => ({ id, vertex: d.vertno, peakAmplitude: d.peakAmplitude, peakLatency: d.peakTime })));
    assert.deepEqual(dipoles.map((d) => ({ id: d.id, vertex: d.vertex, peakAmplitude: d.peakAmplitude, peakLatency: d.peakLatency })), expected);
    const first = result('out', 's1-a').dipoles[0];
    const times = result('out', 's1-a').times;
    const k = times.reduce((best, t, j) => (Math.abs(t - first.peakTime) < Math.abs(times[best] - first.peakTime) ? j : best), 0);
    assert.equal(dipoles[0].gofAtPeak, first.gof[k]);
    assert.equal(dipoles[0].x, first.pos[0]);
  });

  it('a batch row is mxne solve --no-report on the same inputs: same result.json but timings, same files', async () => {
    // s1-b is the third good row of its group: its forward, whitener, gain and dSPM operator were shared.
    const r = await mxne('solve', '--fwd', at('s1', 'demo-fwd.fif'), '--evoked', at('s1', 'demo-ave.fif'), '--cov', at('s1', 'demo-cov.fif'),
      '--condition', 'Demo 2', '--alpha', '45', '--no-report', '--out', at('solo'), '-q');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(stable(result('out', 's1-b')), stable(JSON.parse(fs.readFileSync(at('solo', 'result.json'), 'utf8'))));
    assert.deepEqual(files(at('out', 's1-b')), files(at('solo')));
    for (const f of files(at('solo'))) {
      if (f === 'result.json' || fs.statSync(at('solo', f)).isDirectory()) continue;
      if (f === 'residual-ave.fif') {
        // A FIF file carries its writing time in its id: compare what it holds.
        const [a, b] = await Promise.all([readEvoked(at('solo', f)), readEvoked(at('out', 's1-b', f))]);
        assert.deepEqual(a.data.data, b.data.data);
        continue;
      }
      assert.ok(fs.readFileSync(at('solo', f)).equals(fs.readFileSync(at('out', 's1-b', f))), f);
    }
  });

  it('a rerun skips the rows done (their results untouched) and retries the failed; --force redoes', async () => {
    const mtime = fs.statSync(at('out', 's2-a', 'result.json')).mtimeMs;
    const r = await mxne('batch', at('all.csv'), '--out', at('out'), '--no-report');
    assert.equal(r.code, 1);
    assert.deepEqual(summary('out').counts, { solved: 0, skipped: 5, failed: 2 });
    assert.equal(fs.statSync(at('out', 's2-a', 'result.json')).mtimeMs, mtime);
    assert.equal(summary('out').rows[0].dipoles, result('out', 's1-a').dipoles.length, 'a skipped row\'s summary comes from its result.json');
    const forced = await mxne('batch', at('good.csv'), '--out', at('out'), '--force', '--shard', '0/1', '--no-report');
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(summary('out', '.shard-0-of-1').counts, { solved: 4, skipped: 0, failed: 0 });
  });

  it('killed with SIGKILL mid-run, a rerun finishes it: no half-written file, outputs equal an uninterrupted run', async () => {
    const child = spawn(process.execPath, [MAIN, 'batch', at('good.csv'), '--out', at('killed'), '--jobs', '1', '-q', '--no-report'], { stdio: 'ignore' });
    const sidecars = () => (fs.existsSync(at('killed')) ? fs.readdirSync(at('killed')).filter((f) => f.endsWith('.done.json')).length : 0);
    let exited = false;
    child.once('exit', () => { exited = true; });
    while (sidecars() === 0 && !exited) await new Promise((r) => setTimeout(r, 20));
    assert.ok(!exited, 'the batch ended (or failed) before it could be killed');
    child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    const doneAtKill = sidecars();
    assert.ok(doneAtKill < GOOD.length, `killed before the end (${doneAtKill} done)`);
    // Under final names only whole row folders (each with its result.json) and sidecars.
    for (const f of fs.readdirSync(at('killed')).filter((n) => !n.startsWith('.'))) {
      assert.ok(f.endsWith('.done.json') || fs.existsSync(at('killed', f, 'result.json')), `${f} is whole`);
    }
    const r = await mxne('batch', at('good.csv'), '--out', at('killed'), '--no-report');
    assert.equal(r.code, 0, r.stderr);
    const s = summary('killed');
    assert.equal(s.counts.skipped, doneAtKill);
    assert.equal(s.counts.solved, GOOD.length - doneAtKill);
    for (const id of GOOD) assert.deepEqual(stable(result('killed', id)), stable(result('out', id)), id);
    assert.deepEqual(fs.readdirSync(at('killed')).filter((n) => n.startsWith('.')), [], 'leftovers of the killed run removed');
  });

  it('shards run apart and batch-collect merges them; a missing shard is named', async () => {
    for (const i of [0, 1]) {
      const r = await mxne('batch', at('good.csv'), '--out', at('killed'), '--shards', '2', '-q');
      assert.notEqual(r.code, 0, '--shards needs an index');
      const env = { ...process.env, JOB_COMPLETION_INDEX: String(i), MXNE_SHARDS: '2' };
      const run = await new Promise<{ code: number | null; err: string }>((resolve) => {
        const c = spawn(process.execPath, [MAIN, 'batch', at('good.csv'), '--out', at('killed'), '--no-report'], { env });
        let err = '';
        c.stderr.on('data', (d) => { err += d; });
        c.on('exit', (code) => resolve({ code, err }));
      });
      assert.equal(run.code, 0, run.err);
      assert.match(run.err, new RegExp(`shard ${i} of 2 \\(from Kubernetes completion index ${i} of 2\\)`));
    }
    const c = await mxne('batch-collect', at('killed'), '--json');
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(JSON.parse(c.stdout).missing, []);
    const merged = summary('killed');
    assert.deepEqual(merged.rows.map((x) => x.id), GOOD);
    const dip = (dir: string) => parseCsv(fs.readFileSync(at(dir, 'dipoles.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    assert.deepEqual(dip('killed'), dip('out').filter((d) => d.id !== 's1-c'));
    fs.rmSync(at('killed', 'batch-summary.shard-1-of-2.json'));
    fs.rmSync(at('killed', 'batch-summary.json'));
    const missing = await mxne('batch-collect', at('killed'), '--json');
    assert.equal(missing.code, 1);
    const lost = JSON.parse(missing.stdout).missing as string[];
    assert.ok(lost.length > 0 && lost.every((id) => GOOD.includes(id)));
    assert.match(missing.stderr, /batch incomplete: 0 failed, \d missing/);
  });
});
