#!/usr/bin/env python3
"""The FID distance step as pytorch-fid 0.3.0 does it (scipy.linalg.sqrtm of Σ1Σ2, real part, trace formula)
and the statistics step (np.mean, np.cov), on features like FidBenchmark's. Also numpy's Cholesky+eigvalsh
route for reference (left out where Σ1 is singular, as with fewer rows than dimensions: numpy's Cholesky
refuses it). Usage: fid_scipy.py DIMS [ROWS]. Prints one JSON line per dimension."""
import json
import sys
import time

import numpy as np
import scipy
import scipy.linalg

dims = [int(d) for d in (sys.argv[1] if len(sys.argv) > 1 else "64,768,2048").split(",")]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 10000


def timed(f, reps):
    f()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return times[len(times) // 2], times[0], times[-1]


def fid_sqrtm(mu1, s1, mu2, s2):
    covmean = scipy.linalg.sqrtm(s1.dot(s2))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    diff = mu1 - mu2
    return diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean)


def fid_eigh(mu1, s1, mu2, s2):
    l = np.linalg.cholesky(s1)
    ev = np.linalg.eigvalsh(l.T @ s2 @ l)
    diff = mu1 - mu2
    return diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.sqrt(np.clip(ev, 0, None)).sum()


rng = np.random.default_rng(1)
for d in dims:
    x = np.abs(rng.normal(size=(rows, d))).astype(np.float32)
    y = np.abs(rng.normal(size=(rows, d)) * 1.1).astype(np.float32)
    stats = lambda a: (np.mean(a.astype(np.float64), axis=0), np.cov(a.astype(np.float64), rowvar=False))
    mu1, s1 = stats(x)
    mu2, s2 = stats(y)
    reps = 3 if d >= 2048 else 7
    sq = timed(lambda: fid_sqrtm(mu1, s1, mu2, s2), reps)
    regular = rows > d
    eh = timed(lambda: fid_eigh(mu1, s1, mu2, s2), reps) if regular else None
    st = timed(lambda: stats(x), reps)
    print(json.dumps({"dim": d, "scipy": scipy.__version__, "sqrtm": sq, "eigh": eh, "stats": st,
                      "rows": rows, "fid_sqrtm": float(fid_sqrtm(mu1, s1, mu2, s2)),
                      "fid_eigh": float(fid_eigh(mu1, s1, mu2, s2)) if regular else None}),
          flush=True)
