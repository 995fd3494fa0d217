/**
 * The environment for programs the tests start that are not node with mxne's addon (redis-server,
 * Chromium): without the sanitizer runtime scripts/sanitize.sh preloads into every child. Their
 * allocations are not ours to report, and a preloaded ASan breaks Chromium's own allocator.
 */
export function foreignEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { LD_PRELOAD: _p, ASAN_OPTIONS: _a, LSAN_OPTIONS: _l, UBSAN_OPTIONS: _u, ...rest } = env;
  return rest;
}
