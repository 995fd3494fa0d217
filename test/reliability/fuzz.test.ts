/**
 * A short run of the fuzz campaign (`npm run fuzz` runs 100,000 mutants per reader): every
 * reader, a few hundred fast-check mutants of its seed files, no failure allowed. No time bound
 * here (speed is not a unit-test matter); the memory bound and the typed-error rule apply.
 */
import * as assert from 'node:assert/strict';
import { makeTargets } from '../../campaigns/fuzzTargets.js';
import { runCampaign } from '../../campaigns/runCampaign.js';

describe('reliability: short fuzz campaign over every reader (fast-check)', function () {
  this.timeout(120000);
  for (const t of makeTargets()) {
    // FIF reads and --bids layouts (a folder tree per mutant) cost more per mutant than the others.
    const runs = t.name.startsWith('fif') || t.name === 'bids' ? 250 : 1000;
    it(`${t.name}: ${runs} mutants, only reads or typed errors naming the file`, async () => {
      const r = await runCampaign(t, { runs, seed: 15, timeBound: false });
      const failures = [...r.failures].map(([sig, f]) => `${f.count}× ${sig}`);
      assert.deepEqual(failures, [], `${t.name}: ${failures.join('\n')}`);
      assert.equal(r.executions, runs);
      // Both outcomes must occur, or the mutants are not reaching the reader (gzip: the CRC refuses nearly all).
      assert.ok(r.typedErrors > 0 && (r.reads > 0 || t.name.endsWith('-gz')), JSON.stringify({ reads: r.reads, typed: r.typedErrors }));
    });
  }
});
