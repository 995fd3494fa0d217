/** The preparation cache: made once per key, bounded (least recently used goes), failures not kept. */
import * as assert from 'node:assert/strict';
import { PreparationCache } from '../../lib/prepare/preparationCache.js';

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

  it('a failed make is not kept: the next get makes it again', async () => {
    const cache = new PreparationCache();
    await assert.rejects(cache.get('x', () => Promise.reject(new Error('bad file'))), /bad file/);
    await new Promise((r) => setImmediate(r));
    assert.equal(await cache.get('x', () => Promise.resolve(7)), 7);
  });
});
