/**
 * How the C allocator keeps large blocks in a process that loads mxne (binding/memory.cc).
 *
 * A pipeline run allocates its large typed arrays afresh (the forward's gain, its whitened and
 * rotated copies, the dSPM operator: ~170 MB at 5,960 sources). glibc returns each freed block to
 * the kernel (blocks past its mmap threshold are unmapped, the heap's free top is trimmed) and the
 * next run faults them in again page by page: 10–20 thousand page faults and up to 0.15 s of
 * system time per warm run, measured. Past these thresholds the blocks stay in the heap and are
 * reused. The cost: memory freed by one run stays in the process (counted in its RSS) for the next,
 * up to the trim threshold. Set on purpose elsewhere (glibc's tunables, its MALLOC_* variables,
 * MXNE_MALLOC=keep), the allocator is left as it is.
 */

/** Blocks up to this size come from the heap (glibc's own threshold moves between 128 KiB and 32 MiB). */
const MMAP_THRESHOLD = 256 * 2 ** 20;
/** Free memory at the heap's top up to this much is kept (glibc's rule: twice the mmap threshold). */
const TRIM_THRESHOLD = 512 * 2 ** 20;

export interface MallocPolicy {
  /** Whether mxne set the thresholds below. */
  applied: boolean;
  /** Bytes; null when mxne left the allocator as it is. */
  mmapThreshold: number | null;
  trimThreshold: number | null;
  /** Why, in words for `mxne doctor` and result.json. */
  reason: string;
}

/** The environment's say, if any: null when mxne may set the thresholds. */
export function mallocPolicyOverride(env: NodeJS.ProcessEnv): string | null {
  if (env.MXNE_MALLOC === 'keep') return 'turned off (MXNE_MALLOC=keep)';
  const tunables = (env.GLIBC_TUNABLES ?? '').split(':').filter((t) => /^glibc\.malloc\.(mmap|trim)_threshold=/.test(t));
  if (tunables.length > 0) return `set in the environment (GLIBC_TUNABLES ${tunables.join(':')})`;
  const vars = ['MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_'].filter((v) => env[v] !== undefined);
  if (vars.length > 0) return `set in the environment (${vars.map((v) => `${v}=${env[v]}`).join(', ')})`;
  return null;
}

export function applyMallocPolicy(setMallocReuse: (mmapThreshold: number, trimThreshold: number) => boolean, env: NodeJS.ProcessEnv = process.env): MallocPolicy {
  const left = mallocPolicyOverride(env);
  if (left !== null) return { applied: false, mmapThreshold: null, trimThreshold: null, reason: left };
  if (!setMallocReuse(MMAP_THRESHOLD, TRIM_THRESHOLD)) {
    return { applied: false, mmapThreshold: null, trimThreshold: null, reason: 'not glibc, or glibc refused the thresholds: its defaults apply' };
  }
  return { applied: true, mmapThreshold: MMAP_THRESHOLD, trimThreshold: TRIM_THRESHOLD, reason: 'large blocks kept for reuse (MXNE_MALLOC=keep turns this off)' };
}
