#!/bin/sh
# saccade eval: exact figures, pinned. The evals are deterministic at any thread count, so every
# count below is exact, not a bound: a one-digit change in any of them fails this test.
#  - centred: the whole official test set, so the README's figures themselves (MNIST 99.38% =
#    9,938 of 10,000; glyphs 97.80% = 2,183 of 2,232, per family, and the case confusions; the
#    digit and character models joined, on each set);
#  - reading: the first 20 words of each of the eight held-out families, with 0 and 8 extra readers;
#    natural text at 22 px, the first 10 words of each, with 0 and 2;
#  - translated60, cluttered60, cluttered100 (and cluttered60 with the sensor-matched eye, --sensor
#    small): the first 300 canvases of seed 1, the error count
#    at every glimpse count 1..8, the split of the errors at 8 and the glimpses used, each at
#    --threads 1 and --threads 2 (the two JSON outputs must be byte-identical).
# If a change was meant to move these numbers, re-measure the published tables first
# (`saccade eval TASK`, release build, all seeds: docs/experiments.md, and the README's headline
# results), then update the pins here in the same commit.
set -u
SACCADE="$1"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
remeasure="the eval's results changed: if that was meant, re-measure the published figures (docs/experiments.md and the README's headline results) and update the pins in tests/classifier/test_eval_pinned.sh"
# pin NAME GOT WANT
pin() {
  [ "$2" = "$3" ] || fail "$1: got $2, pinned $3: $remeasure"
  echo "pinned $1: $2"
}
# exact JSON count: a fraction times n is a whole number
count() { printf '%s' "$1" | jq -r "$2"; }

json=$("$SACCADE" eval centred --json --quiet --out "$OUT") || fail "eval centred exited $?"
pin "centred mnist n, right" "$(count "$json" '[.mnist.n, .mnist.accuracy * .mnist.n | round] | @csv')" '10000,9938'
pin "centred glyphs n, right" "$(count "$json" '[.glyphs.n, .glyphs.accuracy * .glyphs.n | round] | @csv')" '2232,2183'
pin "centred glyph families" "$(count "$json" '[.glyphs.families[] | "\(.name):\(.n):\(.accuracy * .n | round)"] | join(" ")')" \
  'Liberation Sans:744:731 Liberation Serif:744:741 Liberation Mono:744:711'
pin "centred glyph confusions" "$(count "$json" '.glyphs.confusions | [.letters, .errors, .case_errors] | @csv')" '1872,49,28'
pin "centred joined" "$(count "$json" '.joined | [.digits.n, (.digits.accuracy * .digits.n | round), .digits.other_kind, .glyphs.n, (.glyphs.accuracy * .glyphs.n | round), .glyphs.other_kind] | @csv')" \
  '10000,9909,35,2232,2173,9'

# canvas tasks: TASK ERRORS_AT_1..8 READ_CENTRED_WRONG,NEVER_READ_CENTRED GLIMPSES_USED_AT_8 READ_WITHIN_3PX
N=300
while read -r spec errors at8 glimpses within; do
  # TASK or TASK:SENSOR (the sensor-matched eye: --sensor small)
  task=${spec%%:*} sensor=full
  [ "$spec" = "$task" ] || sensor=${spec#*:}
  j1=$("$SACCADE" eval "$task" --sensor "$sensor" --limit $N --seeds 1 --threads 1 --json --quiet --out "$OUT") ||
    fail "eval $spec --threads 1 exited $?"
  j2=$("$SACCADE" eval "$task" --sensor "$sensor" --limit $N --seeds 1 --threads 2 --json --quiet --out "$OUT") ||
    fail "eval $spec --threads 2 exited $?"
  [ "$j1" = "$j2" ] || fail "$spec: the JSON at --threads 1 and 2 differ (results must not depend on the thread count)"
  pin "$spec seeds" "$(count "$j2" '[.seeds[], (.rows[] | .n)] | unique | @csv')" "1,$N"
  pin "$spec errors at 1..8 glimpses" "$(count "$j2" '[.rows[] | .error * .n | round] | @csv')" "$errors"
  pin "$spec errors at 8: read centred, never read centred" \
    "$(count "$j2" ".errors_at_8 | [.digit_read_centred, .digit_never_read_centred] | map(. * $N | round) | @csv")" "$at8"
  pin "$spec glimpses used at 8 (sum)" "$(count "$j2" ".glimpses_used_mean_at_8 * $N | round")" "$glimpses"
  pin "$spec read within 3 px" "$(count "$j2" ".read_within_3px * $N | round")" "$within"
done <<EOF
translated60 250,2,0,0,0,1,1,1 1,0 739 300
cluttered60 250,40,4,2,1,1,1,1 1,0 845 297
cluttered100 269,79,17,11,7,5,4,4 2,2 970 294
cluttered60:small 250,93,14,7,6,6,6,6 5,1 1004 292
EOF
# reading: the first 20 words of each of the eight held-out families, the fovea alone and with 8
# extra readers (readers, words, words right, words right without the I/l rule, fixations)
json=$("$SACCADE" eval reading --readers 0,8 --words 20 --json --quiet --out "$OUT") || fail "eval reading exited $?"
pin "reading words right and fixations" \
  "$(count "$json" '[.rows[] | "\(.readers):\(.words):\(.word_accuracy * .words | round):\(.word_accuracy_no_rule * .words | round):\(.fixations)"] | join(" ")')" \
  '0:160:159:151:1192 8:160:154:143:344'
# natural text: the first 10 words of each held-out family at 22 px, the fovea alone and with 2
# extra readers (readers, words, words right, without the I/l rule, fixations); with the
# vocabulary (the default) and letter by letter (--lexicon off: the eye without its vocabulary)
for lx in on:'0:80:80:80:600 2:80:79:79:309' off:'0:80:75:73:653 2:80:79:77:354'; do
  json=$("$SACCADE" eval reading --text 22 --readers 0,2 --words 10 --lexicon "${lx%%:*}" --json \
    --quiet --out "$OUT") || fail "eval reading --text --lexicon ${lx%%:*} exited $?"
  pin "natural text words right and fixations, vocabulary ${lx%%:*}" \
    "$(count "$json" '[.rows[] | "\(.readers):\(.words):\(.word_accuracy * .words | round):\(.word_accuracy_no_rule * .words | round):\(.fixations)"] | join(" ")')" \
    "${lx#*:}"
done
echo "eval pinned figures: all exact"
