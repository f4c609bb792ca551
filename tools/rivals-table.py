#!/usr/bin/env python3
"""The rivals table of docs/rivals.md ("Figures") from the cell files of a sweep folder
(default docs/rivals): one markdown row per cell, in the merge's order (task, model, training
digits, seed).
Run from the repository root after `saccade eval rivals --merge DIR`:
python3 tools/rivals-table.py [DIR]"""
import glob
import json
import sys

SHIPPED_READER_EXAMPLES = 5016000  # 48 epochs of 71,500 + an eye round of 16 x 99,000
MODELS = ["conv", "lc", "fc", "separate", "ours", "conv-fixed", "lc-fixed", "fc-fixed", "modern"]
TASKS = ["translated60", "cluttered60", "cluttered100"]
d = sys.argv[1] if len(sys.argv) > 1 else "docs/rivals"
cells = [json.load(open(p)) for p in glob.glob(d + "/cell_*.json")]
cells.sort(key=lambda c: (TASKS.index(c["task"]), MODELS.index(c["model"]), c["training_digits"], c["seed"]))
print("| model | task | training digits | seed | examples shown | test error [95% CI] | parameters "
      "| multiply-adds per answer | training CPU | passes |")
print("|---|---|---|---|---|---|---|---|---|---|")
for c in cells:
    lo, hi = c["ci95"]
    if c["model"] == "ours":
        # a retrained reader records the examples it was shown; the shipped one saw
        # SHIPPED_READER_EXAMPLES (what `saccade train --dataset mnist` prints)
        shown = c.get("reader_examples")
        ex = ("%.2f M (retrained reader)" % (shown / 1e6)) if shown else \
            "%.2f M (shipped reader)" % (SHIPPED_READER_EXAMPLES / 1e6)
        cpu = c.get("train_cpu_seconds", c.get("train_seconds", 0))
        passes = "%.2f glimpses" % c["passes"]
    else:
        ex = ("%.2f M" if c["examples_shown"] < 1e6 else "%.1f M") % (c["examples_shown"] / 1e6)
        cpu = c.get("train_cpu_seconds", c["train_seconds"])
        passes = "1 pass"
    name = "`%s`" % c["model"] + (" (width %d)" % c["width"] if "width" in c else "")
    print("| %s | `%s` | %s | %d | %s | %.2f%% [%.2f, %.2f] | %s | %s | %s | %s |" % (
        name, c["task"], format(c["training_digits"], ","), c["seed"], ex, 100 * c["error"],
        100 * lo, 100 * hi, format(int(c["params"]), ","), format(int(round(c["macs_per_answer"])), ","),
        ("%.0f s" % cpu) if cpu else "-", passes))
