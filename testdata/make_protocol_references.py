#!/usr/bin/python3
"""Reference outputs for ganeval's three Inception preprocessing protocols (InceptionProtocol) and the two resizes
behind the new ones (PilBicubicResize, Tf1BilinearResize). Writes testdata/reference/protocols.npz.

What each reference is, and what computed it:
- PIL bicubic ("pil_<n>"): Pillow itself. Each channel of a uint8 image, as float32, is made a mode 'F' image
  (Image.fromarray(channel.astype(np.float32), mode='F')) and resized with Image.BICUBIC, as clean-fid's "clean"
  mode does. Downscaling widens the filter support by the scale factor (antialiasing), in Pillow's C code.
- TF1 bilinear ("tf1_<n>"): there is no TensorFlow here. The values are computed with torch (float32 tensors) by
  the algorithm torch-fidelity's interpolate_bilinear_2d_like_tensorflow1x ("slow" method, align_corners=False)
  uses to reproduce TensorFlow 1's resize_bilinear, written below from its definition: destination index d maps
  to the source coordinate d * float32(in / out) (no half-pixel offset), its integer part and the next pixel
  (clamped to the last one) are blended by the fraction, first along x, then along y, each step
  a + (b - a) * t in float32. So Tf1BilinearResize is checked against that definition, not against TensorFlow.
- Protocol outputs, the 3 x S x S network inputs (gray images are replicated to RGB first):
  "pfid_<n>"  pytorch-fid: float32(k) / 255, torch F.interpolate(bilinear, align_corners=False), then 2x - 1;
  "tf_<n>"    torch-fidelity / TTUR: the uint8 values as float32, the TF1 bilinear above, then (x - 128) / 128;
  "clean_<n>" clean-fid "clean": each channel's uint8 values as float32, PIL bicubic as above, clipped to
             [0, 255], then (x - 128) / 128 (float32 throughout).

Layout: "img_<i>" is the uint8 image, channel-planar C x H x W (C = 1 or 3); "case_<n>" is
[image index, out_h, out_w]; every output is C' x len(rows) x out_w, the rows listed in "rows_<n>" (all of them
for out_h <= 40, else six rows: two at each edge and two in the middle, to keep the file small). The protocol outputs are
present only for square targets (out_h == out_w == S).

Uses Debian's packages (numpy 1.24, Pillow 9.4, torch 1.13):
  apt-get install -y python3-numpy python3-pil python3-torch
Run from the repository root:  /usr/bin/python3 testdata/make_protocol_references.py
"""
import os

import numpy as np
import PIL
import torch
import torch.nn.functional as F
from PIL import Image

# Images (C, H, W): upscaling like CIFAR / MNIST to 299, downscaling from 512x384 (width x height) and 400x300,
# non-square, gray and RGB, and one already 299x299.
shapes = [(3, 32, 32), (1, 28, 28), (1, 384, 512), (3, 300, 400), (1, 20, 37), (3, 17, 9), (1, 299, 299)]

# (image, out_h, out_w): every image to 299x299, plus other targets: square (64, 224, 17), non-square up and down,
# one axis unchanged (Pillow skips that pass), and the same size (the identity).
cases = [(i, 299, 299) for i in range(len(shapes))] + [
    (0, 64, 64), (1, 224, 224), (2, 17, 17), (3, 64, 64), (4, 6, 40), (4, 20, 50), (5, 40, 6), (5, 17, 9),
    (0, 32, 32), (6, 150, 299),
]


def rows_of(h):
    if h <= 40:
        return np.arange(h)
    return np.array(sorted({0, 1, h // 2, h // 2 + 1, h - 2, h - 1}))


def pil_bicubic(planes, oh, ow):
    """Each channel (float32 H x W) as a mode 'F' image, Image.resize((width, height), BICUBIC)."""
    return np.stack([np.asarray(Image.fromarray(p.astype(np.float32), mode="F").resize((ow, oh), Image.BICUBIC))
                     for p in planes]).astype(np.float32)


def tf1_axis(n_in, n_out):
    scale = torch.tensor(n_in / n_out, dtype=torch.float32)
    src = torch.arange(n_out, dtype=torch.float32) * scale
    lo = src.long()
    hi = (lo + 1).clamp_max(n_in - 1)
    return lo, hi, src - lo.float()


def tf1_bilinear(planes, oh, ow):
    """TF1 resize_bilinear (align_corners=False, legacy mapping), torch-fidelity's reimplementation, in float32."""
    x = torch.from_numpy(np.ascontiguousarray(planes, dtype=np.float32))
    ylo, yhi, dy = tf1_axis(x.shape[1], oh)
    xlo, xhi, dx = tf1_axis(x.shape[2], ow)
    top, bottom = x[:, ylo, :], x[:, yhi, :]
    top = top[:, :, xlo] + (top[:, :, xhi] - top[:, :, xlo]) * dx
    bottom = bottom[:, :, xlo] + (bottom[:, :, xhi] - bottom[:, :, xlo]) * dx
    return (top + (bottom - top) * dy.view(1, oh, 1)).numpy()


def rgb(img):
    return np.repeat(img, 3, axis=0) if img.shape[0] == 1 else img


def pytorch_fid_input(c3, oh, ow):
    """pytorch-fid: uint8 RGB (3 x H x W) -> float32(k) / 255 -> torch bilinear (align_corners=False) -> 2x - 1."""
    unit = c3.astype(np.float32) / np.float32(255)
    pfid = F.interpolate(torch.from_numpy(unit)[None], size=(oh, ow), mode="bilinear", align_corners=False)[0]
    return (2 * pfid - 1).numpy()


def tf_input(c3, oh, ow):
    """torch-fidelity / TTUR: uint8 RGB values as float32 -> TF1 bilinear -> (x - 128) / 128."""
    return ((tf1_bilinear(c3.astype(np.float32), oh, ow) - 128) / 128).astype(np.float32)


def clean_input(c3, oh, ow):
    """clean-fid "clean": each channel as float32 through PIL bicubic, clipped to [0, 255], then (x - 128) / 128."""
    clean = np.clip(pil_bicubic(c3.astype(np.float32), oh, ow), 0, 255).astype(np.float32)
    return ((clean - np.float32(128)) / np.float32(128)).astype(np.float32)


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261207)
    images = [rng.integers(0, 256, size=s, dtype=np.uint8) for s in shapes]
    arrays = {}
    for i, img in enumerate(images):
        arrays[f"img_{i}"] = img
    for n, (i, oh, ow) in enumerate(cases):
        img = images[i]
        rows = rows_of(oh)
        arrays[f"case_{n}"] = np.array([i, oh, ow], dtype=np.int64)
        arrays[f"rows_{n}"] = rows.astype(np.int64)
        values = img.astype(np.float32)
        arrays[f"pil_{n}"] = pil_bicubic(values, oh, ow)[:, rows, :]
        arrays[f"tf1_{n}"] = tf1_bilinear(values, oh, ow)[:, rows, :]
        if oh == ow:
            c3 = rgb(img)
            arrays[f"pfid_{n}"] = pytorch_fid_input(c3, oh, ow)[:, rows, :]
            arrays[f"tf_{n}"] = tf_input(c3, oh, ow)[:, rows, :]
            arrays[f"clean_{n}"] = clean_input(c3, oh, ow)[:, rows, :]

    path = os.path.join(out, "protocols.npz")
    np.savez_compressed(path, **arrays)
    print("numpy", np.__version__, "Pillow", PIL.__version__, "torch", torch.__version__, "->", path,
          os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
