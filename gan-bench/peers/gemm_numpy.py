#!/usr/bin/env python3
"""numpy's float32 matmul on the shapes of GemmBenchmark, timed the same way: warm-up, then repetitions,
median and spread. Prints one JSON line per shape: {"shape", "median_ms", "min_ms", "max_ms", "reps"}."""
import json
import sys
import time

import numpy as np

shapes = sys.argv[1].split(",") if len(sys.argv) > 1 else ["1024x1024x1024", "2048x2048x2048", "10000x10000x784t"]
rng = np.random.default_rng(42)
for shape in shapes:
    trans_b = shape.endswith("t")
    m, n, k = (int(x) for x in shape.rstrip("t").split("x"))
    a = rng.random((m, k), dtype=np.float32)
    b = rng.random((n, k) if trans_b else (k, n), dtype=np.float32)
    c = np.empty((m, n), dtype=np.float32)
    bb = b.T if trans_b else b
    budget = 2.0  # seconds per phase, like the JMH iterations
    for _ in range(3):
        np.matmul(a, bb, out=c)
    times = []
    start = time.perf_counter()
    while len(times) < 7 or (time.perf_counter() - start < budget * 7 and len(times) < 200):
        t = time.perf_counter()
        np.matmul(a, bb, out=c)
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    print(json.dumps({"shape": shape, "median_ms": times[len(times) // 2], "min_ms": times[0],
                      "max_ms": times[-1], "reps": len(times)}), flush=True)
