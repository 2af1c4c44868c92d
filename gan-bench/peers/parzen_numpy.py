#!/usr/bin/env python3
"""numpy's Parzen-window log-likelihood at ONE σ on the same data as ParzenBenchmark: the 10,000 MNIST test
images under 10,000 'samples' (MNIST train[0:10000]), written the way a numpy user would: the expanded
distance ‖x‖² + ‖μ‖² − 2x·μ through one float32 matmul per block, max-shifted log-sum-exp.
Prints one JSON line: {"median_ms", "min_ms", "max_ms", "reps", "mean_ll"}."""
import json
import os
import sys
import time

import numpy as np

data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../testdata/data/mnist")
sigma = float(sys.argv[2]) if len(sys.argv) > 2 else 0.2782559402207124  # logspace(-1, 0, 10)[4]


def idx(name):
    with open(os.path.join(data, name), "rb") as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    return raw.reshape(-1, 784).astype(np.float32) / 255


mu = idx("train-images-idx3-ubyte")[:10000]
x = idx("t10k-images-idx3-ubyte")


def parzen(x, mu, sigma, block=1000):
    mn = (mu.astype(np.float64) ** 2).sum(1).astype(np.float32)
    out = np.empty(len(x))
    const = np.log(len(mu)) + mu.shape[1] * np.log(sigma * np.sqrt(2 * np.pi))
    for i in range(0, len(x), block):
        xb = x[i:i + block]
        d = (xb ** 2).sum(1)[:, None] + mn[None, :] - 2 * (xb @ mu.T)
        e = -np.maximum(d, 0) / np.float32(2 * sigma ** 2)
        m = e.max(axis=1)
        s = np.exp(e - m[:, None]).sum(axis=1, dtype=np.float64)
        out[i:i + block] = m + np.log(s) - const
    return out


parzen(x[:2000], mu, sigma)
times = []
for _ in range(5):
    t = time.perf_counter()
    ll = parzen(x, mu, sigma)
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(json.dumps({"median_ms": times[len(times) // 2], "min_ms": times[0], "max_ms": times[-1],
                  "reps": len(times), "mean_ll": float(ll.mean())}), flush=True)
