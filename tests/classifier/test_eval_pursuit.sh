#!/bin/sh
# saccade eval pursuit: the JSON contract (jq), the CSV and PNG outputs, usage errors, and what
# small n can pin: a still digit has no gain or latency, the saccades-only eye never moves
# smoothly, the pursuing eye follows a 10 deg/s digit.
set -u
SACCADE="$1"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
jqt() { printf '%s' "$1" | jq -e "$2" >/dev/null || fail "$3: $(printf '%s' "$1" | head -c 600)"; }

json=$("$SACCADE" eval pursuit --n 2 --json --quiet --csv "$OUT/p.csv" --png "$OUT/p.png" \
  --trace "$OUT/t.csv") || fail "eval pursuit exited $?"
# --trace: a header, then one line per tick (200) of each trial (2 per cell, 12 cells)
head -1 "$OUT/t.csv" | grep -q '^eye,speed_deg_s,digit,t_ms,' || fail "trace header: $(head -1 "$OUT/t.csv")"
[ "$(wc -l <"$OUT/t.csv")" -eq 4801 ] || fail "trace: $(wc -l <"$OUT/t.csv") lines, not 4801"
[ "$(cut -d, -f1,2 "$OUT/t.csv" | sort | uniq -c | awk '$1 == 400' | wc -l)" -eq 12 ] ||
  fail "trace: not 400 ticks in each of the 12 cells"
jqt "$json" '.task == "pursuit" and .n_per_cell == 2 and .trial_ms == 2000 and (.rows | length) == 12' "shape"
jqt "$json" '[.rows[].speed_deg_s] == [0,0,5,5,10,10,20,20,30,30,40,40]' "speeds"
jqt "$json" '[.rows[] | .eye] == ([range(6)] | map("pursuit", "saccades"))' "eyes"
jqt "$json" '[.rows[] | .n == 2 and (.read | type) == "number" and (.read_ci95 | length) == 2
  and .read_ci95[0] <= .read and .read <= .read_ci95[1] and (.on_target | type) == "number"
  and .on_target_ci95[0] <= .on_target and .on_target <= .on_target_ci95[1]
  and (.saccades_per_trial | type) == "number"] | all' "rows"
jqt "$json" '[.rows[] | select(.speed_deg_s == 0) | .gain == null and .latency_ms == null] | all' "still digit: no gain"
jqt "$json" '[.rows[] | select(.eye == "saccades" and .speed_deg_s > 0) | .gain == null or .gain == 0] | all' "saccades only: no smooth movement"
jqt "$json" '[.rows[] | select(.eye == "pursuit" and .speed_deg_s == 10) | .gain > 0.5 and .on_target > 0.3] | all' "pursuit follows 10 deg/s"
[ "$(head -1 "$OUT/p.csv")" = "speed_deg_s,eye,n,read,read_lo,read_hi,on_target,on_target_lo,on_target_hi,gain,latency_ms,saccades_per_trial" ] ||
  fail "CSV header: $(head -1 "$OUT/p.csv")"
[ "$(wc -l <"$OUT/p.csv")" -eq 13 ] || fail "CSV rows"
head -c 8 "$OUT/p.png" | od -An -c | grep -q 'P   N   G' || fail "PNG magic"

# the table on stdout names its columns
"$SACCADE" eval pursuit --help | grep -q "time on target" || fail "--help defines time on target"
# usage errors: exit 2, one line; an unwritable output: exit 1 before any work
"$SACCADE" eval pursuit --n 0 >/dev/null 2>&1; [ $? -eq 2 ] || fail "--n 0 not a usage error"
"$SACCADE" eval pursuit --bogus >/dev/null 2>&1; [ $? -eq 2 ] || fail "--bogus not a usage error"
"$SACCADE" eval pursuit --n 1 --csv "$OUT/none/x.csv" >/dev/null 2>"$OUT/err"; [ $? -eq 1 ] ||
  fail "missing folder not refused"
[ "$(wc -l <"$OUT/err")" -eq 1 ] || fail "error is not one line: $(cat "$OUT/err")"
echo "eval pursuit: ok"
