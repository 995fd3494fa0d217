/**
 * Ground truth (fixtures README §6): the whole seed pipeline — mxne's own dSPM weights, irMxNE,
 * dipoles — on MNE's simulated evoked. Localisation error no worse than MNE's for every true
 * source, and the same dipoles as MNE's run of the same pipeline (amplitudes 1e-6, §4.3).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { readSeedInputs, solveSeed } from '../../lib/workflow/solveFiles.js';
import { assertClose } from '../helpers/assert.js';
import { fixture, requireFixtures } from '../helpers/fixtures.js';

interface Loc { vertno: number; hemi: string; error_mm: number }
interface Run { inputs: { forward: string }; dipoles: { vertno: number; amplitude: number[] }[]; localization: Loc[] }
interface Truth { sources: { vertno: number; hemi: string; pos_head_m: number[] }[] }

describe('seed pipeline on the simulated evoked (fixtures §6)', function () {
  requireFixtures(this);
  for (const run of ['sim1-seed-surf', 'sim1-seed-surf-small']) {
    it(`${run}: the true sources found as close as MNE finds them, with MNE's dipoles`, async () => {
      const dir = fixture('simulation', 'sim1');
      const ref: Run = JSON.parse(fs.readFileSync(`${dir}/${run}/result.json`, 'utf8'));
      const truth: Truth = JSON.parse(fs.readFileSync(`${dir}/truth.json`, 'utf8'));
      const inputs = await readSeedInputs({ fwd: fixture(ref.inputs.forward), evoked: `${dir}/simulated-ave.fif`, cov: fixture('inputs', 'noise-cov.fif'), condition: 0, baseline: [null, 0], tmin: 0, tmax: 0.3 });
      const r = await solveSeed(inputs, { weights: 'dspm', mixedNorm: { alpha: 55, loose: 0.2, depth: 0.9, maxit: 3000, tol: 1e-4, activeSetSize: 10, debias: true, weightsMin: 8, nMxneIter: 10 } });
      assert.deepEqual(r.dipoles.map((d) => d.vertno), ref.dipoles.map((d) => d.vertno), 'dipole vertices');
      assertClose(r.dipoles.flatMap((d) => Array.from(d.amplitude)), ref.dipoles.flatMap((d) => d.amplitude), 1e-6, 'amplitudes');
      truth.sources.forEach((s, k) => {
        const err = Math.min(...r.dipoles.map((d) => Math.hypot(d.pos[0] - s.pos_head_m[0], d.pos[1] - s.pos_head_m[1], d.pos[2] - s.pos_head_m[2]))) * 1000;
        assert.ok(err <= ref.localization[k].error_mm + 1e-6, `${s.hemi} ${s.vertno}: ${err} mm vs MNE ${ref.localization[k].error_mm} mm`);
      });
    });
  }
});
