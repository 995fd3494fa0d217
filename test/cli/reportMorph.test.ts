/**
 * `mxne demo --no-report`, `mxne report DIR`, and `mxne solve --morph-to` on the demo's own
 * subjects folder (its synthetic subject and icosahedral template), end to end as a user runs them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readStc } from '../../lib/io/stc.js';
import { computeSourceMorph } from '../../lib/morph/computeSourceMorph.js';
import { errorLines, mxne } from '../helpers/cli.js';
import { requireMne } from '../helpers/python.js';
import { runMne } from '../results/mnePython.js';

describe('mxne report and mxne solve --morph-to (demo data)', function () {
  this.timeout(120000);
  let tmp = '';
  const data = () => path.join(tmp, 'demo', 'data');
  const files = () => ['--fwd', path.join(data(), 'demo-fwd.fif'), '--evoked', path.join(data(), 'demo-ave.fif'), '--cov', path.join(data(), 'demo-cov.fif'), '--condition', 'Demo'];
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-report-cli-'));
    const r = await mxne('demo', '--out', path.join(tmp, 'demo'), '--n-sources', '400', '--no-report', '--quiet');
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it('--no-report writes no report; mxne report DIR adds report.html and figures/ and keeps the run', async () => {
    const dir = path.join(tmp, 'demo', 'result');
    const before = fs.readdirSync(dir).sort();
    assert.deepEqual(before, ['dipoles', 'mxne-lh.stc', 'mxne-rh.stc', 'residual-ave.fif', 'result.json']);
    const resultJson = fs.readFileSync(path.join(dir, 'result.json'), 'utf8');
    const r = await mxne('report', dir, '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(dir).sort(), [...before, 'figures', 'report.html'].sort());
    assert.equal(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'), resultJson);
    const nDipoles = JSON.parse(resultJson).dipoles.length;
    // Every figure of the seed: amplitudes, 2 × 3 butterflies, glass brain, MRI through the strongest and each dipole.
    assert.equal(fs.readdirSync(path.join(dir, 'figures')).length, 1 + 6 + 1 + 1 + nDipoles);
    const html = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href="http|https?:\/\/cdn/i, 'nothing loaded from outside the page');
  });

  it('mxne report on a folder without result.json: exit 2 naming DIR, nothing written', async () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    const r = await mxne('report', empty);
    assert.equal(r.code, 2);
    assert.match(errorLines(r.stderr)[0], /for DIR but received/);
    assert.deepEqual(fs.readdirSync(empty), []);
  });

  it('mxne report refuses a run whose evoked input changed since (SHA-256), naming it', async () => {
    const run = path.join(tmp, 'changed');
    fs.cpSync(path.join(tmp, 'demo', 'result'), run, { recursive: true });
    const saved = JSON.parse(fs.readFileSync(path.join(run, 'result.json'), 'utf8'));
    const copy = path.join(tmp, 'changed-ave.fif');
    fs.writeFileSync(copy, Buffer.concat([fs.readFileSync(saved.inputs.evoked.path), Buffer.alloc(16)]));
    saved.inputs.evoked.path = copy;
    fs.writeFileSync(path.join(run, 'result.json'), JSON.stringify(saved));
    const listing = fs.readdirSync(run).sort();
    const r = await mxne('report', run);
    assert.equal(r.code, 2);
    assert.match(errorLines(r.stderr)[0], /evoked input unchanged since the run .*changed-ave\.fif with sha256/);
    assert.deepEqual(fs.readdirSync(run).sort(), listing);
  });

  it('--morph-to without a subjects folder: exit 2 naming --subjects-dir before reading anything', async () => {
    const out = path.join(tmp, 'nomorph');
    const r = await mxne('solve', ...files(), '--out', out, '--morph-to', 'demo-template');
    assert.equal(r.code, 2);
    assert.match(errorLines(r.stderr)[0], /--subjects-dir/);
    assert.equal(fs.existsSync(out), false);
  });

  describe('--morph-to demo-template', () => {
    let out = '';
    before(async () => {
      out = path.join(tmp, 'morph');
      const r = await mxne('solve', ...files(), '--out', out, '--subjects-dir', path.join(data(), 'subjects'), '--subject', 'demo', '--morph-to', 'demo-template', '--quiet');
      assert.equal(r.code, 0, r.stderr);
    });

    it('writes mxne-demo-template-lh/rh.stc: the estimate moved to the template vertices the API gives, with the report', async () => {
      assert.deepEqual(fs.readdirSync(out).sort(), ['dipoles', 'figures', 'mxne-demo-template-lh.stc', 'mxne-demo-template-rh.stc', 'mxne-lh.stc', 'mxne-rh.stc', 'report.html', 'residual-ave.fif', 'result.json']);
      const stc = await readStc(path.join(out, 'mxne-lh.stc'), 'demo');
      const morphed = await readStc(path.join(out, 'mxne-demo-template-lh.stc'), 'demo-template');
      const api = await computeSourceMorph(stc, { subjectTo: 'demo-template', subjectsDir: path.join(data(), 'subjects'), sparse: true });
      assert.deepEqual(morphed.vertices.map((v) => Array.from(v)), api.verticesTo.map((v) => Array.from(new Set(v))));
      // Same amplitudes, reordered: the sum over sources at every time is kept.
      for (let t = 0; t < stc.data.cols; t++) {
        const a = Array.from(stc.data.col(t)).reduce((x, y) => x + y, 0), b = Array.from(morphed.data.col(t)).reduce((x, y) => x + y, 0);
        assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1e-12, Math.abs(a)) + 1e-15, `time ${t}`);
      }
      const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
      assert.match(html, /mxne-demo-template-lh\.stc/);
      // The glass brain after the morph, on the template's white surfaces, with the morphed vertices.
      assert.match(html, /id="fig-glass-brain-demo-template"/);
      const glass = fs.readFileSync(path.join(out, 'figures', 'glass-brain-demo-template.svg'), 'utf8');
      for (const [h, verts] of morphed.vertices.entries()) for (const v of verts) assert.ok(glass.includes(`${h === 0 ? 'lh' : 'rh'} ${v} on demo-template`), `${v}`);
    });

    describe('read by MNE-Python', function () {
      requireMne(this);
      it('mne.read_source_estimate reads the morphed estimate', () => {
        const back = runMne(`
import mne
stc = mne.read_source_estimate(args['stem'], subject='demo-template')
print(json.dumps(dict(n=[len(v) for v in stc.vertices], times=len(stc.times))))`, { stem: path.join(out, 'mxne-demo-template') });
        const saved = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8'));
        assert.equal(back.times, saved.times.length);
        assert.ok(back.n[0] + back.n[1] >= 1 && back.n[0] + back.n[1] <= saved.dipoles.length);
      });
    });
  });
});
