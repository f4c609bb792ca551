#!/bin/sh
# Every relative link and image in the README and the docs pages resolves: the file (or folder)
# exists, and a '#anchor' (on its own or after a .md file) matches a heading of that page by
# GitHub's rule (lowercase; punctuation other than '-' and '_' dropped; each space a '-'; a
# repeated heading gets -1, -2, ...). http(s) and mailto links are not checked. Links inside code
# (fenced blocks and `spans`) are not links. A failure names the file, line and link.
# Usage: test_links.sh [SRCDIR]   (default: the repository holding this script)
# Checks itself first on a small tree with known good and broken links.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=${1:-$here/../..}
root=$(cd "$root" && pwd) || { echo "test_links: no folder $1" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# The anchors of one markdown file, one per line.
anchors() {
    awk '
    BEGIN { punct = "!\"#$%&'\''()*+,./:;<=>?@[\\]^`{|}~" }
    /^[ \t]*(```|~~~)/ { fence = !fence; next }
    fence { next }
    /^#+[ \t]/ {
        h = $0
        sub(/^#+[ \t]+/, "", h); sub(/[ \t]+#+[ \t]*$/, "", h); sub(/[ \t]+$/, "", h)
        # a link in a heading reads as its text
        while (match(h, /\]\([^)]*\)/)) h = substr(h, 1, RSTART) substr(h, RSTART + RLENGTH)
        h = tolower(h); s = ""
        for (i = 1; i <= length(h); i++) {
            c = substr(h, i, 1)
            if (c == " ") s = s "-"
            else if (index(punct, c) == 0) s = s c
        }
        n = seen[s]++
        print (n ? s "-" n : s)
    }' "$1"
}

# The links of one markdown file: "LINE TARGET", one per line.
links() {
    awk '
    /^[ \t]*(```|~~~)/ { fence = !fence; next }
    fence { next }
    {
        line = $0
        gsub(/``[^`]*``/, "", line); gsub(/`[^`]*`/, "", line)
        # reference definitions: [label]: target
        if (match(line, /^[ \t]*\[[^]]+\]:[ \t]*[^ \t]+/)) {
            t = line; sub(/^[ \t]*\[[^]]+\]:[ \t]*/, "", t); sub(/[ \t].*/, "", t)
            print NR " " t
        }
        while (match(line, /\]\([^)]*\)/)) {
            t = substr(line, RSTART + 2, RLENGTH - 3)
            line = substr(line, RSTART + RLENGTH)
            sub(/^[ \t]+/, "", t); sub(/[ \t].*/, "", t)   # drop a "title"
            sub(/^</, "", t); sub(/>$/, "", t)
            print NR " " (t == "" ? "(empty)" : t)
        }
    }' "$1"
}

# check ROOT FILE...: prints one line per broken link, returns how many were checked in $tmp/n.
check() {
    croot=$1; shift
    checked=0
    for f in "$@"; do
        [ -f "$croot/$f" ] || { echo "$f: missing"; continue; }
        dir=$(dirname "$croot/$f")
        links "$croot/$f" > "$tmp/links"
        while read -r line target; do
            checked=$((checked + 1))
            case $target in
            http://* | https://* | mailto:*) continue ;;
            "(empty)") echo "$f:$line: empty link"; continue ;;
            esac
            path=${target%%#*}
            anchor=
            case $target in *'#'*) anchor=${target#*#} ;; esac
            if [ -z "$path" ]; then dest="$croot/$f"; else dest="$dir/$path"; fi
            case $path in /*) echo "$f:$line: $target: an absolute path"; continue ;; esac
            if [ ! -e "$dest" ]; then
                echo "$f:$line: $target: no such file"
                continue
            fi
            if [ -n "$anchor" ]; then
                case $dest in
                *.md)
                    if ! anchors "$dest" | grep -qxF -- "$anchor"; then
                        echo "$f:$line: $target: no heading with anchor #$anchor"
                    fi ;;
                *) echo "$f:$line: $target: an anchor into a file that is not markdown" ;;
                esac
            fi
        done < "$tmp/links"
    done
    echo "$checked" > "$tmp/n"
}

# Self-check: a tree with two good links and each kind of broken one.
st=$tmp/self
mkdir -p "$st/docs/img"
: > "$st/docs/img/a.png"
cat > "$st/README.md" <<'EOF'
# Top, with `code` & punctuation!
See [page](docs/page.md#second-part) and ![img](docs/img/a.png "title") and [here](#top-with-code--punctuation).
Broken: [a](docs/nope.md), [b](docs/page.md#missing), [c](#nowhere) and ![d](img/a.png).
`[not a link](nowhere.md)`
```
[not a link either](nowhere.md)
```
EOF
cat > "$st/docs/page.md" <<'EOF'
# Page
## Second part
## Second part
[back](../README.md) [twice](#second-part-1) [web](https://example.com/x.md)
EOF
check "$st" README.md docs/page.md > "$tmp/self.out"
want='README.md:3: docs/nope.md: no such file
README.md:3: docs/page.md#missing: no heading with anchor #missing
README.md:3: #nowhere: no heading with anchor #nowhere
README.md:3: img/a.png: no such file'
if [ "$(cat "$tmp/self.out")" != "$want" ] || [ "$(cat "$tmp/n")" != 10 ]; then
    echo "test_links: the checker itself is wrong; on its own test tree it said:" >&2
    cat "$tmp/self.out" >&2
    echo "(checked $(cat "$tmp/n") links; want 10, and exactly:)" >&2
    echo "$want" >&2
    exit 1
fi

# The real pages.
cd "$root" || exit 1
set -- README.md
for f in docs/*.md assets/README.md assets/scenes/README.md; do
    [ -f "$f" ] && set -- "$@" "$f"
done
check "$root" "$@" > "$tmp/out"
n=$(cat "$tmp/n")
if [ -s "$tmp/out" ]; then
    cat "$tmp/out" >&2
    echo "test_links: $(wc -l < "$tmp/out") broken link(s) of $n in $*" >&2
    exit 1
fi
if [ "$n" -lt 10 ]; then
    echo "test_links: only $n links found in $*: the parser is broken" >&2
    exit 1
fi
echo "test_links: $n links in $# pages resolve"
