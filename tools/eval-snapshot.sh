#!/usr/bin/env bash
# tools/eval-snapshot.sh SACCADE DIR: runs every `saccade eval` task on small settings with the
# given binary and keeps everything it prints and writes in DIR (which must not exist), so two
# binaries can be compared byte for byte:
#   tools/eval-snapshot.sh /tmp/saccade-before /tmp/snap-before
#   tools/eval-snapshot.sh build/saccade /tmp/snap-after
#   diff -r /tmp/snap-before /tmp/snap-after && echo identical
# Each command's stdout, stderr and exit code are kept (NAME.out, NAME.err, NAME.rc); its files
# go to DIR/NAME/. Wall-clock fields of `eval rivals` (train_seconds, train_cpu_seconds,
# eval_seconds) are the only values that differ run to run: cell files are kept with those
# values masked (NAME/*.json.masked), and the merge runs on a copy of the cells with them set
# to 0, so the merged table, JSON and plots compare byte for byte too.
# Cheap on purpose (about 2 minutes on 2 shared cores), not a measurement.
set -u
SACCADE=$1
DIR=$2
[ -x "$SACCADE" ] || { echo "eval-snapshot: $SACCADE is not an executable" >&2; exit 2; }
[ ! -e "$DIR" ] || { echo "eval-snapshot: $DIR exists" >&2; exit 2; }
mkdir -p "$DIR"

# run NAME ARGS...: one command; "@OUT" in ARGS (or "@OUT/x") names DIR/NAME (created first)
run() {
  local name=$1 a
  shift
  mkdir -p "$DIR/$name"
  local args=()
  for a in "$@"; do
    args+=("${a/#@OUT/$DIR/$name}")
  done
  "$SACCADE" "${args[@]}" >"$DIR/$name.out" 2>"$DIR/$name.err"
  echo $? >"$DIR/$name.rc"
  # the snapshot's own folder in messages: named neutrally, so two snapshots compare
  sed -i "s#$DIR#SNAP#g" "$DIR/$name.out" "$DIR/$name.err"
}
mask() { sed -E 's/"(train_seconds|train_cpu_seconds|eval_seconds)":[[:space:]]*[-0-9.e+]+/"\1": T/'; }

# centred, eccentricity, the canvas tasks: text and JSON, CSV and PNG
run centred eval centred --limit 200 --quiet --out @OUT
run centred-json eval centred --limit 200 --json --quiet --out @OUT
run centred-val eval centred --split val --limit 100 --json --quiet --out @OUT
run ecc eval eccentricity --limit 6 --quiet --out @OUT --curve @OUT/c.ecc.csv
run ecc-json eval eccentricity --limit 6 --json --quiet --threads 1 --out @OUT
for t in translated60 cluttered60 cluttered100; do
  run "$t" eval "$t" --limit 30 --seeds 2 --quiet --out @OUT
  run "$t-json" eval "$t" --limit 30 --seeds 2 --json --quiet --threads 1 --out @OUT
done
run translated60-val eval translated60 --split val --limit 20 --seeds 1 --json --quiet --out @OUT
# reading: two settings, a short page
run reading eval reading --readers 0,2 --words 12 --page 12 --quiet --out @OUT
run reading-json eval reading --readers 0,2 --words 12 --page 12 --json --quiet --out @OUT
run reading-val eval reading --readers 0 --words 8 --page 8 --split val --json --quiet --out @OUT
# pursuit: one trial per speed and eye, every output
run pursuit eval pursuit --n 1 --quiet --csv @OUT/p.csv --png @OUT/p.png --trace @OUT/t.csv
run pursuit-json eval pursuit --n 1 --json --quiet
# rivals: cheap cells (one of each kind of training), then the merge
mkdir -p "$DIR/rivals-cells"
for c in conv:cluttered60:100:1 separate:translated60:100:1 modern:cluttered60:100:2 \
         ours:cluttered60:200:1 fc-fixed:cluttered60:100:1; do
  run "rivals-cell-$c" eval rivals --quick --quiet --threads 2 --test-limit 40 --cell "$c" \
    --out "$DIR/rivals-cells"
done
run rivals-list eval rivals --models conv,lc --tasks translated60 --sizes 50 --seeds 3 \
  --epochs 1 --min-samples 10 --test-limit 30 --quiet --out @OUT
run rivals-usage eval rivals --cell nonsense:x:1:1
mkdir -p "$DIR/rivals-merge"
for d in rivals-cells rivals-list; do
  for f in "$DIR/$d"/cell_*.json; do
    mask <"$f" >"$f.masked"
    sed -E 's/"(train_seconds|train_cpu_seconds|eval_seconds)":([[:space:]]*)[-0-9.e+]+/"\1":\20/' \
      "$f" >"$DIR/rivals-merge/$(basename "$f")"
    rm "$f"
  done
done
# the list run merged its cells itself: the merged files hold its wall-clock times
rm -f "$DIR/rivals-list/rivals.csv" "$DIR/rivals-list.out"
run rivals-merge eval rivals --merge "$DIR/rivals-merge"
run rivals-merge-json eval rivals --merge "$DIR/rivals-merge" --json
# usage errors of each subcommand
run usage-task eval nosuchtask
run usage-reading eval reading --readers 9
run usage-pursuit eval pursuit --n 0
run missing-folder eval cluttered60 --limit 5 --out @OUT/none
run help eval --help
