/**
 * The report of every solver's output: `mxne solve --solver tfmxne|gammamap` writes report.html
 * with every figure as the seed workflow does (and `mxne report` rebuilds it from result.json,
 * where Gamma-MAP's missing alpha_max and dual gap are null), and a volume source space's report
 * draws its sources (3-D points, glass brain) instead of surfaces.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo, type DemoDataset } from '../../lib/demo/index.js';
import { readEvoked } from '../../lib/io/fiff/readEvoked.js';
import { readForward } from '../../lib/io/fiff/readForward.js';
import { affineOf } from '../../lib/linalg/affine.js';
import { writeReport } from '../../lib/report/writeReport.js';
import type { SceneData } from '../../lib/report/sceneData.js';
import type { SolveSummary } from '../../lib/workflow/summary.js';
import { mxne } from '../helpers/cli.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';

/** The summary table of a report as [row name, text] pairs. */
function summaryRows(html: string): string[][] {
  const section = /<section id="summary">(.*?)<\/section>/s.exec(html)![1];
  return [...section.matchAll(/<tr><th>(.*?)<\/th><td>(.*?)<\/td><\/tr>/g)].map((m) => [m[1], m[2].replace(/<[^>]+>/g, '')]);
}

const scene = (html: string) => JSON.parse(/<script type="application\/json" id="scene-data">(.*?)<\/script>/s.exec(html)![1]) as SceneData;

describe('report: every solver\'s output', function () {
  this.timeout(300_000);
  let tmp = '';
  let demo: DemoDataset;
  const files = () => ['--fwd', demo.fwd, '--evoked', demo.evoked, '--cov', demo.cov, '--condition', demo.condition, '--subjects-dir', demo.subjectsDir, '--subject', demo.subject, '-q'];
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-solver-report-'));
    demo = await generateDemo({ outDir: path.join(tmp, 'data'), nSources: 300 });
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  const figuresOf = (dir: string, nDipoles: number) => {
    const names = fs.readdirSync(path.join(dir, 'figures')).sort();
    const expected = ['butterfly-evoked-eeg.svg', 'butterfly-evoked-grad.svg', 'butterfly-evoked-mag.svg', 'butterfly-residual-eeg.svg', 'butterfly-residual-grad.svg', 'butterfly-residual-mag.svg',
      'dipole-amplitudes.svg', 'glass-brain.svg', 'mri-strongest.png', ...Array.from({ length: nDipoles }, (_, k) => `mri-dipole-${k}.png`)].sort();
    assert.deepEqual(names, expected);
  };

  it('tfmxne: report.html with every figure, the solver, alpha in % of alpha_max and the dual gap', async () => {
    const out = path.join(tmp, 'tf');
    const r = await mxne('solve', '--solver', 'tfmxne', ...files(), '--out', out, '--alpha', '55');
    assert.equal(r.code, 0, r.stderr);
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8')) as SolveSummary;
    figuresOf(out, saved.dipoles.length);
    const rows = new Map(summaryRows(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).map(([k, v]) => [k, v]));
    assert.equal(rows.get('solver'), 'TF-MxNE');
    assert.equal(rows.get('alpha'), '55 % of alpha_max');
    assert.equal(rows.get('alpha_max'), String(Number(saved.alphaMax.toPrecision(6))));
    assert.match(rows.get('convergence')!, new RegExp(`^converged, dual gap [0-9.e+-]+, ${saved.nIterations} iterations$`));
    assert.equal(rows.get('dipoles'), String(saved.dipoles.length));
  });

  it('gammamap: alpha as a noise variance, no alpha_max or dual gap (nothing reads NaN); mxne report rebuilds it from result.json\'s nulls', async () => {
    const out = path.join(tmp, 'gm');
    const r = await mxne('solve', '--solver', 'gammamap', ...files(), '--out', out, '--alpha', '0.05');
    assert.equal(r.code, 0, r.stderr);
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8'));
    assert.equal(saved.alphaMax, null);
    figuresOf(out, saved.dipoles.length);
    const check = (html: string) => {
      const rows = summaryRows(html);
      assert.deepEqual(rows.map(([k]) => k), ['dipoles', 'explained variance', 'solver', 'alpha', 'convergence', 'timings', 'mxne']);
      const get = (k: string) => rows.find((x) => x[0] === k)![1];
      assert.equal(get('solver'), 'Gamma-MAP');
      assert.equal(get('alpha'), '0.05 (noise variance)');
      assert.equal(get('convergence'), `${saved.converged ? 'converged' : 'NOT converged'}, ${saved.nIterations} iterations`);
      assert.doesNotMatch(html.replace(/<script>.*?<\/script>/s, ''), /NaN|null %/);
    };
    check(fs.readFileSync(path.join(out, 'report.html'), 'utf8'));
    fs.rmSync(path.join(out, 'report.html'));
    const again = await mxne('report', out, '-q');
    assert.equal(again.code, 0, again.stderr);
    check(fs.readFileSync(path.join(out, 'report.html'), 'utf8'));
  });

  describe('on a volume source space (fixtures vol-fwd.fif)', function () {
    requireFixtures(this);
    it('the 3-D view draws the used sources as points, the glass brain the grid, the dipoles at their positions', async () => {
      const [forward, evoked] = await Promise.all([readForward(fixture('inputs', 'vol-fwd.fif')), readEvoked(fixture('inputs', 'right_visual-ave.fif'), { condition: 0 })]);
      const src = forward.src;
      assert.equal(src[0].type, 'vol');
      const times = Array.from(evoked.times.slice(0, 4));
      const at = (k: number) => src[0].vertno[k];
      // Two dipoles of a Gamma-MAP run as result.json holds them (alpha_max and dual gap null).
      const dipoles = [100, 2000].map((k, n) => ({
        sourceIndex: k, hemi: 'vol' as const, vertno: at(k), pos: [0, 1, 2].map((c) => src[0].rr.get(at(k), c)), ori: times.map(() => [0, 0, 1]),
        amplitude: times.map((_, t) => (n + 1) * 1e-8 * (t + 1)), gof: times.map(() => 50), peakAmplitude: (n + 1) * 4e-8, peakTime: times[3],
      }));
      const summary = {
        mxneVersion: '0', times, dipoles, explainedVariance: 60, alphaMax: null, alpha: 0.5, activeSet: [[100, 2000]], dualGap: null, converged: true, nIterations: 7, sure: null, warnings: [],
        inputs: { fwd: { path: 'f', sha256: 'x' }, evoked: { path: 'e', sha256: 'y' }, cov: { path: 'c', sha256: 'z' } }, options: {}, solver: 'gammamap', solverDiagnostics: {},
        versions: { mxne: '0', node: process.version, openblasThreads: 1, openblas: '', blasKernels: { corename: '', reason: '', warning: null }, mallocReuse: { applied: false, reason: '' } }, timings: { solve: 1 },
      } as unknown as SolveSummary;
      const dir = path.join(tmp, 'vol');
      fs.mkdirSync(dir);
      await writeReport(dir, { summary, evoked: evoked.crop(times[0], times[3]), residual: null, src, mriHeadT: affineOf(forward.mriHeadT.trans), t1: null });
      const html = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
      const s = scene(html);
      assert.deepEqual(s.surfaces, []);
      const points = new Float32Array(Buffer.from(s.points, 'base64').buffer.slice(0));
      assert.equal(points.length, 3 * src[0].nuse);
      assert.deepEqual(Array.from(points.slice(300, 303)), [0, 1, 2].map((c) => Math.fround(src[0].rr.get(at(100), c) * 1e3)));
      // The camera looks at the grid's centre, not at the default head position.
      assert.ok(s.radius > 40 && s.radius < 150, `radius ${s.radius} mm`);
      assert.deepEqual(s.dipoles.map((d) => d.pos), dipoles.map((d) => d.pos.map((x) => x * 1e3)));
      assert.ok(fs.existsSync(path.join(dir, 'figures', 'glass-brain.svg')));
      const glass = fs.readFileSync(path.join(dir, 'figures', 'glass-brain.svg'), 'utf8');
      for (const d of dipoles) assert.ok(glass.includes(`vol ${d.vertno}`), `${d.vertno} in the glass brain's legend`);
      assert.deepEqual(summaryRows(html).find(([k]) => k === 'solver'), ['solver', 'Gamma-MAP']);
    });
  });
});
