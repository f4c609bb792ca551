#!/bin/sh
# Regenerates the example runs in saved_runs/ (digits, letters, motion). They record the exact
# simulation, so they must be regenerated whenever the simulation changes (any stage's numbers,
# default config, scene generators): `saccade replay saved_runs/X.run --verify` then fails, and
# so does the record_examples test.
#   tools/regen_runs.sh [BUILD_DIR]     (default: build; needs tests/record/record_tool built)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
tool=$build/tests/record/record_tool
[ -x "$tool" ] || { echo "regen_runs: $tool not built (ninja -C $build)" >&2; exit 1; }
mkdir -p "$root/saved_runs"
export SACCADE_DATA_DIR="$root"
# classifier in the loop (the scene's default model); letters with scripted manual saccades
# (pursuit off: it is rewritten below in format v1, which predates pursuit)
"$tool" --out "$root/saved_runs/example-digits.run" --scene digits --seconds 12 --seed 1 --model default --no-pursuit
"$tool" --out "$root/saved_runs/example-letters.run" --scene letters --seconds 12 --seed 2 --model default --manual
"$tool" --out "$root/saved_runs/example-motion.run" --scene motion --seconds 12 --seed 3 --model default
# the same digits run in the oldest format this build reads: must still read and replay
"$tool" --rewrite-v1 "$root/saved_runs/example-digits.run" "$root/saved_runs/example-digits-v1.run"
for f in "$root"/saved_runs/example-*.run; do
  "$build/saccade" replay "$f" --verify
done
