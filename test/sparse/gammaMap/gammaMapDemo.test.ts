/**
 * gamma-MAP on the demo generator's data (no fixtures, no Python): the three simulated sources are
 * among its dipoles, at their vertices. Also the one test of the gamma-MAP kernel that is cheap
 * enough for scripts/valgrind.sh (the MNE comparisons take minutes natively).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo } from '../../../lib/demo/index.js';
import { gammaMap } from '../../../lib/sparse/gammaMap/gammaMap.js';
import { readSeedInputs } from '../../../lib/workflow/solveFiles.js';

describe('gamma-MAP on the demo generator\'s data', function () {
  this.timeout(600000);
  let tmp = '';
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it('finds the three simulated sources at their vertices, and converges', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-gammamap-demo-'));
    const demo = await generateDemo({ outDir: tmp, nSources: 200, seed: 5 });
    const inputs = await readSeedInputs({ fwd: demo.fwd, evoked: demo.evoked, cov: demo.cov, condition: demo.condition, baseline: [null, 0], tmin: 0, tmax: 0.3 });
    const r = await gammaMap(inputs.evoked, inputs.forward, inputs.cov, 0.5, { xyzSameGamma: true });
    assert.ok(r.diagnostics.converged && r.diagnostics.change < 1e-6, `change ${r.diagnostics.change} after ${r.diagnostics.nIterations} iterations`);
    for (const t of demo.truth) {
      const mm = Math.min(...r.dipoles.map((d) => Math.hypot(d.pos[0] - t.pos[0], d.pos[1] - t.pos[1], d.pos[2] - t.pos[2]))) * 1000;
      assert.equal(mm, 0, `true source ${t.vertno}: nearest dipole ${mm.toFixed(1)} mm`);
    }
  });
});
