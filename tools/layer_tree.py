#!/usr/bin/env python3
"""A stage's include tree (meson.build, "The layers"): layer_tree.py TREE SRC1 LINK1 SRC2 LINK2 ...

Makes TREE hold exactly the symbolic links LINKk -> SRCk (the source folders of the stage and
the stages below it), removing any other entry, so that a header of a higher stage cannot be
found from this stage's sources."""
import os
import sys


def main(argv):
    tree, pairs = argv[1], argv[2:]
    if len(pairs) % 2:
        sys.exit("layer_tree: SRC LINK pairs expected")
    os.makedirs(tree, exist_ok=True)
    want = {}
    for i in range(0, len(pairs), 2):
        src, link = pairs[i], pairs[i + 1]
        if os.path.dirname(os.path.abspath(link)) != os.path.abspath(tree):
            sys.exit(f"layer_tree: {link} is not in {tree}")
        want[os.path.basename(link)] = src
    for name in os.listdir(tree):
        path = os.path.join(tree, name)
        if name not in want or not os.path.islink(path) or os.readlink(path) != want[name]:
            if os.path.islink(path) or os.path.isfile(path):
                os.remove(path)
            elif os.path.isdir(path):
                sys.exit(f"layer_tree: {path} is a folder, not a link")
    for name, src in want.items():
        path = os.path.join(tree, name)
        if not os.path.islink(path):
            os.symlink(src, path)


if __name__ == "__main__":
    main(sys.argv)
