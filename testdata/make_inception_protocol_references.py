#!/usr/bin/python3
"""End-to-end references for folders of images -> preprocessing protocol -> FID Inception-v3 -> FID and IS, on the
narrow network of make_inception_reference.py (every width / 16, seeded random weights, 128 pool features, 1008
classes), so ganeval's whole image pipeline is checked against torch without the 95 MB weights.

Image fixtures (written by this script, seeded, 8-bit RGB PNG, named 00.png, 01.png, ... so every sort agrees):
  testdata/images/inception/a/    20 images 32 x 32: smooth random colour fields (a sum of 4 low-frequency cosines
                                  per channel, at most 2 cycles across the image, around a random mid-grey level);
  testdata/images/inception/b/    20 images 32 x 32 from another distribution: warmer colours (red +45, blue -45),
                                  more contrast and up to 4 cycles. Every image of a and b is 32 x 32 (ganeval's
                                  ImageFolder needs one size per folder);
  testdata/images/inception/big/  6 images 400 x 300 (width x height), the downscaling case: a smooth field (3
                                  cosines, up to 3 cycles) posterised per channel to steps of 8 levels (so the PNGs
                                  stay small), three flat rectangles (hard edges) and a 100 x 80 patch of 1-pixel
                                  lines every 2 or 3 pixels (aliasing: the antialiased "clean" resize differs most
                                  from the plain bilinear ones there).

Pipeline, per protocol and folder:
  1. each file (sorted names) read as PIL would: Image.open(path).convert('RGB'), uint8, made channel-planar 3 x H x W;
  2. the network input 3 x 299 x 299, float32, built by make_protocol_references.py's functions (imported):
       "pfid"  pytorch-fid: k / 255 -> torch bilinear (align_corners=False, no antialias) -> 2x - 1;
       "tf"    torch-fidelity / TTUR: uint8 values -> TF1 bilinear (torch-fidelity's algorithm) -> (x - 128) / 128;
       "clean" clean-fid: each channel as float32 through PIL bicubic (mode 'F'), clipped to [0, 255] -> (x - 128)/128;
  3. make_inception_reference.py's FidInception(16) (imported) loaded from testdata/inception/fid_inception_w16.npz,
     eval mode, run twice on the same float32 input: in float64 (the input widened exactly; the reference) and in
     float32; outputs "pool" (128 features) and "logits_unbiased" (pool . fc.weight^T, 1008 classes).
  4. FID by pytorch-fid 0.3.0's rule on the float64 pool features: mean, np.cov(rowvar=False),
     scipy.linalg.sqrtm(S1 S2, disp=False); if not finite, 1e-6 I added to both covariances and sqrtm retried; if
     complex, pytorch-fid raises unless every diagonal imaginary part is within 1e-3 of 0, else the real part is
     used. Where no retry was needed the value is checked against make_metric_references.py's fid_sqrtm. With 20
     images and 128 features both covariances are rank-deficient (rank <= 19; big has rank <= 5), the case where
     pytorch-fid's users meet "Imaginary component" errors, so the well-defined eigenvalue route is recorded as well:
     tr (S1 S2)^1/2 = sum sqrt(max(0, eig(S1^1/2 S2 S1^1/2))) with S1^1/2 from a symmetric eigendecomposition
     (negative eigenvalues clamped at 0).
  5. IS of folder a: softmax of float64 logits_unbiased, rows split in order into 2 parts, exp(mean KL(p_i || mean p))
     per part, mean and std (ddof 0) over the parts: improved-gan's rule, make_metric_references.py's
     inception_score (imported). (torch-fidelity shuffles the rows before splitting by default; this does not.)

Writes testdata/reference/inception_protocols.npz (dtypes all readable by ganeval's Npy reader: f4, f8, u1, i8).
P is pfid, tf or clean; F is a, b or big:
  names_F                    (n, 6) uint8   the file names in reading order, ASCII ("00.png" ...)
  P_F_input_sum              (n,)   f8      float64 sum of each image's 3 x 299 x 299 float32 network input
  P_F_pool_f64 / P_F_pool_f32 (n, 128) f8 / f4   pool features from the float64 / float32 network
  P_a_logits_unbiased_head_f64 (4, 1008) f8 logits_unbiased of the first 4 images of a, float64 network (the rest is
                                            pool_f64 . fc.weight^T)
  P_fid_a_b, P_fid_a_big     ()     f8      pytorch-fid's rule on float64 features (NaN where pytorch-fid raises)
  P_fid_a_b_status, P_fid_a_big_status () i8  0 plain sqrtm, 1 after the 1e-6 I retry, 2 pytorch-fid raises
  P_fid_a_b_max_imag, P_fid_a_big_max_imag () f8  largest |imaginary part| on sqrtm's diagonal (0 if real)
  P_fid_a_b_eig, P_fid_a_big_eig () f8      the eigenvalue route on float64 features
  P_fid_a_b_eig_from_f32     ()     f8      the eigenvalue route on the float32 network's features (widened)
  P_is_a_mean, P_is_a_std    ()     f8      IS of a, 2 splits, from the float64 logits
  P_is_a_mean_f32, P_is_a_std_f32 () f8     the same from the float32 network's logits (widened before softmax)
  is_splits, image_size      ()     i8      2 and 299

Uses Debian's packages (numpy 1.24, scipy 1.10, Pillow 9.4, torch 1.13):
  apt-get install -y python3-numpy python3-scipy python3-pil python3-torch
Run from the repository root:  /usr/bin/python3 testdata/make_inception_protocol_references.py
"""
import copy
import os
import sys

import numpy as np
import PIL
import scipy
import scipy.linalg
import scipy.special
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_inception_reference as inception  # noqa: E402  (FidInception, its reference images)
import make_metric_references as metrics  # noqa: E402  (fid_sqrtm, inception_score)
import make_protocol_references as protocols  # noqa: E402  (pytorch_fid_input, tf_input, clean_input)

SIZE = 299
DIVISOR = 16
IS_SPLITS = 2
LOGIT_ROWS = 4
FOLDERS = {"a": (20, 32, 32), "b": (20, 32, 32), "big": (6, 300, 400)}  # count, height, width
PROTOCOLS = {"pfid": protocols.pytorch_fid_input, "tf": protocols.tf_input, "clean": protocols.clean_input}
SEED = 20261215


def cosine_field(rng, h, w, terms, max_cycles, amplitude):
    """Sum of `terms` random cosines, at most `max_cycles` cycles across the image, per channel: 3 x h x w float64."""
    y, x = np.meshgrid(np.arange(h) / h, np.arange(w) / w, indexing="ij")
    field = np.zeros((3, h, w))
    for c in range(3):
        for _ in range(terms):
            fy, fx = rng.uniform(-max_cycles, max_cycles, size=2)
            field[c] += rng.normal(0, amplitude) * np.cos(2 * np.pi * (fy * y + fx * x) + rng.uniform(0, 2 * np.pi))
    return field


def to_uint8(planes):
    return np.clip(np.rint(planes), 0, 255).astype(np.uint8)


def make_image(rng, folder, h, w):
    """One 3 x h x w uint8 image of the folder's distribution (see the docstring)."""
    if folder == "a":
        base = rng.uniform(70, 185, size=(3, 1, 1))
        return to_uint8(base + cosine_field(rng, h, w, 4, 2.0, 25.0))
    if folder == "b":
        base = rng.uniform(70, 185, size=(3, 1, 1)) + np.array([45.0, 0.0, -45.0]).reshape(3, 1, 1)
        return to_uint8(base + cosine_field(rng, h, w, 4, 4.0, 40.0))
    # The smooth field in bands of 8 levels (posterised: flat runs keep the PNGs small), values 4, 12, ..., 252.
    img = np.floor((rng.uniform(60, 195, size=(3, 1, 1)) + cosine_field(rng, h, w, 3, 3.0, 30.0)) / 8) * 8 + 4
    for _ in range(3):  # flat rectangles: hard edges
        y0, x0 = rng.integers(0, h - 40), rng.integers(0, w - 40)
        y1, x1 = y0 + rng.integers(20, 120), x0 + rng.integers(20, 160)
        img[:, y0:y1, x0:x1] = rng.uniform(0, 255, size=(3, 1, 1))
    period = int(rng.integers(2, 4))  # 1-pixel lines every 2 or 3 pixels: detail only antialiasing averages out
    y0, x0 = rng.integers(0, h - 80), rng.integers(0, w - 100)
    stripes = (np.arange(100) % period == 0).astype(np.float64)
    img[:, y0:y0 + 80, x0:x0 + 100] = 30 + 200 * stripes[None, None, :]
    return to_uint8(img)


def write_fixtures(root):
    rng = np.random.default_rng(SEED)
    for folder, (n, h, w) in FOLDERS.items():
        path = os.path.join(root, folder)
        os.makedirs(path, exist_ok=True)
        for old in os.listdir(path):
            if old.endswith(".png"):
                os.remove(os.path.join(path, old))
        for i in range(n):
            img = make_image(rng, folder, h, w)
            Image.fromarray(np.ascontiguousarray(img.transpose(1, 2, 0)), mode="RGB").save(
                os.path.join(path, f"{i:02d}.png"), optimize=True)


def read_folder(path):
    """Sorted file names and the images as PIL reads them: convert('RGB'), uint8, channel-planar 3 x H x W."""
    names = sorted(f for f in os.listdir(path) if f.endswith(".png"))
    images = []
    for name in names:
        with Image.open(os.path.join(path, name)) as im:
            images.append(np.asarray(im.convert("RGB")).transpose(2, 0, 1).copy())
    return names, images


def load_network():
    model = inception.FidInception(DIVISOR)
    state = np.load(os.path.join(HERE, "inception", f"fid_inception_w{DIVISOR}.npz"))
    model.load_state_dict({k: torch.from_numpy(state[k]) for k in state.files})
    model.eval()
    model64 = copy.deepcopy(model).double().eval()
    # The weights load as make_inception_reference.py left them: its images give its recorded outputs.
    ref = np.load(os.path.join(HERE, "inception", f"fid_inception_w{DIVISOR}_reference.npz"))
    x = inception.images(int(ref["images_seed"]), ref["pool_f64"].shape[0])
    with torch.no_grad():
        pool = model64(torch.from_numpy(x).double())["pool"].numpy()
    err = np.abs(pool - ref["pool_f64"]).max() / np.abs(ref["pool_f64"]).max()
    assert err < 1e-12, err
    print(f"weights check: pool vs fid_inception_w{DIVISOR}_reference.npz, max rel diff {err:.2g}")
    return model, model64


def frechet_pytorch_fid(x1, x2, eps=1e-6):
    """pytorch-fid 0.3.0's rule on float64 features: (fid, status, largest |imag| on the diagonal); see docstring."""
    mu1, mu2 = x1.mean(axis=0), x2.mean(axis=0)
    s1, s2 = np.cov(x1, rowvar=False), np.cov(x2, rowvar=False)
    diff = mu1 - mu2
    covmean, _ = scipy.linalg.sqrtm(s1.dot(s2), disp=False)
    status = 0
    if not np.isfinite(covmean).all():
        offset = np.eye(s1.shape[0]) * eps
        covmean, _ = scipy.linalg.sqrtm((s1 + offset).dot(s2 + offset), disp=False)
        status = 1
    max_imag = 0.0
    if np.iscomplexobj(covmean):
        max_imag = float(np.max(np.abs(np.diagonal(covmean).imag)))
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            return float("nan"), 2, max_imag
        covmean = covmean.real
    fid = diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean)
    if status == 0:  # the same rule as the metric references' (no retry there): identical arithmetic
        same, _, _ = metrics.fid_sqrtm(x1, x2)
        assert abs(same - fid) <= 1e-9 * max(1.0, abs(fid)), (same, fid)
    return float(fid), status, max_imag


def frechet_eig(x1, x2):
    """FID with tr (S1 S2)^1/2 = sum sqrt(eig(S1^1/2 S2 S1^1/2)), eigenvalues clamped at 0 (float64)."""
    x1 = x1.astype(np.float64)
    x2 = x2.astype(np.float64)
    mu1, mu2 = x1.mean(axis=0), x2.mean(axis=0)
    s1, s2 = np.cov(x1, rowvar=False), np.cov(x2, rowvar=False)
    w, v = np.linalg.eigh(s1)
    root = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    m = root @ s2 @ root
    lam = np.linalg.eigvalsh((m + m.T) / 2)
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.sqrt(np.clip(lam, 0, None)).sum())


def main():
    root = os.path.join(HERE, "images", "inception")
    write_fixtures(root)
    model, model64 = load_network()

    arrays = {"is_splits": np.array(IS_SPLITS, dtype=np.int64), "image_size": np.array(SIZE, dtype=np.int64)}
    images = {}
    for folder in FOLDERS:
        names, imgs = read_folder(os.path.join(root, folder))
        assert len(names) == FOLDERS[folder][0] and all(i.shape[1:] == FOLDERS[folder][1:] for i in imgs)
        images[folder] = imgs
        arrays[f"names_{folder}"] = np.array([list(n.encode("ascii")) for n in names], dtype=np.uint8)

    for proto, make_input in PROTOCOLS.items():
        out = {}
        for folder, imgs in images.items():
            x = np.stack([make_input(img, SIZE, SIZE) for img in imgs]).astype(np.float32)
            assert x.shape == (len(imgs), 3, SIZE, SIZE) and x.dtype == np.float32
            with torch.no_grad():
                y64 = model64(torch.from_numpy(x).double())
                y32 = model(torch.from_numpy(x))
            out[folder] = {"pool64": y64["pool"].numpy(), "pool32": y32["pool"].numpy(),
                           "logits64": y64["logits_unbiased"].numpy(), "logits32": y32["logits_unbiased"].numpy()}
            arrays[f"{proto}_{folder}_input_sum"] = x.astype(np.float64).sum(axis=(1, 2, 3))
            arrays[f"{proto}_{folder}_pool_f64"] = out[folder]["pool64"]
            arrays[f"{proto}_{folder}_pool_f32"] = out[folder]["pool32"]
        arrays[f"{proto}_a_logits_unbiased_head_f64"] = out["a"]["logits64"][:LOGIT_ROWS].copy()

        a64 = out["a"]["pool64"]
        for other in ("b", "big"):
            fid, status, imag = frechet_pytorch_fid(a64, out[other]["pool64"])
            arrays[f"{proto}_fid_a_{other}"] = np.array(fid)
            arrays[f"{proto}_fid_a_{other}_status"] = np.array(status, dtype=np.int64)
            arrays[f"{proto}_fid_a_{other}_max_imag"] = np.array(imag)
            arrays[f"{proto}_fid_a_{other}_eig"] = np.array(frechet_eig(a64, out[other]["pool64"]))
        arrays[f"{proto}_fid_a_b_eig_from_f32"] = np.array(frechet_eig(out["a"]["pool32"], out["b"]["pool32"]))

        for suffix, key in (("", "logits64"), ("_f32", "logits32")):
            probs = scipy.special.softmax(out["a"][key].astype(np.float64), axis=1)
            mean, std = metrics.inception_score(probs, IS_SPLITS)
            arrays[f"{proto}_is_a_mean{suffix}"] = np.array(mean)
            arrays[f"{proto}_is_a_std{suffix}"] = np.array(std)

        p32, p64 = out["a"]["pool32"].astype(np.float64), out["a"]["pool64"]
        print(f"{proto:5s} FID(a,b) sqrtm {arrays[f'{proto}_fid_a_b']:.10g} (status "
              f"{arrays[f'{proto}_fid_a_b_status']}, max imag {arrays[f'{proto}_fid_a_b_max_imag']:.2g}) "
              f"eig {arrays[f'{proto}_fid_a_b_eig']:.10g} eig-f32 {arrays[f'{proto}_fid_a_b_eig_from_f32']:.10g}")
        print(f"      FID(a,big) sqrtm {arrays[f'{proto}_fid_a_big']:.10g} (status "
              f"{arrays[f'{proto}_fid_a_big_status']}, max imag {arrays[f'{proto}_fid_a_big_max_imag']:.2g}) "
              f"eig {arrays[f'{proto}_fid_a_big_eig']:.10g}")
        print(f"      IS(a) {arrays[f'{proto}_is_a_mean']:.10g} +- {arrays[f'{proto}_is_a_std']:.6g}  "
              f"(f32 {arrays[f'{proto}_is_a_mean_f32']:.10g} +- {arrays[f'{proto}_is_a_std_f32']:.6g}); "
              f"pool a: f32 vs f64 max rel {np.abs(p32 - p64).max() / np.abs(p64).max():.2g}, "
              f"range [{p64.min():.3g}, {p64.max():.3g}]")

    for k, v in arrays.items():
        assert v.dtype in (np.float32, np.float64, np.uint8, np.int64), (k, v.dtype)
        if v.dtype.kind == "f" and not k.endswith(("_fid_a_b", "_fid_a_big")):
            assert np.isfinite(v).all(), k
    path = os.path.join(HERE, "reference", "inception_protocols.npz")
    np.savez_compressed(path, **arrays)
    print("numpy", np.__version__, "scipy", scipy.__version__, "Pillow", PIL.__version__, "torch", torch.__version__,
          "->", path, os.path.getsize(path), "bytes")
    for folder in FOLDERS:
        d = os.path.join(root, folder)
        print(f"{sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d)):8d} bytes  {d}")


if __name__ == "__main__":
    main()
