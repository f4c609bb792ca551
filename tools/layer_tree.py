#!/usr/bin/env python3
"""A stage's include tree (meson.build, "The layers").

    layer_tree.py TREE [--whole SRC LINK | --public SRC LINK PRIVATE] ...

Makes TREE hold exactly these entries, removing any other:
  --whole SRC LINK          LINK is a symbolic link to the folder SRC (the stage's own folder:
                            every header, private ones included);
  --public SRC LINK PRIVATE LINK is a folder of symbolic links to SRC's public headers: every
                            *.h in SRC except those named in PRIVATE (comma-separated file
                            names, may be empty), for a stage below this one.
So a header of a higher stage, or a private header of a lower one, cannot be found from this
stage's sources. The tree is made when meson configures: a public header added to a lower
stage later is seen after `meson setup --reconfigure` (or any change to a meson.build)."""
import os
import shutil
import sys


def is_link_to(path, src):
    return os.path.islink(path) and os.readlink(path) == src


def make_whole(path, src):
    if is_link_to(path, src):
        return
    remove(path)
    os.symlink(src, path)


def make_public(path, src, private):
    want = {}
    for name in sorted(os.listdir(src)):
        if name.endswith(".h") and name not in private:
            want[name] = os.path.join(src, name)
    for name in private:
        if not os.path.isfile(os.path.join(src, name)):
            sys.exit(f"layer_tree: private header {name} is not in {src}")
    if os.path.islink(path) or os.path.isfile(path):
        os.remove(path)
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        p = os.path.join(path, name)
        if name not in want or not is_link_to(p, want[name]):
            remove(p)
    for name, target in want.items():
        p = os.path.join(path, name)
        if not os.path.islink(p):
            os.symlink(target, p)


def remove(path):
    if os.path.islink(path) or os.path.isfile(path):
        os.remove(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)


def main(argv):
    tree, args = argv[1], argv[2:]
    os.makedirs(tree, exist_ok=True)
    entries = {}
    i = 0
    while i < len(args):
        if args[i] == "--whole" and i + 2 < len(args):
            src, link = args[i + 1], args[i + 2]
            entries[link] = ("whole", src, [])
            i += 3
        elif args[i] == "--public" and i + 3 < len(args):
            src, link, priv = args[i + 1], args[i + 2], args[i + 3]
            entries[link] = ("public", src, [p for p in priv.split(",") if p])
            i += 4
        else:
            sys.exit(f"layer_tree: bad arguments at '{args[i]}'")
    want = {}
    for link, e in entries.items():
        if os.path.dirname(os.path.abspath(link)) != os.path.abspath(tree):
            sys.exit(f"layer_tree: {link} is not in {tree}")
        want[os.path.basename(link)] = e
    for name in os.listdir(tree):
        if name not in want:
            remove(os.path.join(tree, name))
    for name, (kind, src, private) in want.items():
        path = os.path.join(tree, name)
        if kind == "whole":
            make_whole(path, src)
        else:
            make_public(path, src, private)


if __name__ == "__main__":
    main(sys.argv)
