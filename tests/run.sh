#!/usr/bin/env bash
# Runs every test, under AddressSanitizer + UndefinedBehaviorSanitizer, in build-test/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build-test/build.ninja ]; then
  meson setup build-test --buildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false
else
  meson setup --reconfigure build-test >/dev/null
fi
ninja -C build-test
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
meson test -C build-test --print-errorlogs --num-processes 2 "$@"
