#!/bin/sh
# saccade eval centred --limit 200 --json meets a loose accuracy bound with the committed model;
# bad usage exits 2 with one line; a corrupt model exits 1 naming the file.
set -u
SACCADE="$1"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

json=$("$SACCADE" eval centred --limit 200 --json --quiet --out "$OUT") || fail "eval centred exited $?"
acc=$(printf '%s' "$json" | sed -n 's/.*"accuracy":\([0-9.]*\).*/\1/p')
[ -n "$acc" ] || fail "no accuracy in: $json"
awk -v a="$acc" 'BEGIN { exit !(a >= 0.93 && a <= 1) }' || fail "accuracy $acc below 0.93"
printf '%s' "$json" | grep -q '"glyphs_heldout_accuracy":' || fail "no glyphs_heldout_accuracy key"
[ -s "$OUT/eval_centred.csv" ] || fail "no CSV"
[ -s "$OUT/eval_centred.png" ] || fail "no PNG"
head -c 8 "$OUT/eval_centred.png" | od -An -c | grep -q 'P   N   G' || fail "PNG magic"

"$SACCADE" eval nosuchtask 2>"$OUT/err"; rc=$?
[ $rc -eq 2 ] || fail "unknown task exited $rc"
[ "$(wc -l <"$OUT/err")" -eq 1 ] || fail "unknown task: not one line"
"$SACCADE" eval centred --limit zero 2>/dev/null; [ $? -eq 2 ] || fail "bad --limit not a usage error"
"$SACCADE" train --dataset nope 2>/dev/null; [ $? -eq 2 ] || fail "bad dataset not a usage error"
# the training options: each bad value is one line and exit 2, before any training starts
for bad in "--input retina" "--hidden 512,,256" "--hidden ,8" "--hidden 0" "--hidden 1,2,3,4,5,6" \
           "--dropout 0.95" "--dropout x" "--batch 0" "--lr 5" "--epochs 0"; do
    # shellcheck disable=SC2086
    "$SACCADE" train --dataset mnist $bad --out "$OUT/never.wts" 2>"$OUT/err"; rc=$?
    [ $rc -eq 2 ] || fail "train $bad exited $rc"
    [ "$(wc -l <"$OUT/err")" -eq 1 ] || fail "train $bad: not one line: $(cat "$OUT/err")"
    [ ! -e "$OUT/never.wts" ] || fail "train $bad wrote a model"
done

printf 'SACCMLP\0garbage' >"$OUT/bad.wts"
"$SACCADE" eval centred --model "$OUT/bad.wts" --quiet --out "$OUT" 2>"$OUT/err"; rc=$?
[ $rc -eq 1 ] || fail "corrupt model exited $rc"
grep -q "bad.wts" "$OUT/err" || fail "error does not name the file: $(cat "$OUT/err")"
[ "$(wc -l <"$OUT/err")" -eq 1 ] || fail "corrupt model: not one line"

json=$("$SACCADE" eval translated60 --limit 20 --json --quiet --out "$OUT") || fail "translated60 exited $?"
printf '%s' "$json" | grep -q '"rows":\[{"saccades":4,"error":' || fail "translated60 json: $json"
json=$("$SACCADE" eval eccentricity --limit 10 --json --quiet --out "$OUT") || fail "eccentricity exited $?"
printf '%s' "$json" | grep -q '"offset_px":28' || fail "eccentricity json: $json"
echo "eval CLI tests passed"
