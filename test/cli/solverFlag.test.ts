/**
 * `mxne solve --solver tfmxne|gammamap` end to end as a user runs it (a child process), on the
 * project's own synthetic dataset (lib/demo, 300 sources, three true sources): the same output
 * files as the seed workflow, every true source found, the solver's diagnostics in result.json,
 * and flags of another solver refused with exit 2 before anything is written.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo, type DemoDataset } from '../../lib/demo/index.js';
import { packageRoot } from '../../lib/native.js';

const MAIN = path.join(packageRoot(), 'dist', 'lib', 'cli', 'main.js');
// The seed workflow's files, its report included (as mxne solve writes by default; test/report/solverReports.test.ts looks inside).
const OUTPUTS = ['dipoles', 'figures', 'mxne-lh.stc', 'mxne-rh.stc', 'report.html', 'residual-ave.fif', 'result.json'];

function mxne(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('mxne solve --solver tfmxne|gammamap (on the demo dataset)', function () {
  this.timeout(600000);
  let tmp = '';
  let demo: DemoDataset;
  const files = () => ['--fwd', demo.fwd, '--evoked', demo.evoked, '--cov', demo.cov, '--condition', demo.condition];
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-solver-'));
    demo = await generateDemo({ outDir: path.join(tmp, 'data'), nSources: 300 });
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  const foundAll = (summary: { dipoles: Array<{ pos: number[] }> }) => {
    for (const t of demo.truth) {
      const mm = Math.min(...summary.dipoles.map((d) => Math.hypot(...d.pos.map((v, i) => v - t.pos[i])))) * 1000;
      assert.ok(mm <= 10, `true source ${t.vertno}: nearest dipole ${mm.toFixed(1)} mm`);
    }
  };

  it('tfmxne: the seed outputs, the three true sources, TF diagnostics', async () => {
    const out = path.join(tmp, 'tf');
    const r = await mxne('solve', '--solver', 'tfmxne', ...files(), '--out', out, '--alpha', '55', '--l1-ratio', '0.03', '--wsize', '64', '--tstep', '4', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(out).sort(), [...OUTPUTS].sort());
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8'));
    assert.equal(saved.solver, 'tfmxne');
    assert.ok(saved.converged && saved.solverDiagnostics.converged);
    assert.ok(saved.alphaMax > 0 && saved.solverDiagnostics.alphaSpace === 55 * 0.97);
    assert.deepEqual(saved.options.tfMixedNorm.wsize, [64]);
    foundAll(saved);
  });

  it('gammamap: the seed outputs, the three true sources, its iterations', async () => {
    const out = path.join(tmp, 'gm');
    const r = await mxne('solve', '--solver', 'gammamap', ...files(), '--out', out, '--alpha', '0.05', '--update-mode', '1', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(out).sort(), [...OUTPUTS].sort());
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8'));
    assert.equal(saved.solver, 'gammamap');
    assert.equal(saved.alphaMax, null, 'Gamma-MAP has no alpha_max');
    assert.ok(saved.converged && saved.solverDiagnostics.nIterations > 1 && saved.solverDiagnostics.eighFallbacks === 0);
    foundAll(saved);
  });

  for (const [flags, named] of [
    [['--solver', 'mxne', '--l1-ratio', '0.1'], '--l1-ratio'],
    [['--solver', 'tfmxne', '--update-mode', '2'], '--update-mode'],
    [['--solver', 'gammamap', '--alpha', '0.5', '--n-mxne-iter', '3'], '--n-mxne-iter'],
    [['--solver', 'gammamap'], '--alpha'],
    [['--solver', 'tfmxne', '--wsize', '48'], 'wsize'],
  ] as Array<[string[], string]>) {
    it(`${flags.join(' ')}: exit 2 naming ${named}, nothing written`, async () => {
      const out = path.join(tmp, `bad-${named.replace(/\W/g, '')}`);
      const r = await mxne('solve', ...files(), '--out', out, ...flags);
      assert.equal(r.code, 2, r.stderr);
      assert.ok(r.stderr.includes(named), r.stderr);
      assert.ok(!fs.existsSync(out) || fs.readdirSync(out).length === 0, 'no output files');
    });
  }
});
