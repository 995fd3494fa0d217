/**
 * `mxne solve --auto` and `--condition … --joint` end to end as a user runs them (a child process)
 * on the project's own synthetic dataset (lib/demo, three true sources): every true source found,
 * the choice recorded in result.json, one output folder per condition, and bad combinations
 * refused with exit 2 before anything is written.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo, type DemoDataset } from '../../lib/demo/index.js';
import { mxne } from '../helpers/cli.js';

describe('mxne solve --auto / --joint (on the demo dataset)', function () {
  this.timeout(600000);
  let tmp = '';
  let demo: DemoDataset;
  const files = () => ['--fwd', demo.fwd, '--evoked', demo.evoked, '--cov', demo.cov];
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-auto-'));
    demo = await generateDemo({ outDir: path.join(tmp, 'data'), nSources: 600, seed: 5 });
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  const nearest = (dipoles: Array<{ pos: number[] }>, p: number[]) => Math.min(...dipoles.map((d) => Math.hypot(...d.pos.map((v, i) => v - p[i])))) * 1000;

  it('--auto: the three true sources, alpha by the discrepancy principle, the strategy in result.json', async () => {
    const out = path.join(tmp, 'auto');
    const r = await mxne('solve', ...files(), '--out', out, '--auto', '--json');
    assert.equal(r.code, 0, r.stderr);
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8'));
    assert.equal(saved.options.auto, 'discrepancy');
    assert.ok(saved.alpha > 0 && saved.alpha <= 100 && saved.converged);
    for (const t of demo.truth) assert.ok(nearest(saved.dipoles, t.pos) <= 10, `true source ${t.vertno}`);
    assert.ok(saved.dipoles.length <= demo.truth.length + 1, `${saved.dipoles.length} dipoles`);
  });

  it('--auto sure-mask is reachable by name; an unknown strategy is refused', async () => {
    const ok = await mxne('solve', ...files(), '--out', path.join(tmp, 'auto-sure'), '--auto', 'sure-mask', '--json');
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await mxne('solve', ...files(), '--out', path.join(tmp, 'auto-bad'), '--auto', 'guess');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--auto/);
    assert.ok(!fs.existsSync(path.join(tmp, 'auto-bad')));
  });

  it('--condition twice --joint: one folder per condition, the same support in both', async () => {
    const out = path.join(tmp, 'joint');
    const r = await mxne('solve', ...files(), '--condition', demo.condition, '--condition', '0', '--joint', '--weights', 'none', '--alpha', '40', '--out', out, '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(out).sort(), ['condition-0', 'condition-1']);
    const [a, b] = ['condition-0', 'condition-1'].map((c) => JSON.parse(fs.readFileSync(path.join(out, c, 'result.json'), 'utf8')));
    assert.equal(a.options.joint, true);
    assert.deepEqual(b.dipoles.map((d: { sourceIndex: number }) => d.sourceIndex), a.dipoles.map((d: { sourceIndex: number }) => d.sourceIndex));
    for (const t of demo.truth) assert.ok(nearest(a.dipoles, t.pos) <= 10, `true source ${t.vertno}`);
  });

  it('--joint with one condition is refused before anything is written', async () => {
    const out = path.join(tmp, 'joint-one');
    const r = await mxne('solve', ...files(), '--joint', '--out', out);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--joint/);
    assert.ok(!fs.existsSync(out));
  });
});
