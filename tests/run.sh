#!/usr/bin/env bash
# Runs every test, under AddressSanitizer + UndefinedBehaviorSanitizer, in build-test/, with
# OpenBLAS required (so the rivals' BLAS kernels are tested beside the plain C loops) and every
# compiler warning an error. The slow suite (every published table re-measured: tests/slow)
# is left out: `meson test -C build --suite slow` runs it on a release build.
# An existing build-test/ is reconfigured with these options and then checked: a folder set up
# without sanitizers (or without OpenBLAS) never runs the suite silently.
set -euo pipefail
cd "$(dirname "$0")/.."
opts=(-Db_sanitize=address,undefined -Db_lundef=false -Dopenblas=enabled -Dwerror=true)
if ! pkg-config --exists openblas; then
  echo "tests/run.sh: OpenBLAS not found (pkg-config openblas): the test build requires it so" \
    "that the rivals' BLAS kernels are tested; install libopenblas-dev (tools/install-deps.sh)" >&2
  exit 1
fi
if [ ! -f build-test/build.ninja ]; then
  meson setup build-test --buildtype=debugoptimized "${opts[@]}"
else
  meson setup --reconfigure build-test >/dev/null
  # meson 1.0's setup --reconfigure ignores -Db_* options: set them with configure
  meson configure build-test "${opts[@]}"
fi
# What the folder is configured with, not what we asked for.
opt() {
  meson introspect --buildoptions build-test |
    python3 -c 'import json,sys; print(next(str(o["value"]) for o in json.load(sys.stdin) if o["name"] == sys.argv[1]))' "$1"
}
san=$(opt b_sanitize) lundef=$(opt b_lundef) blas=$(opt openblas) werror=$(opt werror)
if [ "$san" != "address,undefined" ] || [ "$lundef" != "False" ] || [ "$blas" != "enabled" ] ||
  [ "$werror" != "True" ]; then
  echo "tests/run.sh: build-test/ is configured with b_sanitize=$san b_lundef=$lundef" \
    "openblas=$blas werror=$werror, not address,undefined / False / enabled / True: refusing to run the suite" \
    "without its sanitizers; remove build-test/ and run again" >&2
  exit 1
fi
ninja -C build-test
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
meson test -C build-test --print-errorlogs --num-processes 2 --no-suite slow "$@"
