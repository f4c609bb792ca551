#!/bin/sh
# The layers the build enforces (meson.build, "The layers"): in each stage's include tree a
# header of the stage itself and of a stage below it is found, and a header of a stage above
# it is not; a stage's private headers are found from the stage itself, not from above; the
# stage's link check exists (the build linked it).
#   test_layers.sh BUILD_DIR CC...
set -u
build=$1
shift
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# compiles? STAGE HEADER -> exit status of a syntax-only compile that includes HEADER
compiles() {
  printf '#include "%s"\n' "$2" > "$tmp/t.c"
  $CC_CMD -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$build" -I"$build/layers/$1" \
    $(pkg-config --cflags sdl2 fftw3f libcjson 2>/dev/null) -fsyntax-only "$tmp/t.c" 2>"$tmp/err"
}
CC_CMD="$*"
n=0
# STAGE  HEADER-THAT-MUST-BE-FOUND  HEADER-THAT-MUST-NOT
while read -r stage ok bad; do
  [ -d "$build/layers/$stage" ] || fail "no include tree $build/layers/$stage"
  compiles "$stage" "$ok" || fail "$stage cannot include its own or a lower stage's $ok: $(head -1 "$tmp/err")"
  if [ "$bad" != - ]; then
    if compiles "$stage" "$bad"; then
      fail "$stage can include $bad, a higher stage's header"
    fi
    grep -q "No such file" "$tmp/err" || fail "$stage including $bad failed for another reason: $(head -1 "$tmp/err")"
  fi
  if [ "$stage" != cli ]; then
    [ -x "$build/layer_check_$stage" ] || fail "no link check $build/layer_check_$stage"
  fi
  n=$((n + 1))
done <<'LIST'
core core/log.h retina/retina.h
retina core/log.h v1/v1.h
v1 retina/retina.h data/dataset.h
data retina/retina.h scene/scene.h
scene data/dataset.h sim/sim.h
saliency v1/v1.h classifier/classifier.h
eye retina/retina.h sim/sim.h
classifier v1/v1.h sim/sim.h
sim classifier/classifier.h record/record.h
runfile scene/scene.h sim/sim.h
record runfile/runfile.h eval/eval.h
nn core/log.h sim/sim.h
eval nn/net.h ui/ui.h
ui record/record.h eval/eval.h
cli ui/ui.h -
LIST
# Public and private headers: a stage sees its own private headers, a higher stage does not
# (each stage's meson.build names them: stage_private).
# STAGE  PRIVATE-HEADER-OF-ITS-OWN  A-LOWER-STAGE'S-PRIVATE-HEADER
while read -r stage own lower; do
  compiles "$stage" "$own" || fail "$stage cannot include its own private $own: $(head -1 "$tmp/err")"
  if compiles "$stage" "$lower"; then
    fail "$stage can include $lower, a lower stage's private header"
  fi
  grep -q "No such file" "$tmp/err" || fail "$stage including $lower failed for another reason: $(head -1 "$tmp/err")"
done <<'LIST'
sim sim/sim_objects.h scene/video_reader.h
record record/replay_private.h sim/sim_objects.h
eval eval/pool.h scene/scene_priv.h
ui ui/app_private.h record/replay_private.h
cli cli/cli_util.h ui/app_private.h
LIST
trees=$(find "$build/layers" -mindepth 1 -maxdepth 1 -type d | wc -l)
[ "$trees" -eq "$n" ] || fail "$trees include trees in $build/layers, $n stages listed here: list the new stage"
echo "layers: $n stages, each sees itself and the public headers below, not above"
