#!/usr/bin/python3
"""Reference values for the gan-metrics tests, computed with the Python tools users would pick instead:
numpy, scipy (sqrtm, logsumexp, wasserstein_distance, binomtest, relative_risk), POT (emd2, sinkhorn2) and
scikit-learn (NearestNeighbors). Each metric gets its inputs and its expected values in one .npz under
testdata/reference/; the Java tests read them with ganeval's own .npz reader.

Uses Debian's packages:  apt-get install python3-numpy python3-scipy python3-pot python3-sklearn
Run from the repository root:  /usr/bin/python3 testdata/make_metric_references.py
"""
import os

import numpy as np
import scipy
import scipy.linalg
import scipy.special
import scipy.stats
import scipy.stats.contingency

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference")


def save(name, **arrays):
    np.savez(os.path.join(OUT, name), **{k: np.asarray(v) for k, v in arrays.items()})


def f32(x):
    """Inputs are stored as float32, as features are; every reference is computed from the float32 values."""
    return np.asarray(x, dtype=np.float32)


# --- FID: the pytorch-fid route (np.cov, scipy.linalg.sqrtm of the product, real part) -------------------
def fid_sqrtm(x1, x2):
    x1 = x1.astype(np.float64)
    x2 = x2.astype(np.float64)
    mu1, mu2 = x1.mean(axis=0), x2.mean(axis=0)
    s1, s2 = np.cov(x1, rowvar=False), np.cov(x2, rowvar=False)
    covmean = scipy.linalg.sqrtm(s1.dot(s2))
    covmean = covmean.real
    diff = mu1 - mu2
    return diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean), mu1, s1


def parzen_ll(x, mu, sigma):
    d2 = ((x[:, None, :].astype(np.float64) - mu[None, :, :].astype(np.float64)) ** 2).sum(-1)
    e = -d2 / (2 * sigma ** 2)
    return scipy.special.logsumexp(e, axis=1) - np.log(mu.shape[0]) - mu.shape[1] * np.log(sigma * np.sqrt(2 * np.pi))


# --- Inception Score: improved-gan's definition (splits in order, exp mean KL, std ddof 0) --------------------
def inception_score(probs, splits):
    """Mean and std (ddof 0) over `splits` in-order parts of exp(mean_i KL(p_i || mean p)); probs are softmax rows."""
    scores = []
    for part in np.array_split(probs, splits):
        py = part.mean(axis=0, keepdims=True)
        kl = (part * (np.log(part) - np.log(py))).sum(axis=1)
        scores.append(np.exp(kl.mean()))
    return np.mean(scores), np.std(scores)


def mmd2_unbiased(x, y):
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    d = x.shape[1]
    kxx = (x @ x.T / d + 1) ** 3
    kyy = (y @ y.T / d + 1) ** 3
    kxy = (x @ y.T / d + 1) ** 3
    m, n = len(x), len(y)
    return ((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
            - 2 * kxy.mean())


def radii(x, k):
    # distance to the k-th nearest neighbour other than the point itself
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=k + 1).fit(x)
    dist, _ = nn.kneighbors(x)
    return dist[:, k]


def prdc(real, fake, k_pr, k_dc):
    real = real.astype(np.float64)
    fake = fake.astype(np.float64)
    d_rf = np.sqrt(((real[:, None] - fake[None]) ** 2).sum(-1))  # real x fake
    r_real, r_fake = radii(real, k_pr), radii(fake, k_pr)
    precision = (d_rf < r_real[:, None]).any(axis=0).mean()
    recall = (d_rf < r_fake[None, :]).any(axis=1).mean()
    r_real_dc = radii(real, k_dc)
    density = (1.0 / k_dc) * (d_rf < r_real_dc[:, None]).sum(axis=0).mean()
    coverage = (d_rf.min(axis=1) < r_real_dc).mean()
    return precision, recall, density, coverage


def main():
    import ot
    import sklearn

    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261121)

    # --- FID: the pytorch-fid route ------------------------------------------------------------------------------
    for name, (n1, n2, d) in {"fid_small": (200, 300, 8), "fid_d64": (600, 500, 64)}.items():
        a = rng.normal(size=(d, d)) / np.sqrt(d)
        x1 = f32(rng.normal(size=(n1, d)) @ a + 0.3)
        x2 = f32(rng.normal(size=(n2, d)) @ (a + 0.1 * rng.normal(size=(d, d))) - 0.2)
        fid, mu1, s1 = fid_sqrtm(x1, x2)
        save(name, x1=x1, x2=x2, fid=fid, mu1=mu1, sigma1=s1)

    # --- Parzen window: the 2014 protocol on small data ---------------------------------------------------------
    samples = f32(rng.uniform(size=(120, 6)))
    valid = f32(rng.uniform(size=(40, 6)))
    test = f32(rng.uniform(size=(60, 6)))
    sigmas = np.logspace(-1, 0, 10)
    curve = np.array([parzen_ll(valid, samples, s).mean() for s in sigmas])
    best = sigmas[int(np.argmax(curve))]
    ll = parzen_ll(test, samples, best)
    save("parzen", samples=samples, valid=valid, test=test, sigmas=sigmas, curve=curve, best_sigma=best,
         test_mean=ll.mean(), test_se=ll.std() / np.sqrt(len(ll)), test_ll_sigma_0_3=parzen_ll(test, samples, 0.3))

    # --- Inception Score: improved-gan's definition, 10 splits ----------------------------------------------------
    logits = rng.normal(scale=2.0, size=(1000, 10))
    probs = scipy.special.softmax(logits, axis=1)
    mean, std = inception_score(probs, 10)
    save("inception_score", logits=logits, probs=probs, mean=mean, std=std)

    # --- KID: unbiased MMD² with the cubic polynomial kernel (x·y/d + 1)³ over whole sets ------------------------
    x = f32(rng.normal(size=(120, 6)))
    y = f32(rng.normal(size=(150, 6)) * 1.1 + 0.2)
    save("kid", x=x, y=y, mmd2=mmd2_unbiased(x, y))

    # --- Precision / recall / density / coverage (Kynkäänniemi 2019, Naeem 2020) --------------------------------
    real = f32(rng.normal(size=(80, 4)))
    fake = f32(rng.normal(size=(70, 4)) * 0.8 + 0.3)
    p, r, dn, cv = prdc(real, fake, 3, 5)
    save("prdc", real=real, fake=fake, precision=p, recall=r, density=dn, coverage=cv)

    # --- Wasserstein -------------------------------------------------------------------------------------------
    u = rng.normal(size=37)
    v = rng.exponential(size=23)
    uw = rng.uniform(0.1, 1, size=37)
    vw = rng.uniform(0.1, 1, size=23)
    xa = f32(rng.normal(size=(30, 3)))
    xb = f32(rng.normal(size=(40, 3)) + 0.5)
    wa = rng.uniform(0.1, 1, size=30)
    wa /= wa.sum()
    wb = rng.uniform(0.1, 1, size=40)
    wb /= wb.sum()
    ea = f32(rng.normal(size=(25, 3)))
    eb = f32(rng.normal(size=(25, 3)) * 1.3)
    m1 = ot.dist(xa.astype(np.float64), xb.astype(np.float64), metric="euclidean")
    m2 = ot.dist(xa.astype(np.float64), xb.astype(np.float64), metric="sqeuclidean")
    e1 = ot.dist(ea.astype(np.float64), eb.astype(np.float64), metric="euclidean")
    e2 = ot.dist(ea.astype(np.float64), eb.astype(np.float64), metric="sqeuclidean")
    uni = np.full(25, 1 / 25)
    reg = 0.5
    save("wasserstein", u=u, v=v, u_weights=uw, v_weights=vw,
         w1_1d=scipy.stats.wasserstein_distance(u, v), w1_1d_weighted=scipy.stats.wasserstein_distance(u, v, uw, vw),
         xa=xa, xb=xb, wa=wa, wb=wb,
         emd_w1=ot.emd2(wa, wb, m1), emd_w2sq=ot.emd2(wa, wb, m2),
         ea=ea, eb=eb, emd_equal_w1=ot.emd2(uni, uni, e1), emd_equal_w2sq=ot.emd2(uni, uni, e2),
         sinkhorn_reg=reg,
         sinkhorn_w2sq=ot.sinkhorn2(wa, wb, m2, reg, method="sinkhorn_log", numItermax=100000, stopThr=1e-13))

    # --- Binomial (Wilson) intervals for the real/fake ratio -----------------------------------------------------
    ks = np.array([0, 7, 50, 93, 100])
    lo, hi = [], []
    for k in ks:
        ci = scipy.stats.binomtest(int(k), 100).proportion_ci(confidence_level=0.95, method="wilson")
        lo.append(ci.low)
        hi.append(ci.high)
    save("wilson", k=ks, n=np.array(100), low=np.array(lo), high=np.array(hi))

    # --- Katz log interval for the ratio fake-judged-real / real-judged-real (scipy's relative_risk) ---------------
    # Rows: fake judged real, fakes, real judged real, reals. No count is 0 or all (there scipy's interval degenerates).
    katz_cases = np.array([[300, 1000, 800, 1000], [5, 2000, 9990, 10000], [17, 40, 33, 60], [999, 1000, 1, 3]])
    katz = [scipy.stats.contingency.relative_risk(*(int(v) for v in c)) for c in katz_cases]
    save("katz", cases=katz_cases, ratio=np.array([r.relative_risk for r in katz]),
         low=np.array([r.confidence_interval(confidence_level=0.95).low for r in katz]),
         high=np.array([r.confidence_interval(confidence_level=0.95).high for r in katz]))

    print("numpy", np.__version__, "scipy", scipy.__version__, "POT", ot.__version__, "sklearn", sklearn.__version__)
    print("references written to", OUT)


if __name__ == "__main__":
    main()
