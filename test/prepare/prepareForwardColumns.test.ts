/**
 * The sparse gain whitened by column blocks (prepareForwardColumns) against the whole whitened
 * gain (prepareForward) on the demo generator's data: the same priors and source_std, and every
 * source's whitened columns the same as the whole gain's, for a loose, a fixed and a free orientation.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo } from '../../lib/demo/index.js';
import { prepareForward, prepareForwardColumns, type PrepareForwardOptions } from '../../lib/prepare/prepareForward.js';
import { DEPTH_SPARSE } from '../../lib/prepare/priors.js';
import { readSeedInputs, type SeedInputs } from '../../lib/workflow/solveFiles.js';
import { assertClose } from '../helpers/assert.js';

describe('prepare: prepareForwardColumns (the gain whitened in blocks) equals prepareForward', function () {
  this.timeout(120000);
  let tmp: string, inputs: SeedInputs;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-columns-'));
    // 2,000 sources: 6,000 free columns, four blocks of the whitening, the last one partial.
    const d = await generateDemo({ outDir: tmp, nSources: 2000, seed: 7 });
    inputs = await readSeedInputs({ fwd: d.fwd, evoked: d.evoked, cov: d.cov, condition: d.condition, baseline: [null, 0], tmin: 0, tmax: 0.3 });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const loose of [0.2, 0, 1]) {
    it(`loose ${loose}: same source_std, trace and depth prior; each source's whitened columns as the whole gain's`, async () => {
      const { evoked, forward, cov } = inputs;
      const o: PrepareForwardOptions = { loose, depth: { exp: 0.9, ...DEPTH_SPARSE }, rank: null, pca: true, useCps: true, allowFixedDepth: true };
      const whole = await prepareForward(forward, evoked.info, cov, o);
      const cols = await prepareForwardColumns(forward, evoked.info, cov, o);
      assert.deepEqual(Array.from(cols.sourceStd), Array.from(whole.sourceStd));
      assert.deepEqual(Array.from(cols.depthPrior!), Array.from(whole.depthPrior!));
      assert.equal(cols.traceGRGT, whole.traceGRGT);
      const no = whole.nOrient;
      // Sources from each block, in an order of their own: a gathered subset is whitened apart.
      const sources = [1999, 0, 511, 512, 1023, 1536, 7];
      const got = await cols.whitenSources(sources);
      assert.equal(got.cols, sources.length * no);
      sources.forEach((s, j) => {
        for (let c = 0; c < no; c++) {
          const want = whole.gain.col(s * no + c), f = whole.sourceStd[s * no + c];
          assertClose(got.col(j * no + c).map((v) => v * f), want, 1e-12, `source ${s} column ${c}`);
        }
      });
      const all = await cols.whitenSources(Int32Array.from({ length: forward.nsource }, (_, k) => k));
      for (let k = 0; k < all.cols; k += 97) {
        const f = whole.sourceStd[k];
        assertClose(all.col(k).map((v) => v * f), whole.gain.col(k), 1e-12, `column ${k}`);
      }
    });
  }
});
