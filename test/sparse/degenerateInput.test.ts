/**
 * mixedNorm on the demo dataset at degenerate scales and shapes (issue 15's reproducers): data
 * that is all zeros gives MNE's answer (no source, a warning); data scaled by 1e±300 or whitened
 * by a covariance scaled by 1e280 is refused with an InputError (its physical amplitudes do not
 * fit in a double); a forward without sources is an InputError. Each of these used to end in an untyped native
 * error or a solve that did not end.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo } from '../../lib/demo/index.js';
import { InputError } from '../../lib/errors.js';
import { readCov } from '../../lib/io/fiff/readCov.js';
import { readEvoked } from '../../lib/io/fiff/readEvoked.js';
import { readForward } from '../../lib/io/fiff/readForward.js';
import { Matrix } from '../../lib/linalg/matrix.js';
import type { Covariance } from '../../lib/records/covariance.js';
import type { Evoked } from '../../lib/records/evoked.js';
import type { Forward } from '../../lib/records/forward.js';
import { mixedNorm, type MixedNormResult } from '../../lib/sparse/mixedNorm.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-degenerate-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const OPTS = { alpha: 50, nMxneIter: 1, loose: 1, depth: 0.8 } as const;

function scaled(e: Evoked, c: number): Evoked {
  const d = e.data.clone();
  for (let k = 0; k < d.data.length; k++) d.data[k] *= c;
  return e.withData(d);
}

describe('mixedNorm at degenerate scales (demo dataset)', function () {
  this.timeout(120000);
  let evoked: Evoked, fwd: Forward, cov: Covariance, reference: MixedNormResult;
  before(async () => {
    const demo = await generateDemo({ outDir: tmp, nSources: 300, seed: 3 });
    evoked = await readEvoked(demo.evoked, { condition: 0 });
    fwd = await readForward(demo.fwd);
    cov = await readCov(demo.cov);
    reference = await mixedNorm(evoked, fwd, cov, OPTS);
    assert.ok(reference.stc.data.rows > 0, 'the unscaled data has active sources');
  });

  it('all-zero data: no source and a warning, as MNE', async () => {
    const r = await mixedNorm(scaled(evoked, 0), fwd, cov, OPTS);
    assert.equal(r.stc.data.rows, 0);
    assert.equal(r.dipoles.length, 0);
    assert.ok(r.warnings.some((w) => w.code === 'ENOACTIVE'), JSON.stringify(r.warnings));
  });

  for (const c of [1e-300, 1e300]) {
    for (const nMxneIter of [1, 3]) {
      it(`data scaled by ${c} (nMxneIter ${nMxneIter}): an InputError naming the evoked data`, async () => {
        await assert.rejects(mixedNorm(scaled(evoked, c), fwd, cov, { ...OPTS, nMxneIter }), (e: unknown) => e instanceof InputError && e.field === 'evoked.data');
      });
    }
  }

  it('a covariance scaled by 1e280: an InputError naming the evoked data and the covariance', async () => {
    const data = cov.data.clone();
    for (let k = 0; k < data.data.length; k++) data.data[k] *= 1e280;
    await assert.rejects(mixedNorm(evoked, fwd, { ...cov, data, eig: null, eigvec: null }, OPTS), (e: unknown) => e instanceof InputError && e.field === 'evoked.data' && /covariance/.test(e.message));
  });

  it('data scaled by 1e-20 and 1e20 is still solved: MxNE finds the same sources (it is scale-equivariant)', async () => {
    for (const c of [1e-20, 1e20]) {
      const r = await mixedNorm(scaled(evoked, c), fwd, cov, OPTS);
      assert.deepEqual(r.stc.vertices, reference.stc.vertices);
    }
  });

  it('a forward with no source is an InputError naming the forward', async () => {
    const empty: Forward = { ...fwd, nsource: 0, sol: new Matrix(fwd.sol.rows, 0), sourceRr: new Matrix(0, 3), sourceNn: new Matrix(0, 3), src: [] };
    await assert.rejects(mixedNorm(evoked, empty, cov, OPTS), (e: unknown) => e instanceof InputError && e.field === 'forward');
  });
});
