#!/usr/bin/env bash
# The native-facing tests under valgrind with errors fatal (toolchain.md §9): an uninstrumented
# Debug build of the addon in build-valgrind/, memcheck on every read and write of it. Any invalid
# read/write, use of uninitialised memory or definite leak exits 9. Python cross-checks skip here
# (valgrind would trace the interpreter too); they run in `npm test` and scripts/sanitize.sh.
# Every native kernel runs (each export of binding/ is called by at least one of these files):
# the linalg tests (BLAS/LAPACK wrappers), the L21 solver tests (nOrient 1, 2, 3) and the seed
# workflow on a 200-source demo (dSPM weights, depth prior, rank, rotations, the L21 kernel,
# debias, and reading its FIF files: big-endian widening) and Gamma-MAP on it (its step kernel:
# 6 min under memcheck on an idle 2-core machine with the Cholesky step, 0 errors), and its
# eigendecomposition fallback on a forced indefinite CM.
# A child forked by a test (execFile) is silent until it execs: its copy of V8's heap is not ours.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json
npx cmake-js rebuild -D -O build-valgrind/build >/dev/null
MXNE_PYTHON=/nonexistent MXNE_PREBUILD="$PWD/build-valgrind" \
  valgrind --error-exitcode=9 --smc-check=all-non-file --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite --trace-children=no --child-silent-after-fork=yes --quiet \
    --suppressions=scripts/valgrind-v8.supp \
  node node_modules/mocha/bin/mocha.js --no-config --timeout 1200000 --reporter dot \
    --spec 'dist/test/linalg/**/*.test.js' --spec 'dist/test/sparse/l21Driver.test.js' \
    --spec 'dist/test/sparse/mxneOptimMne.test.js' --spec 'dist/test/sparse/solverApi.test.js' \
    --spec 'dist/test/sparse/solverControl.test.js' --spec 'dist/test/workflow/demoSolvers.test.js' \
    --spec 'dist/test/sparse/gammaMap/gammaMapEighFallback.test.js' "$@"
