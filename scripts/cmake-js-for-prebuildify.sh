#!/bin/sh
# prebuildify calls "<this> rebuild --target=<node version> --arch=<arch> ...": in cmake-js --target
# means a CMake target, so keep only the architecture (toolchain.md §4).
arch=x64
for a in "$@"; do case "$a" in --arch=*) arch="${a#--arch=}";; esac; done
exec "$(dirname "$0")/../node_modules/.bin/cmake-js" rebuild --arch="$arch"
