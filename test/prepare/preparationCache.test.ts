/**
 * The preparation cache: made once per key, bounded by count and by the bytes its values reach
 * (least recently used goes), failures not kept; and a subject's second row prepares nothing again.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemo } from '../../lib/demo/index.js';
import { PreparationCache } from '../../lib/prepare/preparationCache.js';
import { solveFiles, type SolveJob } from '../../lib/workflow/solveFiles.js';

describe('prepare: PreparationCache', () => {
  it('makes a value once per key and keeps at most maxEntries, dropping the least recently used', async () => {
    const cache = new PreparationCache(2);
    let made = 0;
    const make = (v: number) => () => { made++; return Promise.resolve(v); };
    assert.equal(await cache.get('a', make(1)), 1);
    assert.equal(await cache.get('a', make(9)), 1);
    await cache.get('b', make(2));
    await cache.get('a', make(9)); // a is now the most recent
    await cache.get('c', make(3)); // b goes
    assert.equal(await cache.get('a', make(9)), 1);
    assert.equal(await cache.get('b', make(4)), 4);
    assert.equal(made, 4);
    assert.deepEqual([cache.hits, cache.misses], [3, 4]);
  });

  it('keeps at most maxBytes of the arrays its values reach, counting an array two values share once', async () => {
    const cache = new PreparationCache(64, 3000);
    const big = new Float64Array(125); // 1000 bytes
    await cache.get('a', async () => ({ m: { data: big }, also: [big] }));
    await cache.get('b', async () => ({ data: big, norms: new Float64Array(125) }));
    assert.equal(cache.bytes, 2000);
    await cache.get('c', async () => new Float64Array(250)); // 4000 bytes: a then b go (c, just made, stays)
    assert.equal(cache.bytes, 2000);
    let made = 0;
    await cache.get('a', async () => { made++; return 0; });
    assert.equal((await cache.get<unknown>('c', async () => { made++; return null; })) instanceof Float64Array, true);
    assert.equal(made, 1);
  });

  it('never drops a value still being made', async () => {
    const cache = new PreparationCache(1);
    let release!: (v: number) => void;
    const slow = cache.get('slow', () => new Promise<number>((r) => { release = r; }));
    await cache.get('quick', async () => 2);
    let again = 0;
    const same = cache.get('slow', async () => { again++; return 3; });
    release(1);
    assert.deepEqual([await slow, await same, again], [1, 1, 0]);
  });

  it('a failed make is not kept: the next get makes it again', async () => {
    const cache = new PreparationCache();
    await assert.rejects(cache.get('x', () => Promise.reject(new Error('bad file'))), /bad file/);
    await new Promise((r) => setImmediate(r));
    assert.equal(await cache.get('x', () => Promise.resolve(7)), 7);
  });

  it('a subject\'s second condition through solveFiles takes every preparation step from the cache', async function () {
    this.timeout(60_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mxne-prepcache-'));
    try {
      const demo = await generateDemo({ outDir: path.join(tmp, 'demo'), nSources: 300, seed: 3, conditions: 2 });
      const job = (condition: number): SolveJob => ({
        fwd: demo.fwd, evoked: demo.evoked, cov: demo.cov, out: path.join(tmp, `c${condition}`), condition,
        baseline: [null, 0], tmin: 0, tmax: 0.3, weights: 'dspm', mixedNorm: { alpha: 50, nMxneIter: 10, weightsMin: 8, depth: 0.9, loose: 0.9 },
      });
      const cache = new PreparationCache();
      await solveFiles(job(0), () => {}, cache);
      const first = { hits: cache.hits, misses: cache.misses };
      await solveFiles(job(1), () => {}, cache);
      // File hashes, read forward and covariance, noise covariance, surface bases, dSPM operator, sparse gain.
      assert.equal(cache.misses, first.misses, 'the second row made nothing');
      assert.ok(cache.hits - first.hits >= first.misses - 3, `hits ${cache.hits - first.hits} of ${first.misses} made`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
