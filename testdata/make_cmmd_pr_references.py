#!/usr/bin/python3
"""Reference values for ganeval's cmmd and pr metrics, computed with numpy in float64 from float32 inputs:

  cmmd (Jayasumana et al. 2024; google-research's cmmd/distance.py): sigma = 10, gamma = 1 / (2 sigma^2), scale 1000,
    the biased estimator: mean over ALL pairs (the diagonal included) of exp(-gamma |a - b|^2) for real-real,
    fake-fake and real-fake, combined as scale * (k_xx + k_yy - 2 k_xy); |a - b|^2 expanded as |a|^2 + |b|^2 - 2 a.b
    as the reference does (here in float64).
  pr (Kynkaenniemi et al. 2019, as NVlabs/stylegan2-ada-pytorch metrics/precision_recall.py): k = 3, Euclidean
    distances, each point's radius the (k+1)-th smallest distance to its own set including itself (kthvalue(k+1)),
    a probe inside a ball when its distance is <= the radius; precision = share of fake points inside some real ball,
    recall = share of real points inside some fake ball.

Inputs: L2-normalised 32-d embeddings (as CLIP's are), 400 real and 300 fake, the fake ones shifted; a second pr case
with repeated rows so that points lie exactly on ball boundaries (the <= matters there).

Writes testdata/reference/cmmd_pr.npz.  Run from the repository root:  /usr/bin/python3 testdata/make_cmmd_pr_references.py
(Debian: apt-get install python3-numpy)
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference", "cmmd_pr.npz")


def cmmd(x, y, sigma=10.0, scale=1000.0):
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    gamma = 1.0 / (2 * sigma ** 2)
    xs = np.sum(x * x, axis=1)
    ys = np.sum(y * y, axis=1)

    def k(a, an, b, bn):
        return np.mean(np.exp(-gamma * (an[:, None] + bn[None, :] - 2 * a @ b.T)))

    return scale * (k(x, xs, x, xs) + k(y, ys, y, ys) - 2 * k(x, xs, y, ys))


def dist(a, b):
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    d2 = np.sum(a * a, 1)[:, None] + np.sum(b * b, 1)[None, :] - 2 * a @ b.T
    return np.sqrt(np.maximum(d2, 0))


def pr(real, fake, k=3):
    def radii(x):
        return np.sort(dist(x, x), axis=1)[:, k]  # the (k+1)-th smallest, the point itself included

    rr = radii(real)
    rf = radii(fake)
    precision = np.mean(np.any(dist(fake, real) <= rr[None, :], axis=1))
    recall = np.mean(np.any(dist(real, fake) <= rf[None, :], axis=1))
    return precision, recall


rng = np.random.default_rng(2024)
real = rng.normal(size=(400, 32))
fake = rng.normal(size=(300, 32)) + 0.4
real = (real / np.linalg.norm(real, axis=1, keepdims=True)).astype(np.float32)
fake = (fake / np.linalg.norm(fake, axis=1, keepdims=True)).astype(np.float32)
# Points on boundaries: small integer grids with repeats, exact in float32.
grid_real = rng.integers(0, 3, size=(60, 4)).astype(np.float32)
grid_fake = rng.integers(0, 4, size=(50, 4)).astype(np.float32)

p, r = pr(real, fake)
gp, gr = pr(grid_real, grid_fake)
np.savez(OUT, real=real, fake=fake, cmmd=cmmd(real, fake), cmmd_sigma3_scale1=cmmd(real, fake, 3.0, 1.0),
         cmmd_same=cmmd(real, real), precision=p, recall=r, grid_real=grid_real, grid_fake=grid_fake,
         grid_precision=gp, grid_recall=gr)
print("cmmd", cmmd(real, fake), "pr", p, r, "grid pr", gp, gr)
