import * as assert from 'node:assert/strict';
import { applyMallocPolicy, mallocPolicyOverride } from '../../lib/memoryPolicy.js';
import { mallocPolicy } from '../../lib/native.js';

describe('memoryPolicy', () => {
  it('leaves the allocator alone when the environment says so, and only then', () => {
    const table: Array<[NodeJS.ProcessEnv, RegExp | null]> = [
      [{}, null],
      [{ MXNE_MALLOC: 'keep' }, /MXNE_MALLOC=keep/],
      [{ GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=1048576' }, /GLIBC_TUNABLES glibc\.malloc\.mmap_threshold=1048576/],
      [{ GLIBC_TUNABLES: 'glibc.cpu.hwcaps=-AVX512F:glibc.malloc.trim_threshold=0' }, /glibc\.malloc\.trim_threshold=0/],
      // Other tunables say nothing about these thresholds.
      [{ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, null],
      [{ MALLOC_MMAP_THRESHOLD_: '131072' }, /MALLOC_MMAP_THRESHOLD_=131072/],
      [{ MALLOC_TRIM_THRESHOLD_: '0' }, /MALLOC_TRIM_THRESHOLD_=0/],
    ];
    for (const [env, want] of table) {
      const got = mallocPolicyOverride(env);
      if (want === null) assert.equal(got, null, JSON.stringify(env));
      else assert.match(got ?? '', want, JSON.stringify(env));
    }
  });

  it('sets both thresholds when free to, and reports a refusal as not applied', () => {
    const calls: number[][] = [];
    const on = applyMallocPolicy((m, t) => { calls.push([m, t]); return true; }, {});
    assert.equal(on.applied, true);
    assert.deepEqual(calls, [[on.mmapThreshold, on.trimThreshold]]);
    assert.ok(on.trimThreshold! >= on.mmapThreshold! && on.mmapThreshold! >= 32 * 2 ** 20);
    const refused = applyMallocPolicy(() => false, {});
    assert.deepEqual([refused.applied, refused.mmapThreshold], [false, null]);
    assert.match(refused.reason, /defaults apply/);
    const kept = applyMallocPolicy(() => { throw new Error('not to be called'); }, { MXNE_MALLOC: 'keep' });
    assert.equal(kept.applied, false);
  });

  it('is in effect in this process, as its environment and allocator allow', () => {
    if (mallocPolicyOverride(process.env) !== null) return assert.equal(mallocPolicy.applied, false);
    const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;
    // ASan's allocator (scripts/sanitize.sh preloads it) replaces glibc's and takes no mallopt.
    if (glibc === undefined || /libasan/.test(process.env.LD_PRELOAD ?? '')) return assert.equal(mallocPolicy.applied, false, mallocPolicy.reason);
    assert.equal(mallocPolicy.applied, true, mallocPolicy.reason);
  });
});
