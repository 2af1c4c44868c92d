#!/usr/bin/python3
"""Reference outputs of PyTorch's bilinear resize as pytorch-fid uses it
(F.interpolate(x, size=(299, 299), mode='bilinear', align_corners=False), no antialias), on small images,
so ganeval's BilinearResize is checked against torch itself. Writes testdata/reference/resize.npz.

Uses Debian's python3-torch. Run from the repository root:  /usr/bin/python3 testdata/make_resize_references.py
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(299)
arrays = {}
# (channels, in_h, in_w, out_h, out_w): upsampling like 28 -> 299, odd sizes, downsampling, non-square.
cases = [(1, 28, 28, 299, 299), (1, 5, 7, 11, 13), (3, 17, 9, 6, 4), (2, 8, 8, 8, 8)]
for i, (c, h, w, oh, ow) in enumerate(cases):
    x = rng.random((1, c, h, w), dtype=np.float32)
    y = F.interpolate(torch.from_numpy(x), size=(oh, ow), mode="bilinear", align_corners=False).numpy()
    arrays[f"x{i}"] = x[0]
    arrays[f"y{i}"] = y[0]
    arrays[f"shape{i}"] = np.array([c, h, w, oh, ow], dtype=np.int64)
np.savez(os.path.join(out, "resize.npz"), **arrays)
print("torch", torch.__version__, "->", os.path.join(out, "resize.npz"))
