#!/bin/sh
# Old files still read. tests/record/fixtures/old-v*-digits.run are real recordings written by
# earlier builds' writers, copied unchanged from the repository's history (never regenerated):
#   old-v1-digits.run  saved_runs/example-digits-v1.run at 5fa659d (2026-11-27, format v1)
#   old-v2-digits.run  saved_runs/example-digits.run at f873919 (2026-11-27, format v2)
#   old-v3-digits.run  saved_runs/example-digits.run at 3d6b886 (2026-11-29, format v3)
# Each must read (`info`), export every fixation it holds (pinned: count and last row), and
# have `replay --verify` refuse it with one line and exit 1 (its reader or eye is not today's),
# never crash. saved_runs/example-digits-v1.run, by contrast, is today's run in format v1.
# usage: test_old_runs.sh SACCADE FIXTURE_DIR
set -u
SACCADE="$1" DIR="$2"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
while read -r v fixations chunks last; do
  f="$DIR/old-v$v-digits.run"
  [ -f "$f" ] || fail "missing fixture $f"
  "$SACCADE" info "$f" >"$OUT/info" 2>"$OUT/err" || fail "info $f exited $?: $(cat "$OUT/err")"
  grep -q "^format version:  $v " "$OUT/info" || fail "$f: not read as format v$v: $(cat "$OUT/info")"
  grep -q "^fixations: *$fixations " "$OUT/info" || fail "$f: not $fixations fixations: $(cat "$OUT/info")"
  grep -q "^chunks: *$chunks\$" "$OUT/info" || fail "$f: not $chunks chunks: $(cat "$OUT/info")"
  grep -q "^closed cleanly:  yes" "$OUT/info" || fail "$f: not closed cleanly: $(cat "$OUT/info")"
  "$SACCADE" export "$f" --csv "$OUT/f.csv" >/dev/null 2>"$OUT/err" || fail "export $f exited $?: $(cat "$OUT/err")"
  [ "$(wc -l <"$OUT/f.csv")" -eq $((fixations + 1)) ] || fail "$f: export has $(wc -l <"$OUT/f.csv") lines"
  [ "$(tail -1 "$OUT/f.csv")" = "$last" ] || fail "$f: last fixation exports as '$(tail -1 "$OUT/f.csv")', not '$last'"
  "$SACCADE" replay --verify "$f" >/dev/null 2>"$OUT/err"; rc=$?
  [ $rc -eq 1 ] || fail "replay --verify $f exited $rc (want 1: it cannot match today's sim): $(cat "$OUT/err")"
  [ "$(wc -l <"$OUT/err")" -eq 1 ] || fail "replay --verify $f: not one line: $(cat "$OUT/err")"
  echo "v$v: read, $fixations fixations exported, verify refused: $(cat "$OUT/err")"
done <<'PINS'
1 80 13 79,11972.850,12000.000,27.150,567.31,682.72,-2.2558,10.1005,0.2111,18.44,,0.0000,9
2 84 25 83,11986.997,12000.000,13.003,1185.47,257.77,17.0617,-3.1791,2.1419,156.19,,0.0000,8
3 83 25 82,11866.730,12000.000,133.270,139.83,162.63,-15.6146,-6.1522,0.5659,47.70,nothing,0.9912,-1
PINS
echo "old run files: all read"
