#!/usr/bin/env python3
"""Makes assets/words/prose.txt, the `prose` scene's words, from Dasher's English training
text (Debian package dasher-data: /usr/share/dasher/training_english_GB.txt, GPL-2+).

Each line of the source is a paragraph. Its words are split at white space and hyphens;
characters that are not letters are stripped from either end of a word, and a word that still
holds one (an apostrophe, a digit, an accented letter) or has more than 20 letters is left out.
A paragraph left with no word is left out. Out: one paragraph a line, its words one space
apart. Usage: tools/make-prose.py [SOURCE] > assets/words/prose.txt
"""
import re
import sys

WORD_MAX = 20  # scene_words.c
LETTERS = re.compile(r"[A-Za-z]+")


def words_of(line):
    out = []
    for token in line.replace("-", " ").split():
        m = re.fullmatch(r"[^A-Za-z]*(.*?)[^A-Za-z]*", token)
        w = m.group(1)
        if w and len(w) <= WORD_MAX and LETTERS.fullmatch(w):
            out.append(w)
    return out


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dasher/training_english_GB.txt"
    with open(src, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    for line in lines:
        ws = words_of(line)
        if ws:
            sys.stdout.write(" ".join(ws) + "\n")


if __name__ == "__main__":
    main()
