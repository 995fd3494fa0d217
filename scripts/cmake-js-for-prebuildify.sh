#!/bin/sh
# prebuildify calls "<this> rebuild --target=<node version> --arch=<arch> ...": in cmake-js --target
# means a CMake target, so keep only the architecture (toolchain.md §4). `configure` then `build`
# rather than `rebuild`: configure picks up added or removed binding/*.cc (CMakeLists globs them),
# ninja then recompiles only what changed, and packing twice (npm pack runs this from prepack)
# does not recompile the whole addon.
#
# prebuildify then moves build/Release/mxne.node into prebuilds/ and strips it in place. That file
# may be loaded by running processes (a test run packs the package), which an in-place strip would
# crash, and the source build should stay where it was: so hand prebuildify a fresh copy and keep
# the original aside for postpack to put back.
set -e
arch=x64
for a in "$@"; do case "$a" in --arch=*) arch="${a#--arch=}";; esac; done
cd "$(dirname "$0")/.."
node_modules/.bin/cmake-js configure --arch="$arch"
node_modules/.bin/cmake-js build --arch="$arch"
mv -f build/Release/mxne.node build/mxne.node.kept
cp build/mxne.node.kept build/Release/mxne.node
