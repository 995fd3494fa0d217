/**
 * The `mxne` command behaves like the tools its users know: reproducible SURE, the API's special
 * values accepted as words, progress where there is no terminal, --timeout, --threads, a crop beyond
 * the data said, quiet on a closed pipe, a short --json, rounded numbers, a non-convergence warning
 * in words, and help that marks what is required and agrees with the README. On the demo data.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { Option } from 'commander';
import { demoCommand } from '../../lib/cli/demoCommand.js';
import { describeProgress, PROGRESS_PREFIX, Reporter } from '../../lib/cli/reporter.js';
import { solveCommand } from '../../lib/cli/solveCommand.js';
import { packageRoot } from '../../lib/native.js';
import { MAIN, errorLines, mxne } from '../helpers/cli.js';

let tmp = '';
let files: string[] = [];
const out = (name: string) => path.join(tmp, name);
const saved = (name: string) => JSON.parse(fs.readFileSync(path.join(out(name), 'result.json'), 'utf8'));
const solve = (name: string, ...args: string[]) => mxne('solve', ...files, '--out', out(name), ...args);

describe('mxne command manners (demo data, 600 sources)', function () {
  this.timeout(10 * 60_000);
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-manners-'));
    const r = await mxne('demo', '--out', out('demo'), '--n-sources', '600', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    const data = path.join(out('demo'), 'data');
    files = ['--fwd', path.join(data, 'demo-fwd.fif'), '--evoked', path.join(data, 'demo-ave.fif'), '--cov', path.join(data, 'demo-cov.fif')];
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it('--alpha sure is reproducible: a fixed seed by default, the seed and the SURE path in result.json', async () => {
    for (const name of ['sure-a', 'sure-b']) assert.equal((await solve(name, '--alpha', 'sure', '--n-mxne-iter', '2', '--quiet')).code, 0);
    const a = saved('sure-a'), b = saved('sure-b');
    assert.equal(a.sure.randomState, 0);
    assert.equal(a.sure.path.length, 15);
    assert.equal(a.sure.path[0].alpha, 100);
    assert.ok(a.sure.path.every((p: { sure: number }) => Number.isFinite(p.sure)));
    assert.equal(a.alpha, a.sure.path.reduce((best: { sure: number }, p: { sure: number }) => (p.sure < best.sure ? p : best)).alpha, 'alpha = the grid point of least risk');
    assert.deepEqual(b.sure, a.sure);
    assert.deepEqual(b.dipoles.map((d: { sourceIndex: number }) => d.sourceIndex), a.dipoles.map((d: { sourceIndex: number }) => d.sourceIndex));
    const r = await solve('sure-seed', '--alpha', 'sure', '--n-mxne-iter', '2', '--random-state', '7', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(saved('sure-seed').sure.randomState, 7);
    assert.equal(saved('sure-seed').options.mixedNorm.randomState, 7);
  });

  it('--active-set-size none, --loose auto and --depth none are accepted as the API\'s null and \'auto\'', async () => {
    const r = await solve('words', '--active-set-size', 'none', '--loose', 'auto', '--depth', 'none', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    const o = saved('words').options.mixedNorm;
    assert.deepEqual([o.activeSetSize, o.loose, o.depth], [null, 'auto', null]);
    assert.ok(saved('words').dipoles.length > 0);
  });

  it('off a terminal: one progress line per stage on stderr, in order; nothing with --quiet', async () => {
    const r = await solve('progress');
    assert.equal(r.code, 0, r.stderr);
    // Progress inside a stage (a line every 2 s on a slow machine) repeats the stage with ' · ' after it.
    const stages = r.stderr.split('\n').filter((l) => l.startsWith(PROGRESS_PREFIX) && !l.includes(' · ')).map((l) => /\] (\w+)/.exec(l)![1]);
    assert.deepEqual(stages, ['read', 'weights', 'solve', 'write']);
    assert.deepEqual(errorLines(r.stderr), []);
    assert.equal((await solve('progress-q', '--quiet')).stderr, '');
  });

  it('on a terminal: a bar with the stage, the progress inside it and the time spent', async () => {
    const redraw = () => new Promise((resolve) => setTimeout(resolve, 250)); // the bar redraws at 10 fps
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 120 }) as unknown as NodeJS.WriteStream;
    let text = '';
    (tty as unknown as PassThrough).on('data', (d: Buffer) => { text += d.toString(); });
    const rep = new Reporter({ quiet: false, verbose: false, json: false }, tty);
    rep.stage('read', 'x-ave.fif');
    await redraw();
    rep.stage('solve', 'irMxNE, 600 sources');
    await redraw();
    assert.equal(rep.current, 'solve: irMxNE, 600 sources');
    rep.progress(describeProgress({ outer: 3, epochs: 40, gap: 2.1e-4 }, 10));
    await redraw();
    rep.progress(describeProgress({ outer: 2, epochs: 90, gap: 3.14e-3, solve: { index: 7, count: 30, alpha: 51.794 } }, 1));
    await redraw();
    rep.done();
    assert.match(text, /mxne .*\| read: x-ave\.fif \| \d/);
    assert.match(text, /\| solve: irMxNE, 600 sources \| \d/);
    assert.match(text, /\| solve: irMxNE, 600 sources · reweighting 3 of 10, gap 2\.1e-4 \| \d/);
    assert.match(text, /\| solve: irMxNE, 600 sources · SURE solve 7 of 30 \(alpha 51\.8 %\), gap 3\.1e-3 \| \d/);
    assert.ok(!text.includes(PROGRESS_PREFIX), 'no stage lines under the bar');
  });

  it('--timeout ends the run with exit code 124, one line saying so, and nothing written', async () => {
    const r = await solve('timeout', '--alpha', 'sure', '--timeout', '0.3');
    assert.equal(r.code, 124);
    assert.match(errorLines(r.stderr).join('\n'), /^mxne: stopped by --timeout 0\.3 s during \w+.*; no results were written$/);
    assert.deepEqual(fs.existsSync(out('timeout')) ? fs.readdirSync(out('timeout')) : [], []);
  });

  it('--threads sets the OpenBLAS threads of the run', async () => {
    const r = await solve('threads', '--threads', '2', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(saved('threads').versions.openblasThreads, Math.min(2, os.availableParallelism()));
  });

  it('--tmax beyond the data is said, in the summary and in result.json', async () => {
    const r = await solve('tmax', '--tmax', '10');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /warning: tmax 10 s is beyond the data, which end at 0\.3 s: cropped there/);
    assert.match(saved('tmax').warnings[0], /^tmax 10 s is beyond the data/);
  });

  it('a closed stdout (| true) ends quietly with exit code 0', () => {
    const cmd = [process.execPath, MAIN, 'solve', ...files, '--out', out('pipe')].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('bash', ['-c', `${cmd} 2>"${out('pipe-err')}" | true; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    assert.equal(r.stdout.trim(), '0');
    assert.doesNotMatch(fs.readFileSync(out('pipe-err'), 'utf8'), /EPIPE|Error/);
    assert.ok(fs.existsSync(path.join(out('pipe'), 'result.json')));
  });

  it('--json prints a short summary pointing to result.json; people get rounded numbers', async () => {
    const r = await solve('json', '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.resultJson, path.join(out('json'), 'result.json'));
    assert.equal(j.nDipoles, saved('json').dipoles.length);
    assert.ok(!('times' in j) && !('amplitude' in j.dipoles[0]), 'no time courses');
    assert.ok(r.stdout.length < fs.statSync(j.resultJson).size / 4, `${r.stdout.length} bytes`);
    const human = await solve('human');
    assert.match(human.stdout.split('\n')[0], /^\d+ dipole\(s\), explained variance \d+\.\d %, alpha 55\.0 % of alpha_max \d+\.?\d*, converged$/);
  });

  it('not converging is said in words (no "duality gap Infinity")', async () => {
    const r = await solve('maxit', '--maxit', '1', '--n-mxne-iter', '1');
    assert.equal(r.code, 0, r.stderr);
    const warning = r.stdout.split('\n').find((l) => l.includes('warning:'));
    assert.match(warning ?? '', /warning: MxNE did not converge: it stopped at maxit after \d+ iterations, (before the first duality-gap check|the duality gap was \S+, above the tolerance \S+); raise maxit \(--maxit\) or tol \(--tol\)/);
    assert.doesNotMatch(r.stdout, /Infinity/);
  });

  it('--help marks the required options and says where vector components go', async () => {
    const help = (await mxne('solve', '--help')).stdout.replace(/\s+/g, ' ');
    for (const o of ['--fwd', '--evoked', '--cov', '--out']) assert.match(help, new RegExp(`${o} <\\w+> \\(required\\)`));
    assert.match(help, /--pick-ori <ori> vector: keep the x\/y\/z components \(in result\.json; \.stc files hold amplitudes\)/);
  });
});

describe('help and README agree on every default', () => {
  it('each option with a default appears in the README with that default', () => {
    const readme = fs.readFileSync(path.join(packageRoot(), 'README.md'), 'utf8');
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const cmd of [solveCommand(), demoCommand()]) {
      for (const o of cmd.options as Option[]) {
        if (o.defaultValue === undefined || typeof o.defaultValue === 'boolean' || !o.long) continue;
        const def = o.defaultValueDescription ?? String(o.defaultValue);
        const pattern = new RegExp(`\`${esc(o.long)} ${esc(def)}(\\|[^\`]*)?\`|\`${esc(o.long)} [^\`]*\` \\(default \`?${esc(def)}\`?\\)`);
        assert.match(readme, pattern, `${cmd.name()} ${o.long}: default ${def}`);
      }
    }
  });
});
