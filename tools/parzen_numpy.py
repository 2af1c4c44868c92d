#!/usr/bin/env python3
"""The 2014 Parzen protocol written out in numpy, float64 throughout, as an independent check of `ganeval parzen`.

  python3 tools/parzen_numpy.py                       # samples: MNIST train[0:10000] (`ganeval parzen --images mnist:train`)
  python3 tools/parzen_numpy.py samples.npy           # the first 10,000 rows of an n x 784 (or n x 28 x 28) .npy in [0, 1]
  python3 tools/parzen_numpy.py samples.npy --grid 100  # sigma from 100 log-spaced values in [0.1, 1] (`--sigma-grid 0.1,1,100`)

sigma is chosen from np.logspace(-1, 0, GRID) by the mean log-likelihood of train[50000:51000]; the figure is the mean
over the 10,000 test images with std/sqrt(n) (ddof 0). Reads the IDX files testdata/fetch-mnist.sh fetches.
"""
import argparse
import os

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("samples", nargs="?", help=".npy of generated samples (default: MNIST train[0:10000])")
p.add_argument("--grid", type=int, default=10, help="number of sigma values from 0.1 to 1 (paper: 10)")
p.add_argument("--data", default=os.environ.get("GANEVAL_DATA", os.path.join(os.path.dirname(__file__), "../testdata/data")))
args = p.parse_args()


def idx(name):
    with open(os.path.join(args.data, "mnist", name), "rb") as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    return raw.reshape(-1, 784).astype(np.float64) / 255


train = idx("train-images-idx3-ubyte")
test = idx("t10k-images-idx3-ubyte")
mu = (np.load(args.samples).reshape(-1, 784).astype(np.float64) if args.samples else train)[:10000]
valid = train[50000:51000]
mu_sq = (mu ** 2).sum(1)


def log_likelihoods(x, sigma, block=500):
    out = []
    for i in range(0, len(x), block):
        xb = x[i:i + block]
        d = np.maximum((xb ** 2).sum(1)[:, None] + mu_sq[None, :] - 2 * xb @ mu.T, 0)
        e = -d / (2 * sigma * sigma)
        m = e.max(1)
        out.append(m + np.log(np.exp(e - m[:, None]).mean(1)) - mu.shape[1] * np.log(sigma * np.sqrt(2 * np.pi)))
    return np.concatenate(out)


grid = np.logspace(-1, 0, args.grid)
curve = [log_likelihoods(valid, s).mean() for s in grid]
sigma = grid[int(np.argmax(curve))]
ll = log_likelihoods(test, sigma)
print(f"{ll.mean():.2f} ± {ll.std() / np.sqrt(len(ll)):.2f} nats (sigma = {sigma:.4f}, {len(mu)} samples, grid of {args.grid})")
