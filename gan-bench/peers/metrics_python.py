#!/usr/bin/python3
"""The peers of MetricsBenchmark on the same shapes, written as their users would: IS as improved-gan
(numpy, 10 splits), KID as torch-fidelity computes it (numpy, polynomial kernel, unbiased MMD², 10 subsets of
1000), PRDC as the prdc package (scikit-learn / numpy pairwise distances), exact W1 with POT's emd2
(Euclidean cost matrix), sliced W2 with POT's sliced_wasserstein_distance (50 projections).
Prints one JSON line per benchmark: median, min, max milliseconds over 5 runs after one warm-up."""
import json
import time

import numpy as np
import ot
import scipy.special
from sklearn.metrics import pairwise_distances

rng = np.random.default_rng(3)
g = lambda n, d, s: (rng.standard_normal((n, d)) + s).astype(np.float32)
logits = g(50000, 1008, 0)
kid_a, kid_b = g(2000, 2048, 0), g(2000, 2048, 0.1)
pr_a, pr_b = g(5000, 2048, 0), g(5000, 2048, 0.1)
ot_a, ot_b = g(500, 64, 0), g(500, 64, 0.5)
sl_a, sl_b = g(10000, 2048, 0), g(10000, 2048, 0.1)


def inception_score():
    p = scipy.special.softmax(logits.astype(np.float64), axis=1)
    scores = []
    for part in np.array_split(p, 10):
        py = part.mean(axis=0, keepdims=True)
        scores.append(np.exp((part * (np.log(part) - np.log(py))).sum(axis=1).mean()))
    return np.mean(scores)


def kid():
    d = kid_a.shape[1]
    vals = []
    r = np.random.RandomState(0)
    for _ in range(10):
        x = kid_a[r.choice(len(kid_a), 1000, replace=False)].astype(np.float64)
        y = kid_b[r.choice(len(kid_b), 1000, replace=False)].astype(np.float64)
        kxx, kyy, kxy = (x @ x.T / d + 1) ** 3, (y @ y.T / d + 1) ** 3, (x @ y.T / d + 1) ** 3
        m = 1000
        vals.append((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.mean())
    return np.mean(vals)


def prdc():
    def radii(x, k):
        dist = pairwise_distances(x, x)
        return np.partition(dist, k, axis=1)[:, k]
    rr3, rf3, rr5 = radii(pr_a, 3), radii(pr_b, 3), radii(pr_a, 5)
    d = pairwise_distances(pr_a, pr_b)
    precision = (d < rr3[:, None]).any(axis=0).mean()
    recall = (d < rf3[None, :]).any(axis=1).mean()
    density = (1 / 5) * (d < rr5[:, None]).sum(axis=0).mean()
    coverage = (d.min(axis=1) < rr5).mean()
    return precision, recall, density, coverage


def exact_w1():
    m = ot.dist(ot_a.astype(np.float64), ot_b.astype(np.float64), metric="euclidean")
    u = np.full(500, 1 / 500)
    return ot.emd2(u, u, m)


def sliced_w2():
    return ot.sliced_wasserstein_distance(sl_a, sl_b, n_projections=50, p=2, seed=7)


for name, f in [("inceptionScore", inception_score), ("kid", kid), ("prdc", prdc), ("exactW1", exact_w1), ("slicedW2", sliced_w2)]:
    f()
    t = []
    for _ in range(5):
        s = time.perf_counter()
        f()
        t.append((time.perf_counter() - s) * 1e3)
    t.sort()
    print(json.dumps({"benchmark": name, "median_ms": t[2], "min_ms": t[0], "max_ms": t[-1]}), flush=True)
