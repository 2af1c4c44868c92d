#!/usr/bin/env python3
"""Reference values for FidInfinity and VendiScore (gan-metrics), computed with numpy and scipy the way the
published code computes them:

- fid_infinity.npz: FID of the FIRST N fake rows (in order, no shuffle: the Java test uses inOrder()) against
  the statistics of the whole real set, at N = linspace(min, n_fake, points) truncated to int, each FID by
  pytorch-fid's route (np.cov, scipy.linalg.sqrtm of the product, real part); then the ordinary least-squares
  line of FID against 1/N (np.polyfit, degree 1). FID∞ is its intercept (Chong & Forsyth 2020).
- vendi.npz: the Vendi score exp(-sum λ log λ) over the eigenvalues of K/n (scipy.linalg.eigvalsh), the
  numerical zeros left out (λ <= n·ε·max λ, numpy's matrix_rank tolerance, as VendiScore does; the vendi
  package keeps every λ > 0, which at q < 1 lets rounding residues move the score by about 1e-7), for the cosine kernel (rows scaled to unit length in float64) on a tall (n > d) and a wide
  (n < d) matrix, a Gaussian RBF kernel exp(-|x - y|² / (2 σ²)), the orders q = 0.5, 2 and ∞ of the Rényi
  form exp(log(sum λ^q) / (1 - q)) (q = ∞: 1 / max λ), and the Vendi README's example
  [0, 0, 10, 10, 20, 20] with k(a, b) = exp(-|a - b|).

Inputs are stored as float32, as features are; every reference is computed from the float32 values in float64.

Made with the python3 first on PATH here (pyenv's CPython 3.11.7 with numpy 2.4.6 and scipy 1.17.1, from pip).
Debian's works too:  apt-get install -y python3-numpy python3-scipy  then /usr/bin/python3.
Run from the repository root:  python3 testdata/make_fid_infinity_vendi_references.py
"""
import os

import numpy as np
import scipy
import scipy.linalg
import scipy.spatial.distance

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261124)


def save(name, **arrays):
    np.savez(os.path.join(out, name), **{k: np.asarray(v) for k, v in arrays.items()})


def f32(x):
    return np.asarray(x, dtype=np.float32)


# --- FID∞ ---------------------------------------------------------------------------------------------------
def fid_sqrtm(mu1, s1, mu2, s2):
    """pytorch-fid's calculate_frechet_distance without its eps retry (not needed here: checked finite)."""
    covmean = scipy.linalg.sqrtm(s1.dot(s2))
    assert np.isfinite(covmean).all()
    if np.iscomplexobj(covmean):
        assert np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3)
        covmean = covmean.real
    diff = mu1 - mu2
    return diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean)


def fid_eigh(mu1, s1, mu2, s2):
    """The symmetric route ganeval takes, only to report how far sqrtm is from it."""
    lo = np.linalg.cholesky(s1)
    ev = np.clip(np.linalg.eigvalsh(lo.T @ s2 @ lo), 0, None)
    diff = mu1 - mu2
    return diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.sqrt(ev).sum()


def stats(x):
    x = x.astype(np.float64)
    return x.mean(axis=0), np.cov(x, rowvar=False)


d = 16
mix = rng.normal(size=(d, d)) / np.sqrt(d)
real = f32(rng.normal(size=(2000, d)) @ mix + 0.2)
# Not Gaussian: a centred exponential part and a Student-t part through a different mixing, shifted.
fake = f32((rng.exponential(size=(1500, d)) - 1) @ (mix + 0.15 * rng.normal(size=(d, d)))
           + 0.5 * rng.standard_t(5, size=(1500, d)) - 0.1)
min_samples, points = 300, 15
ns = np.linspace(min_samples, len(fake), points).astype(np.int64)
mu_r, s_r = stats(real)
fids = np.array([fid_sqrtm(*stats(fake[:n]), mu_r, s_r) for n in ns])
fids_eigh = np.array([fid_eigh(mu_r, s_r, *stats(fake[:n])) for n in ns])
slope, intercept = np.polyfit(1.0 / ns, fids, 1)
pred = intercept + slope / ns
r2 = 1 - ((fids - pred) ** 2).sum() / ((fids - fids.mean()) ** 2).sum()
save("fid_infinity", real=real, fake=fake, min_samples=min_samples, points=points, ns=ns, fids=fids,
     slope=slope, intercept=intercept, r2=r2)
print("FID∞", intercept, "slope", slope, "R²", r2, "FIDs", fids.min(), "to", fids.max(),
      "| sqrtm vs Cholesky+eigvalsh: max rel", np.max(np.abs(fids - fids_eigh) / fids))


# --- Vendi --------------------------------------------------------------------------------------------------
def vendi_from_kernel(k, q=1.0):
    n = k.shape[0]
    lam = scipy.linalg.eigvalsh(k / n)
    lam = lam[lam > n * np.finfo(np.float64).eps * lam.max()]
    if q == 1:
        return np.exp(-(lam * np.log(lam)).sum())
    if np.isinf(q):
        return 1.0 / lam.max()
    return np.exp(np.log((lam ** q).sum()) / (1 - q))


def cosine_kernel(x):
    u = x.astype(np.float64)
    u = u / np.linalg.norm(u, axis=1, keepdims=True)
    return u @ u.T


def rbf_kernel(x, sigma):
    d2 = scipy.spatial.distance.cdist(x.astype(np.float64), x.astype(np.float64), "sqeuclidean")
    return np.exp(-d2 / (2 * sigma ** 2))


# Clustered rows, so the score is well inside (1, n): 6 directions plus noise, offset from the origin.
centres = rng.normal(size=(6, 8))
tall = f32(centres[rng.integers(0, 6, size=200)] + 0.3 * rng.normal(size=(200, 8)) + 0.5)
wide = f32(rng.normal(size=(25, 40)) + 0.2)
rbf_x = f32(centres[rng.integers(0, 6, size=90), :5] + 0.4 * rng.normal(size=(90, 5)))
rbf_sigma = 1.5
k_tall = cosine_kernel(tall)
readme = np.array([0, 0, 10, 10, 20, 20], dtype=np.float64)
k_readme = np.exp(-np.abs(readme[:, None] - readme[None, :]))
save("vendi", tall=tall, wide=wide, rbf_x=rbf_x, rbf_sigma=rbf_sigma,
     cosine_tall=vendi_from_kernel(k_tall), cosine_wide=vendi_from_kernel(cosine_kernel(wide)),
     rbf=vendi_from_kernel(rbf_kernel(rbf_x, rbf_sigma)),
     cosine_tall_q05=vendi_from_kernel(k_tall, 0.5), cosine_tall_q2=vendi_from_kernel(k_tall, 2.0),
     cosine_tall_qinf=vendi_from_kernel(k_tall, np.inf),
     readme=f32(readme), readme_score=vendi_from_kernel(k_readme))
print("Vendi cosine tall", vendi_from_kernel(k_tall), "wide", vendi_from_kernel(cosine_kernel(wide)),
      "rbf", vendi_from_kernel(rbf_kernel(rbf_x, rbf_sigma)), "README example", vendi_from_kernel(k_readme))

print("numpy", np.__version__, "scipy", scipy.__version__)
print("references written to", out)
