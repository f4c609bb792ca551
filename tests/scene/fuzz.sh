#!/bin/sh
# Builds the libFuzzer harness for scene files and image files with clang (fuzzer, ASan, UBSan)
# and runs it on a copy of the seed corpus for SECONDS (default 600), niced.
#   tests/scene/fuzz.sh [SECONDS] [extra libFuzzer flags]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-600}
[ $# -gt 0 ] && shift
out=${FUZZ_OUT:-$root/build-fuzz}/scene
mkdir -p "$out"
if [ ! -f "$out/config.h" ]; then
  printf '#define SACCADE_VERSION "fuzz"\n#define SACCADE_DATA_DIR "%s"\n' "$root" > "$out/config.h"
fi
clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -ffp-contract=off -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$out" -I"$root" -I"$root/src" \
  $(pkg-config --cflags sdl2 SDL2_ttf SDL2_image) \
  "$root/tests/scene/fuzz_scene.c" "$root"/src/scene/*.c "$root/src/core/image.c" \
  "$root/src/core/log.c" "$root/src/core/rng.c" "$root/src/core/paths.c" \
  $(pkg-config --libs sdl2 SDL2_ttf SDL2_image zlib) -lm -lpthread -o "$out/fuzz_scene"
mkdir -p "$out/corpus"
cp -n "$root"/tests/scene/fuzz_corpus/* "$out/corpus/" 2>/dev/null || true
cd "$out"   # crash/timeout artifacts land here
# Fonts and MNIST stay cached for the process, which LeakSanitizer sees as reachable.
SACCADE_DATA_DIR="$root" ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16} \
  exec nice -n 19 "$out/fuzz_scene" -max_total_time="$secs" -max_len=4096 -rss_limit_mb=2048 \
  -timeout=30 -print_final_stats=1 "$@" "$out/corpus" "$root/tests/scene/fuzz_corpus"
