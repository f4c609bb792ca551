#!/bin/sh
# Builds the libFuzzer harness for the run file reader with clang (fuzzer, ASan, UBSan) and
# runs it on a copy of the seed corpus for SECONDS (default 600), niced.
#   tests/fuzz/run.sh [crc|nocrc] [SECONDS] [extra libFuzzer flags]
# crc (default): the real reader. nocrc: CRC checks accepted (-DRUNFILE_FUZZ_IGNORE_CRC), so
# mutations reach the parsing behind the checksums.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
mode=crc
case "${1:-}" in crc|nocrc) mode=$1; shift ;; esac
secs=${1:-600}
[ $# -gt 0 ] && shift
extra=""
[ "$mode" = nocrc ] && extra="-DRUNFILE_FUZZ_IGNORE_CRC"
out=${FUZZ_OUT:-$root/build-fuzz}/$mode
mkdir -p "$out"
if [ ! -f "$out/config.h" ]; then
  printf '#define SACCADE_VERSION "fuzz"\n#define SACCADE_DATA_DIR "%s"\n' "$root" > "$out/config.h"
fi
clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $extra -I"$out" -I"$root" -I"$root/src" \
  "$root/tests/fuzz/fuzz_runfile.c" "$root/src/record/runfile.c" "$root/src/core/log.c" \
  -lz -o "$out/fuzz_runfile"
mkdir -p "$out/corpus"
cp -n "$root"/tests/fuzz/corpus/* "$out/corpus/" 2>/dev/null || true
cd "$out"   # crash/timeout artifacts land here
ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16} exec nice -n 19 "$out/fuzz_runfile" \
  -max_total_time="$secs" -max_len=16384 -rss_limit_mb=2048 \
  -timeout=30 -print_final_stats=1 "$@" "$out/corpus" "$root/tests/fuzz/corpus"
