/**
 * The active set's growth rule picks the `count` largest block norms with numpy's argsort order
 * (ties: the later index ranks higher). It is a one-pass selection; here it is held to the
 * definition (sort every index by value, then index; take the last `count`) on vectors full of ties.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { largest } from '../../lib/sparse/activeSet.js';

function byDefinition(v: Float64Array, count: number): number[] {
  const order = Array.from(v.keys()).sort((x, y) => (v[x] !== v[y] ? v[x] - v[y] : x - y));
  return order.slice(Math.max(0, order.length - count));
}

describe('activeSet largest(): numpy argsort order in one pass', () => {
  it('equals sorting every index by (value, index) and taking the last count, ties included', () => {
    // Values from a small set, so most vectors hold ties; counts from 0 past the length.
    const vectors = fc.array(fc.constantFrom(0, 0.5, 1, 2, 1e-300, 7), { maxLength: 60 }).map((a) => Float64Array.from(a));
    fc.assert(fc.property(vectors, fc.integer({ min: 0, max: 70 }), (v, count) => {
      assert.deepEqual(largest(v, count), byDefinition(v, count));
    }), { seed: 13, numRuns: 2000 });
  });

  it('a tie at the boundary goes to the later index', () => {
    assert.deepEqual(largest(Float64Array.from([3, 1, 3, 2, 3]), 2), [2, 4]);
  });
});
