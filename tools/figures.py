#!/usr/bin/env python3
"""The published eval tables, measured: run the evals, write or check the tables.

    tools/figures.py run BUILD_DIR OUT_DIR     run every eval behind a table (release build:
                                               about 6 minutes on 2 cores), JSON into OUT_DIR
    tools/figures.py write OUT_DIR             rewrite the tables in README.md and
                                               docs/experiments.md, and the claim panel's
                                               curves (assets/models/*.ecc.csv), from OUT_DIR
    tools/figures.py check OUT_DIR             exit 1, with a diff, if any table differs from
                                               what OUT_DIR holds
    tools/figures.py verify BUILD_DIR          run into a temporary folder, then check (the
                                               slow suite's test: meson test --suite slow)

A table lives between `<!-- figures:NAME -->` and `<!-- /figures -->` lines; everything between
the markers is generated. The evals are deterministic (any thread count), so a check is exact.
"""
import difflib
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = ["README.md", "docs/experiments.md"]

# (file name, eval arguments)
RUNS = [
    ("centred", ["centred"]),
    ("translated60", ["translated60"]),
    ("cluttered60", ["cluttered60"]),
    ("cluttered100", ["cluttered100"]),
    ("small-translated60", ["translated60", "--sensor", "small"]),
    ("small-cluttered60", ["cluttered60", "--sensor", "small"]),
    ("small-cluttered100", ["cluttered100", "--sensor", "small"]),
    ("eccentricity", ["eccentricity", "--curve", "{out}/mnist.ecc.csv"]),
    ("eccentricity-glyphs", ["eccentricity", "--model", "glyphs", "--curve",
                             "{out}/glyphs.ecc.csv"]),
    ("eccentricity-text0", ["eccentricity", "--model",
                            os.path.join(ROOT, "assets", "models", "text0.wts"), "--curve",
                            "{out}/text0.ecc.csv"]),
]
# the claim panel's curves (assets/models/NAME.ecc.csv), written by the eccentricity runs
CURVES = ["mnist.ecc.csv", "glyphs.ecc.csv", "text0.ecc.csv"]

RAM_TASKS = ["translated60", "cluttered60", "cluttered100"]
# Mnih et al. 2014's other rows, as the eval prints them (text only; the numbers are theirs)
BASELINES = {
    "translated60": "FC 6.42% (64 units), 2.63% (256); conv 1.62%",
    "cluttered60": "FC 28.58%, 11.96%; conv 8.09%; RAM, 8 random glimpses 14.4%",
    "cluttered100": "conv 14.35%*",
}
STARRED = {"cluttered100"}  # RAM's 100x100 figures: recorded earlier, not re-read


def load(out, name):
    with open(os.path.join(out, name + ".json")) as f:
        return json.load(f)


def pct(x, nd=2):
    return f"{100.0 * x:.{nd}f}"


def grouped(n):
    return f"{int(round(n)):,}"


def row_at(d, k):
    return next(r for r in d["rows"] if r["glimpses"] == k)


def ram_at(d, k):
    for p in d["published"]:
        if p["model"].startswith(f"RAM, {k} glimpses"):
            return p["error"]
    return None


def errors_cell(d):
    cells = []
    for k in (4, 6, 8):
        r = row_at(d, k)
        e = f"{pct(r['error'])}%"
        if k == 8:
            e = f"**{e}**"
        cells.append(f"{e} [{pct(r['ci95'][0])}, {pct(r['ci95'][1])}]")
    return " / ".join(cells)


def seeds_cell(d):
    out = []
    for k in (4, 6, 8):
        s = row_at(d, k)["error_per_seed"]
        out.append(f"{pct(min(s))}-{pct(max(s))}")
    return " / ".join(out)


def sensed_cell(d):
    """Numbers sensed before the answer at 4 / 6 / 8 glimpses: the mean over canvases of the
    glimpses the answer used times the numbers one glimpse senses; RAM's: K times its glimpse."""
    ours, ram = [], []
    for k in (4, 6, 8):
        r = row_at(d, k)
        ours.append(grouped(r["numbers_sensed_mean"]))
        ram.append(grouped(k * d["ram_numbers_per_glimpse"]))
    return f"{' / '.join(ours)} (RAM {' / '.join(ram)})"


def ram_cell(task, d):
    vals = [ram_at(d, k) for k in (4, 6, 8)]
    star = "*" if task in STARRED else ""
    return " / ".join(pct(v) for v in vals) + "%" + star


def table_ram(out):
    d0 = load(out, "cluttered60")
    n = row_at(d0, 8)["n"]
    seeds = len(d0["seeds"])
    lines = [
        f"| task | glimpses | ours: error, 95% CI (n = {grouped(n)}: {grouped(n // seeds)} digits x "
        f"{seeds} seeds) | seeds | numbers sensed before the answer, mean (RAM) | "
        "Mnih et al. 2014: RAM | their baselines |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in RAM_TASKS:
        d = load(out, t)
        lines.append(f"| `{t}` | 4 / 6 / 8 | {errors_cell(d)} | {seeds_cell(d)} | "
                     f"{sensed_cell(d)} | {ram_cell(t, d)} | {BASELINES[t]} |")
    d = load(out, "translated60")
    lines.append("")
    lines.append(f"One glimpse of the shipped eye senses {grouped(d['numbers_per_glimpse'])} numbers "
                 f"on these canvases ({d['retina_levels']} retinal levels of 64 x 64; the 28 x 28 "
                 "fovea lies inside level 0); RAM's senses 432 (12 x 12 at 3 scales) on 60 x 60 "
                 "and 576 (4 scales) on 100 x 100.")
    return lines


def supports(d):
    """Which comparison with RAM a row supports: at a budget where ours senses at most 1.3x
    RAM's numbers before answering (means over canvases), a like-for-like race of sensor-limited
    eyes; where it senses more, ours had more to go on."""
    like, more = [], []
    for k in (4, 6, 8):
        r = row_at(d, k)
        ratio = r["numbers_sensed_mean"] / (k * d["ram_numbers_per_glimpse"])
        (like if ratio <= 1.3 else more).append(f"{k} ({ratio:.2f}x)")
    out = []
    if like:
        out.append("like for like at " + ", ".join(like))
    if more:
        out.append("ours sensed more at " + ", ".join(more))
    return "; ".join(out)


def table_small(out):
    lines = [
        "| task | glimpses | sensor-matched eye: error, 95% CI | numbers per glimpse (RAM) | "
        "numbers sensed before the answer, mean (RAM) | RAM | the comparison it supports "
        "(ours / RAM's numbers sensed) |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in RAM_TASKS:
        d = load(out, "small-" + t)
        lines.append(f"| `{t}` | 4 / 6 / 8 | {errors_cell(d)} | "
                     f"{grouped(d['numbers_per_glimpse'])} ({grouped(d['ram_numbers_per_glimpse'])}) | "
                     f"{sensed_cell(d)} | {ram_cell(t, d)} | {supports(d)} |")
    return lines


def table_eccentricity(out):
    lines = ["| task | ours |", "|---|---|"]
    for name, what in (("eccentricity", "digits, the MNIST model"),
                       ("eccentricity-glyphs", "glyphs of the held-out families, the glyph model")):
        lines += ecc_rows(load(out, name), what)
    return lines


def ecc_rows(d, what):
    rows = d["rows"]
    by = {r["offset_px"]: r for r in rows}
    first = [0, 2, 4, 6, 8, 10]
    still = " / ".join(
        (f"**{pct(by[o]['still']['accuracy'])}**" if o in (6, 8) else pct(by[o]["still"]["accuracy"]))
        for o in first)
    rest = [r["still"]["accuracy"] for r in rows if r["offset_px"] > 10]
    width = max(max(r["still"]["ci95"][1] - r["still"]["accuracy"],
                    r["still"]["accuracy"] - r["still"]["ci95"][0]) for r in rows)
    n = rows[0]["still"]["n"]
    sac = [r["saccades"]["accuracy"] for r in rows]
    g0 = by[0]["saccades"]["glimpses_mean"]
    gb = [r["saccades"]["glimpses_mean"] for r in rows if r["offset_px"] > 0]
    chance = "about 10%" if what.startswith("digits") else "1.6%: 62 classes"
    return [
        f"| `eccentricity`, {what}, eye held still (1 glimpse) | {still}% right at "
        f"{' / '.join(str(o) for o in first)} px off the gaze, then {pct(min(rest), 1)}-"
        f"{pct(max(rest), 1)}% (chance {chance}); n = {grouped(n)} per offset, every interval "
        f"within +-{100 * width + 0.05:.1f} points |",
        f"| `eccentricity`, {what}, eye free to move (at most {d['max_glimpses']} glimpses) | "
        f"{pct(min(sac))}-{pct(max(sac))}% at every offset {rows[0]['offset_px']}.."
        f"{rows[-1]['offset_px']} px (n = {grouped(rows[0]['saccades']['n'])} each), using "
        f"{g0:.2f} glimpses at 0 px and {min(gb):.1f}-{max(gb):.1f} beyond |",
    ]


def table_centred(out):
    d = load(out, "centred")
    m, g, j = d["mnist"], d["glyphs"], d["joined"]
    fam = ", ".join(f"{f['name']} {pct(f['accuracy'])}%" for f in g["families"])
    c = g["confusions"]
    top = ", ".join(f"{p['pair']} {p['n']}" for p in c["top"][:5])
    return [
        "| task | ours | Mnih et al. 2014, 28x28 MNIST |",
        "|---|---|---|",
        f"| `centred`, MNIST | **{pct(m['accuracy'])}%** right [{pct(m['ci95'][0])}, "
        f"{pct(m['ci95'][1])}], n = {grouped(m['n'])} | FC 1.69% error, conv 1.21%, RAM 3.79 / "
        "1.51 / 1.54 / 1.34 / 1.12 / 1.07% at 2..7 glimpses |",
        f"| `centred`, glyphs in held-out families (A-Z, a-z, 0-9) | **{pct(g['accuracy'])}%** "
        f"[{pct(g['ci95'][0])}, {pct(g['ci95'][1])}], n = {grouped(g['n'])}: {fam} (n = "
        f"{grouped(g['families'][0]['n'])} each); of the {c['errors']} errors, {c['case_errors']} "
        f"are the same letter in the other case (most frequent: {top}) | |",
        f"| `centred`, the digit and character models joined (`mnist+chars`: the reader of scenes with digits and text) | digits "
        f"**{pct(j['digits']['accuracy'])}%** [{pct(j['digits']['ci95'][0])}, "
        f"{pct(j['digits']['ci95'][1])}], n = {grouped(j['digits']['n'])}, "
        f"{j['digits']['other_kind']} read as letters; glyphs **{pct(j['glyphs']['accuracy'])}%** "
        f"[{pct(j['glyphs']['ci95'][0])}, {pct(j['glyphs']['ci95'][1])}], n = "
        f"{grouped(j['glyphs']['n'])}, {j['glyphs']['other_kind']} read as the other kind | |",
    ]


TABLES = {
    "ram": table_ram,
    "small": table_small,
    "eccentricity": table_eccentricity,
    "centred": table_centred,
}


def render(path, out):
    with open(path) as f:
        lines = f.read().split("\n")
    res, i = [], 0
    while i < len(lines):
        line = lines[i]
        res.append(line)
        if line.startswith("<!-- figures:") and line.endswith("-->"):
            name = line[len("<!-- figures:"):-len("-->")].strip()
            if name not in TABLES:
                sys.exit(f"figures: {path}: unknown table '{name}'")
            j = i + 1
            while j < len(lines) and lines[j] != "<!-- /figures -->":
                j += 1
            if j == len(lines):
                sys.exit(f"figures: {path}: table '{name}' has no closing <!-- /figures -->")
            res.append("")
            res.extend(TABLES[name](out))
            res.append("")
            res.append(lines[j])
            i = j
        i += 1
    return "\n".join(res)


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("run", "write", "check", "verify"):
        sys.exit(__doc__)
    cmd = sys.argv[1]
    if cmd == "run":
        if len(sys.argv) != 4:
            sys.exit(__doc__)
        run(sys.argv[2], sys.argv[3])
        return
    if cmd == "verify":
        with tempfile.TemporaryDirectory() as out:
            run(sys.argv[2], out)
            sys.exit(compare("check", out))
    sys.exit(compare(cmd, sys.argv[2]))


def run(build, out):
    exe = os.path.join(build, "saccade")
    if not os.path.isdir(out):
        sys.exit(f"figures: {out}: not a folder")
    for name, args in RUNS:
        print(f"figures: eval {' '.join(args)}", file=sys.stderr, flush=True)
        args = [a.replace("{out}", out) for a in args]
        with open(os.path.join(out, name + ".json"), "w") as f:
            r = subprocess.run([exe, "eval", *args, "--json", "--quiet", "--out", out], stdout=f)
        if r.returncode != 0:
            sys.exit(f"figures: eval {' '.join(args)} exited {r.returncode}")


def compare(cmd, out):
    bad = 0
    for rel in FILES:
        path = os.path.join(ROOT, rel)
        with open(path) as f:
            old = f.read()
        new = render(path, out)
        if cmd == "write":
            if new != old:
                with open(path, "w") as f:
                    f.write(new)
                print(f"figures: rewrote {rel}", file=sys.stderr)
        elif new != old:
            bad = 1
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), new.splitlines(True), rel, rel + " (measured)"))
    for name in CURVES:
        src, dst = os.path.join(out, name), os.path.join(ROOT, "assets", "models", name)
        with open(src) as f:
            new = f.read()
        with open(dst) as f:
            old = f.read()
        if new == old:
            continue
        if cmd == "write":
            with open(dst, "w") as f:
                f.write(new)
            print(f"figures: rewrote assets/models/{name}", file=sys.stderr)
        else:
            bad = 1
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), new.splitlines(True), name, name + " (measured)"))
    if bad:
        print("figures: the published tables are not what the code measures: "
              "tools/figures.py write OUT_DIR", file=sys.stderr)
    return bad


if __name__ == "__main__":
    main()
