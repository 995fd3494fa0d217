/** Shards: n slices cover every row exactly once, stably; the slice comes from --shard or the scheduler's environment. */
import * as assert from 'node:assert/strict';
import { InputError } from '../../lib/errors.js';
import { parseShard, resolveShard, shardOf, takeShard } from '../../lib/batch/shard.js';

describe('batch: shards', () => {
  const rows = Array.from({ length: 500 }, (_, k) => ({ id: `sub-${String(k).padStart(3, '0')}_cond-${k % 4}` }));

  it('n shards cover every row exactly once, in roughly equal slices', () => {
    for (const n of [1, 2, 3, 7, 16]) {
      const slices = Array.from({ length: n }, (_, i) => takeShard(rows, { index: i, count: n, source: 'test' }));
      const all = slices.flat().map((r) => r.id).sort();
      assert.deepEqual(all, rows.map((r) => r.id).sort(), `${n} shards`);
      for (const s of slices) assert.ok(Math.abs(s.length - rows.length / n) < 5 * Math.sqrt(rows.length / n) + 1, `${n} shards: slice of ${s.length}`);
    }
  });

  it('a row\'s shard depends on its id only: reordering and adding rows move no other row', () => {
    const before = new Map(rows.map((r) => [r.id, shardOf(r.id, 4)]));
    const changed = [...rows].reverse().concat([{ id: 'new-row' }]);
    for (const r of changed) if (before.has(r.id)) assert.equal(shardOf(r.id, 4), before.get(r.id));
    assert.deepEqual(takeShard(changed, { index: 2, count: 4, source: '' }).filter((r) => r.id !== 'new-row').map((r) => r.id).sort(),
      takeShard(rows, { index: 2, count: 4, source: '' }).map((r) => r.id).sort());
  });

  it('--shard i/n, 0-based; bad values are InputErrors', () => {
    assert.deepEqual(parseShard('1/4'), { index: 1, count: 4, source: '--shard 1/4' });
    for (const bad of ['4/4', '1', '-1/3', 'a/b', '0/0']) assert.throws(() => parseShard(bad), InputError, bad);
  });

  it('Slurm job arrays: SLURM_ARRAY_TASK_ID with TASK_COUNT, or MIN/MAX (and STEP)', () => {
    assert.deepEqual(pick(resolveShard({}, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '5' })), [2, 5]);
    assert.deepEqual(pick(resolveShard({}, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '8' })), [2, 8]);
    assert.deepEqual(pick(resolveShard({}, { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '6', SLURM_ARRAY_TASK_STEP: '2' })), [2, 4]);
    assert.match(resolveShard({}, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '5' })!.source, /^Slurm array task 2/);
    assert.throws(() => resolveShard({}, { SLURM_ARRAY_TASK_ID: '2' }), (e: unknown) => e instanceof InputError && e.field === 'SLURM_ARRAY_TASK_COUNT');
    assert.throws(() => resolveShard({}, { SLURM_ARRAY_TASK_ID: '9', SLURM_ARRAY_TASK_COUNT: '5' }), InputError);
  });

  it('Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX with --shards or MXNE_SHARDS', () => {
    assert.deepEqual(pick(resolveShard({ shards: 3 }, { JOB_COMPLETION_INDEX: '1' })), [1, 3]);
    assert.deepEqual(pick(resolveShard({}, { JOB_COMPLETION_INDEX: '0', MXNE_SHARDS: '10' })), [0, 10]);
    assert.throws(() => resolveShard({}, { JOB_COMPLETION_INDEX: '0' }), (e: unknown) => e instanceof InputError && e.field === 'MXNE_SHARDS');
  });

  it('--shard wins over the environment; no shard and no scheduler is the whole manifest', () => {
    assert.deepEqual(pick(resolveShard({ shard: '0/2' }, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '5' })), [0, 2]);
    assert.equal(resolveShard({}, {}), null);
    assert.throws(() => resolveShard({ shards: 3 }, {}), InputError);
  });
});

function pick(s: { index: number; count: number } | null): [number, number] | null {
  return s === null ? null : [s.index, s.count];
}
