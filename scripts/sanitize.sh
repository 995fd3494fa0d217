#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer (toolchain.md §9): build
# the addon instrumented into build-asan/, then run mocha directly (not through npm, whose own
# process reports V8 "leaks") with the ASan runtime preloaded. Any report fails the run. Child
# node processes (the CLI tests) inherit the instrumented addon; MNE-Python, spawned for the
# cross-checks, runs without the preload (its allocations are not ours to report). V8's heap
# left behind by a process.exit() is suppressed by name (scripts/lsan-v8.supp).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json
npx cmake-js rebuild -D -O build-asan/build --CDSANITIZE=address,undefined >/dev/null
python="$(mktemp)"
printf '#!/bin/sh\nunset LD_PRELOAD\nexec %s "$@"\n' "${MXNE_PYTHON:-/usr/bin/python3}" >"$python"
chmod +x "$python"
failures="$(mktemp)"
rerun_args="$(mktemp)"
trap 'rm -f "$python" "$failures" "$rerun_args"' EXIT
suite() {
  MXNE_PYTHON="$python" MXNE_PREBUILD="$PWD/build-asan" LD_PRELOAD="$(gcc -print-file-name=libasan.so)" \
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$PWD/scripts/lsan-v8.supp:print_suppressions=0" UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    node node_modules/mocha/bin/mocha.js --timeout 600000 \
      --reporter ./scripts/sanitizeReporter.js --reporter-option "failures=$failures" "$@"
}
# LeakSanitizer's own tracer now and then crashes at a child process's exit, in
# __lsan::ScanRangeForPointers (google/sanitizers#1353; about one of ~100 children per run, here and
# on CI). When that is every failure, just the tests it hit run again, at most twice; any other
# failure fails the run.
set +e
suite --spec 'dist/test/**/*.test.js' "$@"
status=$?
for again in 1 2; do
  [ "$status" -ne 0 ] && node scripts/tracerCrashRerun.js "$failures" >"$rerun_args" || break
  mapfile -d '' rerun <"$rerun_args"
  echo "sanitize: every failure was LeakSanitizer's tracer crashing (google/sanitizers#1353); running those tests again ($again of 2)"
  suite "${rerun[@]}"
  status=$?
done
exit "$status"
