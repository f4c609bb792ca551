#!/usr/bin/env bash
# Quick start: install what is missing, build (release) and open the live window.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
[ -f build/build.ninja ] || meson setup build --buildtype=release
ninja -C build
exec build/saccade "$@"
