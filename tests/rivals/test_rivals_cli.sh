#!/bin/sh
# saccade eval rivals: the local path of the sweep (--quick cells one by one, then --merge), the
# table's shape, every number finite and the errors in [0, 1], a cell run twice gives the same
# weights (and ours' retrained reader the same hash), a cell file alone is enough to merge, and
# the usage errors.
set -u
SACCADE="$1"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
jqt() { printf '%s' "$1" | jq -e "$2" >/dev/null || fail "$3: $(printf '%s' "$1" | head -c 600)"; }

# the sweep as independent cells (what GNU parallel or a Slurm array runs), one thread each as
# the parallel recipes run them; no command creates folders, so the result folders are made here
mkdir "$OUT/cells" "$OUT/again"
for m in conv lc fc separate ours conv-fixed modern; do
  "$SACCADE" eval rivals --quick --quiet --threads 1 --cell "$m:cluttered60:200:1" --out "$OUT/cells" ||
    fail "cell $m exited $?"
  [ -s "$OUT/cells/cell_${m}_cluttered60_200_1.json" ] || fail "no result file for $m"
done
"$SACCADE" eval rivals --quick --quiet --cell "conv:translated60:100:2" --out "$OUT/cells" ||
  fail "translated60 cell exited $?"
json=$("$SACCADE" eval rivals --merge "$OUT/cells" --json) || fail "merge exited $?"
jqt "$json" 'length == 8' "eight rows"
jqt "$json" '[.[] | select(.task == "cluttered60") | .model] == ["conv", "lc", "fc", "separate", "ours", "conv-fixed", "modern"]' "model order"
jqt "$json" '[.[] | .training_digits] | map(. == 200 or . == 100) | all' "every row at its cell's digits (ours retrained on 200)"
jqt "$json" '[.[] | .error >= 0 and .error <= 1 and .ci95[0] <= .error and .error <= .ci95[1] and
             .ci95[0] >= 0 and .ci95[1] <= 1] | all' "errors and intervals in [0, 1]"
jqt "$json" '[.[] | [.params, .macs_per_answer, .train_seconds_mean, .passes_mean, .n] |
             map(type == "number" and . >= 0 and . < 1e12) | all] | all' "finite numbers"
jqt "$json" '[.[] | select(.model != "ours") | .n == 200 and .passes_mean == 1] | all' "n and passes"
jqt "$json" '.[] | select(.model == "ours") | .passes_mean >= 1 and .passes_mean <= 8' "ours' glimpses"
# weight tying: same MACs, far fewer parameters than the untied net
jqt "$json" '(map(select(.task == "cluttered60")) | INDEX(.model)) as $r |
             $r.conv.macs_per_answer == $r.lc.macs_per_answer and $r.conv.params < $r.lc.params' "conv vs lc"
# every rival against conv at the same task and digits: the difference and its interval
jqt "$json" '(map(select(.task == "cluttered60")) | INDEX(.model)) as $r |
             [$r.lc, $r.fc, $r.separate, $r.ours, $r["conv-fixed"]] | map(
               ((.minus_conv - (.error - $r.conv.error)) | fabs) < 1e-9 and
               .minus_conv_ci95[0] <= .minus_conv and .minus_conv <= .minus_conv_ci95[1]) | all' \
  "differences from conv"
jqt "$json" '[.[] | select(.model == "conv") | has("minus_conv") | not] | all' "conv has no difference from itself"
[ "$(wc -l < "$OUT/cells/rivals.csv")" -eq 9 ] || fail "CSV: header + 8 rows"
# modern: the reference's layer sequence at the default width 8 (288,170 parameters at 32), its
# width recorded, batch norm's running statistics in the weights' hash; tied, so far fewer
# parameters than the dense fc
jqt "$json" '(map(select(.task == "cluttered60")) | INDEX(.model)) as $r |
             $r.modern.params == 18482 and $r.modern.params < $r.fc.params' "modern's parameters"
jq -e '.width == 8 and (.architecture | test("3x3 conv 8, 8, maxpool, 16, 16, maxpool, 32, 32"))' \
  "$OUT/cells/cell_modern_cluttered60_200_1.json" >/dev/null || fail "modern's width and architecture"
[ "$(head -n 1 "$OUT/cells/rivals.csv" | tr ',' '\n' | wc -l)" -eq 15 ] || fail "CSV: 15 columns"
# a damaged cell file (a field missing, errors above n, a huge count) is skipped with a warning
cp "$OUT/cells/cell_fc_cluttered60_200_1.json" "$OUT/damaged.json"
mkdir -p "$OUT/bad"
jq 'del(.params)' "$OUT/damaged.json" > "$OUT/bad/cell_fc_cluttered60_200_1.json"
jq '.errors = 1e6' "$OUT/damaged.json" > "$OUT/bad/cell_lc_cluttered60_200_1.json"
jq '.params = 1e300' "$OUT/damaged.json" > "$OUT/bad/cell_separate_cluttered60_200_1.json"
cp "$OUT/cells/cell_conv_cluttered60_200_1.json" "$OUT/bad/"
json=$("$SACCADE" eval rivals --merge "$OUT/bad" --json 2>"$OUT/bad.err") || fail "merge with damaged cells exited $?"
jqt "$json" 'length == 1 and .[0].model == "conv"' "damaged cells skipped"
grep -q "not a rivals result" "$OUT/bad.err" || fail "no warning for a damaged cell"
head -c 8 "$OUT/cells/rivals_cluttered60.png" | od -An -c | grep -q 'P   N   G' || fail "PNG magic"

# same cell, same bits
"$SACCADE" eval rivals --quick --quiet --cell "conv:cluttered60:200:1" --out "$OUT/again" ||
  fail "rerun exited $?"
a=$(jq -r .weights_fnv1a "$OUT/cells/cell_conv_cluttered60_200_1.json")
b=$(jq -r .weights_fnv1a "$OUT/again/cell_conv_cluttered60_200_1.json")
[ -n "$a" ] && [ "$a" != null ] && [ "$a" = "$b" ] || fail "weights differ run to run: $a $b"
"$SACCADE" eval rivals --quick --quiet --threads 2 --cell "ours:cluttered60:200:1" --out "$OUT/again" ||
  fail "ours rerun exited $?"
a=$(jq -r .reader_hash "$OUT/cells/cell_ours_cluttered60_200_1.json")
b=$(jq -r .reader_hash "$OUT/again/cell_ours_cluttered60_200_1.json")
[ -n "$a" ] && [ "$a" != null ] && [ "$a" = "$b" ] || fail "ours' reader differs run to run: $a $b"
json=$("$SACCADE" eval rivals --merge "$OUT/again" --json) || fail "merge of two cells exited $?"
jqt "$json" 'length == 2' "two cells, two rows"

# outputs: a missing result folder is an error before any training (no folder is created); a
# cell file that is a symbolic link is replaced by the result, never written through; a
# planted "X.tmp" symbolic link is not followed
"$SACCADE" eval rivals --quick --quiet --cell "conv:cluttered60:100:1" --out "$OUT/missing" 2>"$OUT/missing.err"
[ $? -eq 1 ] || fail "a missing --out folder is not an error"
[ ! -e "$OUT/missing" ] || fail "--out folder created"
grep -q "no such folder" "$OUT/missing.err" || fail "missing folder: $(cat "$OUT/missing.err")"
mkdir "$OUT/links"
echo precious > "$OUT/precious"
ln -s "$OUT/precious" "$OUT/links/cell_conv_cluttered60_100_1.json"
ln -s "$OUT/precious" "$OUT/links/cell_conv_cluttered60_100_1.json.tmp"
"$SACCADE" eval rivals --quick --quiet --cell "conv:cluttered60:100:1" --out "$OUT/links" 2>"$OUT/links.err"
[ "$(cat "$OUT/precious")" = precious ] || fail "a symbolic link's target was written through"
# merge: a FIFO named like a cell file is skipped with a warning, not waited on; a second file
# for the same cell is reported
mkdir "$OUT/fifo"
cp "$OUT/cells/cell_conv_cluttered60_200_1.json" "$OUT/fifo/"
cp "$OUT/cells/cell_conv_cluttered60_200_1.json" "$OUT/fifo/cell_conv_cluttered60_200_1_copy.json"
mkfifo "$OUT/fifo/cell_lc_cluttered60_200_1.json"
json=$(timeout 20 "$SACCADE" eval rivals --merge "$OUT/fifo" --json 2>"$OUT/fifo.err") ||
  fail "merge beside a FIFO exited $? (124: it waited on the FIFO)"
jqt "$json" 'length == 1 and .[0].seeds == 1' "FIFO skipped, duplicate counted once"
grep -q "not a regular file" "$OUT/fifo.err" || fail "no warning for the FIFO: $(cat "$OUT/fifo.err")"
grep -q "second result for the same cell" "$OUT/fifo.err" || fail "no warning for the duplicate"

# usage errors
"$SACCADE" eval rivals --cell "conv:cluttered60" 2>/dev/null; [ $? -eq 2 ] || fail "bad --cell not a usage error"
"$SACCADE" eval rivals --cell "rnn:cluttered60:100:1" 2>/dev/null; [ $? -eq 2 ] || fail "unknown model accepted"
"$SACCADE" eval rivals --merge "$OUT/nothing-here" 2>/dev/null; [ $? -eq 1 ] || fail "merge of no folder"
echo "eval rivals CLI tests passed"
