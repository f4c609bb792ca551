#!/bin/sh
# Builds one libFuzzer harness with meson (clang, -Dfuzzing=true, ASan, UBSan; see
# tests/fuzz/meson.build) and runs it, niced, on a working copy of its seed corpus for SECONDS
# (default 600).
#   tests/fuzz/run.sh NAME [SECONDS] [extra libFuzzer flags]
# NAME: runfile | runfile-nocrc | weights | scene | video | lexicon. BUILD (default build-fuzz) is the meson build
# folder, set up here with clang when it does not exist. Crash reproducers land in
# BUILD/fuzz-out/NAME/; copy each into tests/fuzz/crashes/NAME/ (runfile-nocrc: crashes/runfile/)
# so `meson test` replays it. .ci/run runs every harness briefly.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
name=${1:?usage: tests/fuzz/run.sh NAME [SECONDS] [libFuzzer flags]}
shift
secs=${1:-600}
[ $# -gt 0 ] && shift
build=${BUILD:-$root/build-fuzz}
# absolute: the harness runs from its output folder (cd below)
case "$build" in /*) ;; *) build=$(pwd)/$build ;; esac
case "$name" in
  runfile|runfile-nocrc) seeds=$root/tests/fuzz/corpus; maxlen=16384 ;;
  weights) seeds=$root/tests/fuzz/corpus-weights; maxlen=20000 ;;
  scene) seeds=$root/tests/scene/fuzz_corpus; maxlen=4096 ;;
  video) seeds=$root/tests/fuzz/corpus-video; maxlen=16384 ;;
  lexicon) seeds=$root/tests/fuzz/corpus-lexicon; maxlen=4096 ;;
  *) echo "tests/fuzz/run.sh: unknown harness '$name'" >&2; exit 2 ;;
esac
if [ ! -f "$build/build.ninja" ]; then
  CC=${CC:-clang} nice -n 10 meson setup "$build" --buildtype=debugoptimized -Dfuzzing=true \
    -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true
fi
if ! meson introspect --buildoptions "$build" | grep -q '"name": "fuzzing", "value": true'; then
  echo "tests/fuzz/run.sh: $build is not a fuzzing build (-Dfuzzing=true, clang); remove it or" \
    "set BUILD to another folder" >&2
  exit 1
fi
nice -n 10 ninja -C "$build" "tests/fuzz/fuzz_$name"
out=$build/fuzz-out/$name
mkdir -p "$out/corpus"
cd "$out" # crash/timeout artifacts land here
# Fonts and MNIST stay cached for the process, which LeakSanitizer sees as reachable.
SACCADE_DATA_DIR="$root" ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16} \
  exec nice -n 19 "$build/tests/fuzz/fuzz_$name" -max_total_time="$secs" -max_len=$maxlen \
  -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 "$@" "$out/corpus" "$seeds"
