/**
 * The seed workflow (dSPM weights, irMxNE, debias) and gamma-MAP on the demo generator's data (no
 * fixtures, no Python): each finds the three simulated sources at their vertices. Together they
 * call every solver and preparation kernel of binding/ once on a small problem; the seed workflow
 * is the workflow test of scripts/valgrind.sh (the MNE comparisons take minutes natively, and
 * gamma-MAP's 45 SVD steps over 10 minutes under memcheck).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo, type DemoDataset } from '../../lib/demo/index.js';
import { gammaMap } from '../../lib/sparse/gammaMap/gammaMap.js';
import { readSeedInputs, solveSeed, type SeedInputs } from '../../lib/workflow/solveFiles.js';

describe('the seed workflow and gamma-MAP on the demo generator\'s data', function () {
  this.timeout(600000);
  let tmp = '';
  let demo: DemoDataset, inputs: SeedInputs;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-demo-solvers-'));
    demo = await generateDemo({ outDir: tmp, nSources: 200, seed: 5 });
    inputs = await readSeedInputs({ fwd: demo.fwd, evoked: demo.evoked, cov: demo.cov, condition: demo.condition, baseline: [null, 0], tmin: 0, tmax: 0.3 });
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  const assertTruthFound = (dipoles: Array<{ pos: ArrayLike<number> }>) => {
    for (const t of demo.truth) {
      const mm = Math.min(...dipoles.map((d) => Math.hypot(d.pos[0] - t.pos[0], d.pos[1] - t.pos[1], d.pos[2] - t.pos[2]))) * 1000;
      assert.equal(mm, 0, `true source ${t.vertno}: nearest dipole ${mm.toFixed(1)} mm`);
    }
  };

  it('seed workflow (dSPM weights, irMxNE at alpha 55): the three simulated sources, converged', async () => {
    // The settings of plot_mixed_norm_inverse.py (mxne solve's defaults).
    const mixedNorm = { alpha: 55, loose: 0.2, depth: 0.9, maxit: 3000, tol: 1e-4, activeSetSize: 10, debias: true, weightsMin: 8, nMxneIter: 10 };
    const r = await solveSeed(inputs, { weights: 'dspm', mixedNorm });
    assert.ok(r.diagnostics.converged);
    assertTruthFound(r.dipoles);
  });

  it('gamma-MAP (alpha 0.5): the three simulated sources, converged', async () => {
    const r = await gammaMap(inputs.evoked, inputs.forward, inputs.cov, 0.5, { xyzSameGamma: true });
    assert.ok(r.diagnostics.converged && r.diagnostics.change < 1e-6, `change ${r.diagnostics.change} after ${r.diagnostics.nIterations} iterations`);
    assertTruthFound(r.dipoles);
  });
});
