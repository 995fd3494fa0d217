#!/bin/sh
# prebuildify calls "<this> rebuild --target=<node version> --arch=<arch> ...": in cmake-js --target
# means a CMake target, so keep only the architecture (toolchain.md §4). An incremental
# `cmake-js build` rather than `rebuild`: ninja rebuilds whatever the sources changed, and packing
# twice (npm pack runs this from prepack) does not recompile the whole addon.
arch=x64
for a in "$@"; do case "$a" in --arch=*) arch="${a#--arch=}";; esac; done
exec "$(dirname "$0")/../node_modules/.bin/cmake-js" build --arch="$arch"
