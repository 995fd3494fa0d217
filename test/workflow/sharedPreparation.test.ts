/**
 * One covariance preparation and one surface basis per solve: solveSeed's dSPM operator and
 * sparse gain share them (prepareForward's memo), and the result is the one of the two steps run
 * on their own, value for value.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo } from '../../lib/demo/index.js';
import * as orientation from '../../lib/prepare/surfaceOrientation.js';
import * as whitener from '../../lib/prepare/whitener.js';
import { mixedNorm } from '../../lib/sparse/mixedNorm.js';
import { dspmWeights } from '../../lib/workflow/dspmWeights.js';
import { readSeedInputs, solveSeed, type SeedInputs } from '../../lib/workflow/solveFiles.js';

const SEED = { alpha: 55, loose: 0.2, depth: 0.9, weightsMin: 2, nMxneIter: 10, tol: 1e-6 } as const;

describe('workflow: one noise covariance preparation and one surface basis per solve', function () {
  this.timeout(120_000);
  let tmp: string;
  let inputs: SeedInputs;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-shared-cov-'));
    const demo = await generateDemo({ outDir: tmp, nSources: 400, seed: 3 });
    inputs = await readSeedInputs({ fwd: demo.fwd, evoked: demo.evoked, cov: demo.cov, condition: 0, baseline: [null, 0], tmin: 0, tmax: 0.2 });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prepares the covariance and the surface basis once and finds what the separate steps find, bit for bit', async () => {
    // Counted through the modules' exports, which prepareForward calls at run time.
    const realCov = whitener.prepareNoiseCov, realBasis = orientation.surfaceBasis;
    let covCalls = 0, basisCalls = 0;
    (whitener as { prepareNoiseCov: typeof realCov }).prepareNoiseCov = (...a) => { covCalls++; return realCov(...a); };
    (orientation as { surfaceBasis: typeof realBasis }).surfaceBasis = (...a) => { basisCalls++; return realBasis(...a); };
    let together;
    try {
      together = await solveSeed(inputs, { weights: 'dspm', mixedNorm: SEED });
    } finally {
      (whitener as { prepareNoiseCov: typeof realCov }).prepareNoiseCov = realCov;
      (orientation as { surfaceBasis: typeof realBasis }).surfaceBasis = realBasis;
    }
    assert.equal(covCalls, 1);
    assert.equal(basisCalls, 1);

    const weights = await dspmWeights(inputs.evoked, inputs.forward, inputs.cov, SEED);
    const apart = await mixedNorm(inputs.evoked, inputs.forward, inputs.cov, { ...SEED, weights });
    assert.ok(apart.dipoles.length > 0, 'the demo has active sources');
    assert.deepEqual(together.dipoles.map((d) => d.sourceIndex), apart.dipoles.map((d) => d.sourceIndex));
    assert.equal(together.diagnostics.alphaMax, apart.diagnostics.alphaMax);
    assert.deepEqual(Array.from(together.stc.data.data), Array.from(apart.stc.data.data));
    assert.deepEqual(Array.from(together.residual.data.data), Array.from(apart.residual.data.data));
  });
});
