/**
 * The `mxne` command end to end, as a user runs it (a child process): the demo (no external
 * files), `solve` on the fixtures, exit codes, complete outputs, and bad inputs giving exit 2
 * with one line naming the problem and no partial files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readBdip } from '../../lib/io/bdip.js';
import { readSeedInputs, solveSeed } from '../../lib/workflow/solveFiles.js';
import { assertClose } from '../helpers/assert.js';
import { errorLines, mxne } from '../helpers/cli.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';
import { requireMne, runPythonJson } from '../helpers/python.js';

const OUTPUTS = ['dipoles', 'figures', 'mxne-lh.stc', 'mxne-rh.stc', 'report.html', 'residual-ave.fif', 'result.json'];
/** One .bdip and one .dip per dipole, named in result.json's order. */
const dipoleFiles = (n: number) => Array.from({ length: n }, (_, k) => [`dipole-${String(k).padStart(2, '0')}.bdip`, `dipole-${String(k).padStart(2, '0')}.dip`]).flat().sort();

let tmp = '';
let seedOut = '';
let volOut = '';
before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-cli-')); });
after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

describe('mxne demo', () => {
  it('writes the dataset and every result file, and finds each true source within 10 mm', async () => {
    const out = path.join(tmp, 'demo');
    const r = await mxne('demo', '--out', out, '--json');
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.deepEqual(fs.readdirSync(path.join(out, 'result')).sort(), [...OUTPUTS].sort(), 'outputs, no temporary files');
    assert.equal(summary.localisation.length, 3);
    for (const l of summary.localisation) assert.ok(l.errorMm !== null && l.errorMm <= 10, `true source ${l.truth.vertno}: ${l.errorMm} mm`);
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'result', 'result.json'), 'utf8'));
    assert.equal(saved.times.length, 181);
    assert.deepEqual(fs.readdirSync(path.join(out, 'result', 'dipoles')).sort(), dipoleFiles(saved.dipoles.length));
    for (const [k, d] of saved.dipoles.entries()) {
      const dip = await readBdip(path.join(out, 'result', 'dipoles', `dipole-${String(k).padStart(2, '0')}.bdip`));
      assert.equal(dip.times.length, 181, 'one dipole per file, over the whole time range');
      assertClose(Array.from(dip.amplitude, Math.abs), d.amplitude.map(Math.abs), 1e-6, `dipole ${k} amplitude`);
    }
    assert.ok(saved.converged);
    for (const key of ['sourceIndex', 'hemi', 'vertno', 'pos', 'ori', 'amplitude', 'gof']) assert.ok(key in saved.dipoles[0], key);
    assert.match(saved.inputs.fwd.sha256, /^[0-9a-f]{64}$/);

    // result.json equals what the API gives for the same files and settings.
    const data = path.join(out, 'data');
    const inputs = await readSeedInputs({ fwd: path.join(data, 'demo-fwd.fif'), evoked: path.join(data, 'demo-ave.fif'), cov: path.join(data, 'demo-cov.fif'), condition: 'Demo', baseline: [null, 0], tmin: 0, tmax: 0.3 });
    const api = await solveSeed(inputs, { weights: 'dspm', mixedNorm: saved.options.mixedNorm });
    assert.deepEqual(saved.dipoles.map((d: { sourceIndex: number }) => d.sourceIndex), api.dipoles.map((d) => d.sourceIndex));
    assertClose(saved.dipoles.flatMap((d: { amplitude: number[] }) => d.amplitude), api.dipoles.flatMap((d) => Array.from(d.amplitude)), 1e-12, 'amplitudes');
  });
});

describe('mxne demo with other options', () => {
  it('--pick-ori vector --alpha sure --n-mxne-iter 2: complete outputs', async () => {
    const out = path.join(tmp, 'demo-vector');
    const r = await mxne('demo', '--out', out, '--pick-ori', 'vector', '--alpha', 'sure', '--n-mxne-iter', '2', '--n-sources', '600', '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(path.join(out, 'result')).sort(), [...OUTPUTS].sort());
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'result', 'result.json'), 'utf8'));
    assert.ok(saved.alpha > 0 && saved.alpha <= 100, `alpha chosen by SURE: ${saved.alpha}`);
  });
});

describe('mxne solve: bad input gives exit code 2, one line naming the problem, no partial files', () => {
  let data = '';
  before(async function () {
    data = path.join(tmp, 'bad');
    const r = await mxne('demo', '--out', data, '--quiet');
    if (r.code !== 0) throw new Error(r.stderr);
  });
  const notFif = () => { const f = path.join(tmp, 'notes.txt'); fs.writeFileSync(f, 'Subject: evoked responses\n'.repeat(10)); return f; };
  const truncated = () => {
    const f = path.join(tmp, 'cut-ave.fif');
    const bytes = fs.readFileSync(files().evoked);
    fs.writeFileSync(f, bytes.subarray(0, bytes.length >> 1));
    return f;
  };
  const files = () => ({ fwd: path.join(data, 'data', 'demo-fwd.fif'), evoked: path.join(data, 'data', 'demo-ave.fif'), cov: path.join(data, 'data', 'demo-cov.fif') });
  const cases: [string, () => string[], RegExp][] = [
    ['missing file', () => ['--fwd', path.join(data, 'nope-fwd.fif'), '--evoked', files().evoked, '--cov', files().cov], /nope-fwd\.fif/],
    ['wrong kind of FIF (a covariance as the forward)', () => ['--fwd', files().cov, '--evoked', files().evoked, '--cov', files().cov], /demo-cov\.fif/],
    ['unknown condition: the conditions the file has', () => ['--fwd', files().fwd, '--evoked', files().evoked, '--cov', files().cov, '--condition', 'Nope'], /^mxne: Expected one of the conditions in \S+demo-ave\.fif: "Demo" \(or an index from 0\) for --condition but received "Nope"$/],
    ['a file that is not FIF', () => ['--fwd', files().fwd, '--evoked', notFif(), '--cov', files().cov], /^mxne: --evoked \S+notes\.txt: not a FIF file: it does not start with a FIF file id/],
    ['a covariance given as --evoked: what it is and which option', () => ['--fwd', files().fwd, '--evoked', files().cov, '--cov', files().cov], /^mxne: --evoked \S+demo-cov\.fif: this file is a covariance \(-cov\.fif\), not evoked data \(-ave\.fif\)$/],
    ['a truncated FIF: no byte offset without --verbose', () => ['--fwd', files().fwd, '--evoked', truncated(), '--cov', files().cov], /^mxne: --evoked \S+cut-ave\.fif: (?!.*@\d)/],
    ['a second --evoked', () => ['--fwd', files().fwd, '--evoked', files().evoked, '--evoked', files().evoked, '--cov', files().cov], /--evoked <file>.*given twice/],
    ['bad option value', () => ['--fwd', files().fwd, '--evoked', files().evoked, '--cov', files().cov, '--alpha', 'lots'], /alpha/],
    ['alpha out of range', () => ['--fwd', files().fwd, '--evoked', files().evoked, '--cov', files().cov, '--alpha', '120'], /alpha/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const out = path.join(tmp, `bad-${what.replace(/\W+/g, '-')}`);
      const r = await mxne('solve', ...args(), '--out', out);
      assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
      assert.match(errorLines(r.stderr)[0] ?? '', message);
      assert.equal(errorLines(r.stderr).length, 1, `one line: ${r.stderr}`);
      assert.deepEqual(fs.existsSync(out) ? fs.readdirSync(out) : [], [], 'no output files');
    });
  }
  it('--verbose keeps the byte offset of a FIF error', async () => {
    const r = await mxne('solve', '--fwd', files().fwd, '--evoked', truncated(), '--cov', files().cov, '--out', path.join(tmp, 'bad-verbose'), '--verbose');
    assert.equal(r.code, 2);
    assert.match(errorLines(r.stderr)[0], /^mxne: --evoked \S+cut-ave\.fif @\d+ \(tag kind \d+\): /);
  });
  it('an output folder that cannot be created', async () => {
    const blocker = path.join(tmp, 'a-file');
    fs.writeFileSync(blocker, 'x');
    const r = await mxne('solve', '--fwd', files().fwd, '--evoked', files().evoked, '--cov', files().cov, '--out', path.join(blocker, 'out'));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--out/);
  });
  it('a forward whose channels do not match the data', async function () {
    if (!fs.existsSync(fixture('inputs', 'surf-small-fwd.fif'))) this.skip();
    const out = path.join(tmp, 'mismatch');
    const r = await mxne('solve', '--fwd', fixture('inputs', 'surf-small-fwd.fif'), '--evoked', files().evoked, '--cov', files().cov, '--out', out);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /channel/i);
    assert.deepEqual(fs.existsSync(out) ? fs.readdirSync(out) : [], []);
  });
});

describe('mxne solve on the fixtures (the seed example, fixtures §3)', function () {
  requireFixtures(this);
  it('finds MNE\'s dipoles for seed-rv-surf-small, and MNE reads every output back', async function () {
    const out = path.join(tmp, 'seed');
    const r = await mxne('solve', '--fwd', fixture('inputs', 'surf-small-fwd.fif'), '--evoked', fixture('inputs', 'right_visual-ave.fif'),
      '--cov', fixture('inputs', 'noise-cov.fif'), '--out', out, '--quiet');
    assert.equal(r.code, 0, r.stderr);
    const ref = JSON.parse(fs.readFileSync(fixture('reference', 'seed-rv-surf-small', 'result.json'), 'utf8'));
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8'));
    assert.deepEqual(saved.dipoles.map((d: { vertno: number }) => d.vertno), ref.dipoles.map((d: { vertno: number }) => d.vertno));
    assertClose(saved.dipoles.flatMap((d: { amplitude: number[] }) => d.amplitude), ref.dipoles.flatMap((d: { amplitude: number[] }) => d.amplitude), 1e-6, 'amplitudes (§4.3)');
    seedOut = out;
  });
});

describe('mxne solve on a volume source space (fixtures §2.3)', function () {
  requireFixtures(this);
  it('writes mxne-vl.stc with free orientations (--loose auto, the default: 1 on a volume; dSPM weights as the norm over x/y/z)', async () => {
    const out = path.join(tmp, 'vol');
    const r = await mxne('solve', '--fwd', fixture('inputs', 'vol-fwd.fif'), '--evoked', fixture('inputs', 'right_visual-ave.fif'),
      '--cov', fixture('inputs', 'noise-cov.fif'), '--out', out, '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(out).sort(), ['dipoles', 'figures', 'mxne-vl.stc', 'report.html', 'residual-ave.fif', 'result.json']);
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8'));
    assert.ok(saved.dipoles.length > 0 && saved.dipoles.every((d: { hemi: string }) => d.hemi === 'vol'));
    volOut = out;
  });
});

describe('MNE-Python reads the files of mxne solve', function () {
  requireFixtures(this);
  requireMne(this);
  it('residual-ave.fif, mxne-lh/rh.stc, and one dipoles/dipole-<k>.bdip and .dip per dipole', function () {
    if (!seedOut) this.skip();
    const back = runPythonJson<{ nchan: number; stc_rows: number; dip_n: number[]; dipt_n: number[]; amp: number[]; pos: number[][] }>(`
import json, numpy as np, mne
out = ${JSON.stringify(seedOut)}
res = mne.read_evokeds(out + '/residual-ave.fif', condition=0, verbose='error')
stc = mne.read_source_estimate(out + '/mxne')
import glob
dip = [mne.read_dipole(f, verbose='error') for f in sorted(glob.glob(out + '/dipoles/dipole-*.bdip'))]
dipt = [mne.read_dipole(f, verbose='error') for f in sorted(glob.glob(out + '/dipoles/dipole-*.dip'))]
print(json.dumps(dict(nchan=len(res.ch_names), stc_rows=int(stc.data.shape[0]), dip_n=[len(d.times) for d in dip], dipt_n=[len(d.times) for d in dipt],
  amp=[float(abs(d.amplitude).max()) for d in dip], pos=[d.pos[0].tolist() for d in dip])))
`);
    const saved = JSON.parse(fs.readFileSync(path.join(seedOut, 'result.json'), 'utf8'));
    assert.equal(back.nchan, 364);
    assert.equal(back.stc_rows, 3);
    assert.deepEqual(back.dip_n, saved.dipoles.map(() => 181), 'one Dipole per source, each over the 181 times, as mixed_norm returns');
    assert.deepEqual(back.dipt_n, back.dip_n);
    assertClose(back.amp, saved.dipoles.map((d: { amplitude: number[] }) => Math.max(...d.amplitude.map(Math.abs))), 1e-6, 'peak amplitude per dipole');
    assertClose(back.pos.flat(), saved.dipoles.flatMap((d: { pos: number[] }) => d.pos), 1e-6, 'positions');
  });

  it('mxne-vl.stc is a volume estimate with one row per dipole', function () {
    if (!volOut) this.skip();
    const saved = JSON.parse(fs.readFileSync(path.join(volOut, 'result.json'), 'utf8'));
    const back = runPythonJson<{ kind: string; rows: number }>(`
import json, mne
stc = mne.read_source_estimate(${JSON.stringify(path.join(volOut, 'mxne-vl.stc'))})
print(json.dumps(dict(kind=type(stc).__name__, rows=int(stc.data.shape[0]))))
`);
    assert.equal(back.kind, 'VolSourceEstimate');
    assert.equal(back.rows, saved.dipoles.length);
  });
});
