#!/usr/bin/env bash
# Native tests under AddressSanitizer + UndefinedBehaviorSanitizer (toolchain.md §9): build the addon
# instrumented into build-asan/, then run mocha directly (not through npm, whose own process reports
# V8 "leaks") with the ASan runtime preloaded. Any report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
npx cmake-js rebuild -D -O build-asan/build --CDSANITIZE=address,undefined >/dev/null
export MXNE_PREBUILD="$PWD/build-asan"
LD_PRELOAD="$(gcc -print-file-name=libasan.so)" \
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  node node_modules/mocha/bin/mocha.js --no-config --timeout 120000 \
    --spec 'dist/test/linalg/**/*.test.js' --spec 'dist/test/sparse/l21Driver.test.js' --spec 'dist/test/sparse/solverProblems.test.js' \
    --spec 'dist/test/prepare/**/*.test.js' --spec 'dist/test/inverse/**/*.test.js' --spec 'dist/test/io/fiff/readback.test.js'
