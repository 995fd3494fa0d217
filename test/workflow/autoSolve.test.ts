/**
 * `--auto` in the library: alpha = 'discrepancy' (lib/sparse/discrepancy.ts) and autoMixedNorm
 * (lib/workflow/autoSolve.ts) on the demo generator's data — the true sources found with the
 * residual at the noise level, nothing found in noise alone, every strategy reachable by name.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo, type DemoDataset } from '../../lib/demo/index.js';
import { InputError } from '../../lib/errors.js';
import { normalizeMixedNormOptions } from '../../lib/sparse/mixedNormOptions.js';
import { AUTO_STRATEGIES, autoMixedNorm, averageNoiseCov } from '../../lib/workflow/autoSolve.js';
import { readSeedInputs, type SeedInputs } from '../../lib/workflow/solveFiles.js';

const read = (d: DemoDataset) => readSeedInputs({ fwd: d.fwd, evoked: d.evoked, cov: d.cov, condition: d.condition, baseline: [null, 0], tmin: 0, tmax: 0.3 });

describe('alpha: discrepancy and autoMixedNorm (on the demo generator\'s data)', function () {
  this.timeout(300000);
  let tmp = '';
  let demo: DemoDataset, noise: DemoDataset;
  let inputs: SeedInputs, noiseInputs: SeedInputs;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-auto-lib-'));
    demo = await generateDemo({ outDir: path.join(tmp, 'a'), nSources: 600, seed: 5 });
    // The same recording with sources 10⁶ times weaker than the noise: noise alone, in effect.
    noise = await generateDemo({ outDir: path.join(tmp, 'b'), nSources: 600, seed: 5, snr: 1e-6 });
    [inputs, noiseInputs] = await Promise.all([read(demo), read(noise)]);
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  it("alpha 'discrepancy' is an option with a grid; the noise covariance of the average is cov/nave", () => {
    const s = normalizeMixedNormOptions({ alpha: 'discrepancy', sureAlphaGrid: [80, 40, 20] });
    assert.equal(s.alpha.kind, 'discrepancy');
    assert.deepEqual(s.alpha.kind === 'discrepancy' ? Array.from(s.alpha.grid) : [], [80, 40, 20]);
    const c = averageNoiseCov(inputs.cov, 60);
    assert.equal(c.data.get(0, 0), inputs.cov.data.get(0, 0) / 60);
    assert.throws(() => averageNoiseCov(inputs.cov, 0), (e: unknown) => e instanceof InputError && e.field === 'evoked.nave');
  });

  it('discrepancy settings: the defaults, every pruning reachable, bad values an InputError naming the field', () => {
    const s = normalizeMixedNormOptions({ alpha: 'discrepancy' });
    assert.ok(s.alpha.kind === 'discrepancy');
    if (s.alpha.kind !== 'discrepancy') return;
    assert.deepEqual({ tau: s.alpha.tau, modelError: s.alpha.modelError, prune: s.alpha.prune, level: s.alpha.level, relocate: s.alpha.relocate, merge: s.alpha.merge, mergeMisfit: s.alpha.mergeMisfit }, { tau: 1, modelError: 0, prune: 'refit', level: 0.05, relocate: true, merge: true, mergeMisfit: 0.07 });
    const t = normalizeMixedNormOptions({ alpha: 'discrepancy', discrepancy: { prune: 'residual', tau: 1.05, relocate: false } });
    assert.ok(t.alpha.kind === 'discrepancy' && t.alpha.prune === 'residual' && t.alpha.tau === 1.05 && !t.alpha.relocate);
    const field = (o: object) => { try { normalizeMixedNormOptions(o); } catch (e) { return e instanceof InputError ? e.field : String(e); } return 'accepted'; };
    assert.equal(field({ alpha: 'discrepancy', discrepancy: { prune: 'bic' } }), 'discrepancy.prune');
    assert.equal(field({ alpha: 'discrepancy', discrepancy: { level: 0 } }), 'discrepancy.level');
    assert.equal(field({ alpha: 'discrepancy', discrepancy: { tau: -1 } }), 'discrepancy.tau');
    assert.equal(field({ alpha: 'discrepancy', discrepancy: { modelError: 2 } }), 'discrepancy.modelError');
    assert.equal(field({ alpha: 'discrepancy', discrepancy: { mergeMisfit: 1 } }), 'discrepancy.mergeMisfit');
    assert.equal(field({ alpha: 50, discrepancy: { tau: 1 } }), 'discrepancy');
  });

  it("discrepancy pruning 'none' keeps the satellites the default drops; 'residual' (the earlier test) is reachable", async () => {
    const none = await autoMixedNorm(inputs.evoked, inputs.forward, inputs.cov, { mixedNorm: { discrepancy: { prune: 'none' } } });
    const residual = await autoMixedNorm(inputs.evoked, inputs.forward, inputs.cov, { mixedNorm: { discrepancy: { prune: 'residual' } } });
    const refit = await autoMixedNorm(inputs.evoked, inputs.forward, inputs.cov);
    assert.equal(none.diagnostics.alpha, refit.diagnostics.alpha);
    assert.equal(none.diagnostics.discrepancyPruned, 0);
    assert.ok(none.dipoles.length >= refit.dipoles.length && residual.dipoles.length >= refit.dipoles.length, `none ${none.dipoles.length}, residual ${residual.dipoles.length}, refit ${refit.dipoles.length}`);
  });

  it('discrepancy: the three true sources, the residual at the noise level and the larger alphas above it', async () => {
    const r = await autoMixedNorm(inputs.evoked, inputs.forward, inputs.cov);
    assert.equal(r.strategy, 'discrepancy');
    for (const t of demo.truth) {
      const mm = Math.min(...r.dipoles.map((d) => Math.hypot(d.pos[0] - t.pos[0], d.pos[1] - t.pos[1], d.pos[2] - t.pos[2]))) * 1000;
      assert.ok(mm <= 10, `true source ${t.vertno}: nearest dipole ${mm.toFixed(1)} mm`);
    }
    // the pruning leaves the true sources only, each at its own grid point
    assert.equal(r.dipoles.length, demo.truth.length, `${r.dipoles.length} dipoles`);
    for (const t of demo.truth) assert.ok(r.dipoles.some((d) => d.sourceIndex === t.sourceIndex), `true source ${t.vertno} (index ${t.sourceIndex}) exactly: ${r.dipoles.map((d) => d.sourceIndex)}`);
    const p = Array.from(r.diagnostics.discrepancyPath!).filter((v) => !Number.isNaN(v));
    assert.ok(p[p.length - 1] <= 1 && p.slice(0, -1).every((v) => v > 1), `path ${p}`);
    assert.ok(r.diagnostics.converged);
  });

  it('noise alone: no source survives', async () => {
    const r = await autoMixedNorm(noiseInputs.evoked, noiseInputs.forward, noiseInputs.cov);
    assert.equal(r.dipoles.length, 0, `${r.dipoles.length} dipoles at alpha ${r.diagnostics.alpha}`);
  });

  for (const strategy of AUTO_STRATEGIES.filter((s) => s !== 'sure')) {
    it(`strategy ${strategy}: the three true sources`, async () => {
      const r = await autoMixedNorm(inputs.evoked, inputs.forward, inputs.cov, { strategy });
      assert.equal(r.strategy, strategy);
      for (const t of demo.truth) {
        const mm = Math.min(...r.dipoles.map((d) => Math.hypot(d.pos[0] - t.pos[0], d.pos[1] - t.pos[1], d.pos[2] - t.pos[2]))) * 1000;
        assert.ok(mm <= 10, `true source ${t.vertno}: nearest dipole ${mm.toFixed(1)} mm`);
      }
    });
  }

  it('an unknown strategy is an InputError naming it', async () => {
    await assert.rejects(autoMixedNorm(inputs.evoked, inputs.forward, inputs.cov, { strategy: 'guess' as never }), (e: unknown) => e instanceof InputError && e.field === 'strategy');
  });
});
