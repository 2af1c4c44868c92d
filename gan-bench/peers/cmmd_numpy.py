#!/usr/bin/python3
"""The numpy side of `compare.sh cmmd`: CMMD's reference computation (google-research cmmd/distance.py: float32 Gram
matrices expanded as |a|^2 + |b|^2 - 2 a.b, exp(-gamma d), means over all pairs, 1000 (k_xx + k_yy - 2 k_xy)) on the
same seeded embeddings as dev.ganeval.bench.CmmdThroughput (N x D, L2-normalised; generated here by numpy, in Java by
java.util.Random, so the values differ but not the work), in row blocks of 4,096 so the 30,000 x 30,000 matrices fit
in memory. Prints one JSON line: median / min / max milliseconds over 3 runs.

usage: THREADS=2 /usr/bin/python3 gan-bench/peers/cmmd_numpy.py N D
"""
import json
import sys
import time

import numpy as np


def mean_kernel(a, b, gamma, block=4096):
    bn = np.sum(b * b, axis=1)
    total = 0.0
    for i in range(0, a.shape[0], block):
        x = a[i:i + block]
        d = np.sum(x * x, axis=1)[:, None] + bn[None, :] - 2 * (x @ b.T)
        total += float(np.exp(-gamma * d, dtype=np.float32).sum(dtype=np.float64))
    return total / (a.shape[0] * b.shape[0])


def cmmd(x, y, sigma=10.0, scale=1000.0):
    gamma = np.float32(1 / (2 * sigma ** 2))
    return scale * (mean_kernel(x, x, gamma) + mean_kernel(y, y, gamma) - 2 * mean_kernel(x, y, gamma))


def main():
    n, dim = int(sys.argv[1]), int(sys.argv[2])
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, dim)).astype(np.float32)
    y = (rng.normal(size=(n, dim)) + 0.05).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y /= np.linalg.norm(y, axis=1, keepdims=True)
    times, value = [], None
    for _ in range(3):
        t = time.perf_counter()
        value = cmmd(x, y)
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    print(json.dumps({"median_ms": times[1], "min_ms": times[0], "max_ms": times[2], "value": value, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
