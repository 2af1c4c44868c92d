#!/usr/bin/env python3
"""Where a long run's Parzen figures are heading: two fits and what each says about a target.

  python3 tools/parzen_trend.py docs/reference-gan.md            # the table of docs/reference-gan.md
  python3 tools/parzen_trend.py runs/mnist/metrics.csv --target 225

Reads (epochs, Parzen) pairs from the "| epochs | Parzen ... |" table of a markdown file or from the parzen column
of a `ganeval train` metrics.csv (its rows count epochs from 0, so a figure on row e is after e + 1 epochs), keeps
those from --from epochs on, and fits by least squares

  cumulative-lr:  P = a + b * S(e),  S(e) = sum of the learning rate over e epochs' updates / updates per epoch
                  (progress proportional to the step sizes taken; bounded, since the schedule decays geometrically)
  log-epochs:     P = a + b * ln(e)   (unbounded, slowing)

The schedule defaults to the 2014 paper's: lr 0.1 divided by 1.000004 every update, 500 updates an epoch. Both
are descriptions of the figures so far, not laws: the output says how far apart they are where they disagree.
"""
import argparse
import csv
import math
import re
import sys

import numpy as np


def read_pairs(path):
    pairs = []
    if path.endswith(".csv"):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                if row.get("parzen"):
                    pairs.append((int(row["epoch"]) + 1, float(row["parzen"])))
    else:
        row = re.compile(r"^\|\s*(\d+)\s*\|\s*(-?[\d.]+)\s*±")
        with open(path) as f:
            for line in f:
                m = row.match(line)
                if m:
                    pairs.append((int(m.group(1)), float(m.group(2))))
    if not pairs:
        sys.exit(f"parzen_trend: no (epochs, Parzen) figures in {path}")
    return pairs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", help="a markdown file with the epochs/Parzen table, or a metrics.csv")
    ap.add_argument("--from", dest="start", type=int, default=240, help="first epoch count to fit (default 240)")
    ap.add_argument("--target", type=float, default=225.0, help="the figure to reach (default: the paper's 225)")
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--decay", type=float, default=1.000004)
    ap.add_argument("--updates-per-epoch", type=int, default=500)
    a = ap.parse_args()

    pairs = [p for p in read_pairs(a.source) if p[0] >= a.start]
    if len(pairs) < 4:
        sys.exit(f"parzen_trend: {len(pairs)} figures from epoch {a.start} on; need at least 4")
    e = np.array([p[0] for p in pairs], float)
    y = np.array([p[1] for p in pairs], float)
    q = 1.0 / a.decay

    def lr_sum(epochs):
        # sum over u < n of lr * q^u, in epochs at the initial rate times lr: a geometric series
        n = np.asarray(epochs, float) * a.updates_per_epoch
        return a.lr * (1 - q ** n) / (1 - q) / a.updates_per_epoch

    s_inf = a.lr / (1 - q) / a.updates_per_epoch
    print(f"{len(pairs)} figures, epochs {int(e[0])}-{int(e[-1])}, last {y[-1]:.1f}")
    for name, x, inverse in (
        ("cumulative-lr", lr_sum(e), None),
        ("log-epochs", np.log(e), math.exp),
    ):
        design = np.vstack([x, np.ones_like(x)]).T
        (b, c), *_ = np.linalg.lstsq(design, y, rcond=None)
        sd = float(np.std(y - design @ (b, c), ddof=2))
        f = (lambda ep: b * lr_sum(ep) + c) if inverse is None else (lambda ep: b * math.log(ep) + c)
        line = f"{name:14s} slope {b:.3f}, residual sd {sd:.2f}; at 1500 epochs {f(1500):.1f}, at 2000 {f(2000):.1f}"
        if inverse is None:
            limit = b * s_inf + c
            if limit >= a.target:
                reach = -math.log(1 - (a.target - c) / b / s_inf) / (a.updates_per_epoch * math.log(a.decay))
                line += f", limit {limit:.1f}: {a.target:g} after {reach:.0f} epochs"
            else:
                line += f", limit {limit:.1f}: never {a.target:g}"
        else:
            line += f": {a.target:g} after {inverse((a.target - c) / b):.0f} epochs"
        print(line)


if __name__ == "__main__":
    main()
