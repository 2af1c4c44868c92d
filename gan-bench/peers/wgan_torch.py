#!/usr/bin/python3
"""The PyTorch side of `compare.sh wgan`: WGAN-GP critic training as testdata/make_wgan_references.py does it (ReLU
MLP, Adam lr 1e-4 betas (0, 0.9), lambda 10, penalty through torch.autograd.grad(create_graph=True)) on N x D seeded
Gaussian rows a side (the second shifted), halves as ganeval splits them, STEPS updates of BATCH rows a side, CPU,
float32, THREADS threads; then the held-out estimate. Prints one JSON line: the training and scoring time in ms and the
estimate.

usage: THREADS=2 /usr/bin/python3 gan-bench/peers/wgan_torch.py N D STEPS WIDTH DEPTH BATCH
"""
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "testdata"))
import make_wgan_references as wgan  # noqa: E402


def main():
    n, d, steps, width, depth, batch = (int(v) for v in sys.argv[1:7])
    torch.set_num_threads(int(os.environ.get("THREADS", "2")))
    rng = np.random.default_rng(0)
    real = torch.from_numpy(rng.normal(size=(n, d)).astype(np.float32))
    fake = torch.from_numpy((rng.normal(size=(n, d)) + 0.05).astype(np.float32))
    start = time.perf_counter()
    f = wgan.train(real[:n // 2], fake[:n // 2], width=width, depth=depth, batch=batch, steps=steps)
    est, se = wgan.held_out(f, real[n // 2:], fake[n // 2:])
    ms = (time.perf_counter() - start) * 1000
    print(json.dumps({"ms": round(ms, 1), "estimate": est, "standard_error": se}))


if __name__ == "__main__":
    main()
