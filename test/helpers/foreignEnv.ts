/**
 * The environment for programs the tests start that are not node with mxne's addon (redis-server,
 * Chromium): without the sanitizer runtime scripts/sanitize.sh preloads into every child. Their
 * allocations are not ours to report, and a preloaded ASan breaks Chromium's own allocator.
 */
export function foreignEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { LD_PRELOAD: _p, ASAN_OPTIONS: _a, LSAN_OPTIONS: _l, UBSAN_OPTIONS: _u, ...rest } = env;
  return rest;
}

/**
 * The environment for a node child that leaves native allocations behind by design: under
 * scripts/sanitize.sh it inherits ASan, and LeakSanitizer would report them and change its exit
 * code (process.exit() skips Node's teardown; a worker terminated under a native job leaves that
 * job's promise unsettled). Leak checking off, the other sanitizer options kept.
 */
export function noLeakCheckEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, ASAN_OPTIONS: `${env.ASAN_OPTIONS ?? ''}:detect_leaks=0` };
}
