#!/usr/bin/env python3
"""Ink of the 8x8 clutter fragments: the rule canvas_build (src/eval/canvas.c) had until
2026-11-29 (a fragment needed at least 8 px of ink, up to 10 tries) against uniformly drawn 8x8
sub-patches of random digits (the RAM authors' generator, which canvas_build follows now). 20,000 draws of each from the 55,000 training digits, seed 1.
Run from the repository root: python3 tools/rivals-clutter-ink.py"""
import gzip
import random

d = gzip.open('assets/mnist/train-images-idx3-ubyte.gz').read()[16:]
N, T = 55000, 20000
random.seed(1)


def ink(k, fx, fy):
    o = k * 784
    return sum(sum(d[o + (fy + j) * 28 + fx:o + (fy + j) * 28 + fx + 8]) for j in range(8)) / 255.0


def draw():
    return ink(random.randrange(N), random.randrange(21), random.randrange(21))


uniform = [draw() for _ in range(T)]
ours = []
for _ in range(T):
    for _t in range(10):
        v = draw()
        if v >= 8:
            break
    ours.append(v)
for name, a in (("uniform 8x8 sub-patches (RAM)", uniform), ("ours (ink >= 8 px)", ours)):
    print("%-30s mean ink %5.2f px, ink >= 8 px: %5.1f%%, blank (< 1 px): %5.1f%%" % (
        name, sum(a) / T, 100 * sum(v >= 8 for v in a) / T, 100 * sum(v < 1 for v in a) / T))
