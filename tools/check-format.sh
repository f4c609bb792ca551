#!/bin/sh
# Every C file of the tree matches .clang-format (clang-format 14, Debian 12's): CI runs this
# before the tests (.ci/run). Fix with: git ls-files '*.c' '*.h' | xargs clang-format -i
set -eu
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check-format: clang-format is not installed (tools/install-deps.sh)" >&2; exit 1; }
bad=0
for f in $(git ls-files '*.c' '*.h'); do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "check-format: $f does not match .clang-format" >&2
    bad=$((bad + 1))
  fi
done
[ "$bad" -eq 0 ] || { echo "check-format: $bad files differ; run: git ls-files '*.c' '*.h' | xargs clang-format -i" >&2; exit 1; }
echo "check-format: $(git ls-files '*.c' '*.h' | wc -l) files match .clang-format"
