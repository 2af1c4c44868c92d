#!/usr/bin/python3
"""A narrow copy of pytorch-fid's FID Inception-v3 with seeded random weights, and what torch computes with it, so
ganeval's InceptionV3 (the ONNX graph it builds from a state dict) is checked against torch without the 95 MB file.

The network is pytorch-fid's (its fid_inception_v3: torchvision's Inception3 with 1008 classes, no aux head, and the
FID patches), written out here because Debian ships no torchvision:
  - BasicConv2d = Conv2d without bias -> BatchNorm2d(eps = 0.001) -> ReLU; parameter names as in the published file
    (Conv2d_1a_3x3.conv.weight, Conv2d_1a_3x3.bn.running_var, ..., Mixed_7c.branch_pool.bn.num_batches_tracked,
    fc.weight, fc.bias);
  - the stem's two 3x3 stride-2 max pools; Mixed_5b-5d (InceptionA), 6b-6e (InceptionC) and 7b (first InceptionE)
    average-pool 3x3, stride 1, pad 1 WITHOUT counting the padding; Mixed_7c's pool branch is a 3x3 stride-1 max pool
    (pad 1); 6a (InceptionB) and 7a (InceptionD) max-pool 3x3 stride 2; branches concatenated in torchvision's order;
  - final adaptive average pool to 1x1, no dropout at inference, fc to 1008 classes.
Every channel count is divided by --divisor (default 16: 2048 -> 128 pool features), the 1008 classes kept.

Weights: conv weights He-normal, then the batch-norm running statistics are calibrated on a separate seeded batch
(one pass in training mode, so the activations stay of order one through the ~50 layers) and all four batch-norm
vectors are then perturbed at random (weight in [0.5, 1.5], bias ~ N(0, 0.2), mean shifted by 0.3 sd, variance
scaled by e^U(-0.5, 0.5)), so a mistake in folding the batch norm or in its eps shows in the outputs.

Inputs: 4 images [4, 3, 299, 299] already in [-1, 1] (the network's range, preprocessing done), generated from an
integer hash (splitmix64) so that Java regenerates them bit for bit instead of a 4 MB file being committed:
  key(n, c, h, w)  = (seed << 40) + ((n*3 + c)*299 + h)*299 + w           -> u = splitmix64(key) >> 40   (24 bits)
  key(n, c, bh, bw) = (seed << 40) + 2^39 + ((n*3 + c)*19 + bh)*19 + bw    -> s = splitmix64(key) >> 40
     (bh = h // 16, bw = w // 16: 16x16 blocks)
  x = float32((3*s + u) / 2^25 - 1)            (computed exactly in float64, then rounded to float32)
The reference file keeps the seed, the first 16 values and the float64 sum of the images to check a regeneration.

Writes testdata/inception/:
  fid_inception_w16.npz             the state dict (float32 arrays by parameter name, num_batches_tracked int64 scalars)
  fid_inception_w16.pth             the same state dict, torch.save (zip format, torch >= 1.6 default)
  fid_inception_w16_legacy.pth      the same, torch.save(..., _use_new_zipfile_serialization=False) (the legacy format
                                   pytorch-fid's published file is in)
  fid_inception_w16_reference.npz   images_seed, images_head, images_sum, and for each output pool, logits_unbiased
                                   (pool . W^T), logits (+ b), block64 / block192 / block768 (pytorch-fid's --dims 64,
                                   192, 768 features: the spatial mean of the first max pool, the second max pool and
                                   Mixed_6e) computed by torch in float64 (NAME_f64) and float32 (NAME_f32).

Install and run (Debian): apt-get install python3-torch python3-numpy
                          /usr/bin/python3 testdata/make_inception_reference.py [--divisor 16]
"""
import argparse
import copy
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = 1008
SIZE = 299
BATCH = 4
IMAGE_SEED = 2015
CALIBRATION_SEED = 1205
WEIGHT_SEED = 6726825


class ConvBN(nn.Module):
    """torchvision's BasicConv2d: conv without bias, batch norm with eps 0.001, ReLU."""

    def __init__(self, cin, cout, kernel, stride=1, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride=stride, padding=padding, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


def avg_pool_excluding_padding(x):
    return F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False)


class BlockA(nn.Module):
    """Mixed_5b-5d."""

    def __init__(self, cin, pool_features, w):
        super().__init__()
        self.branch1x1 = ConvBN(cin, w(64), 1)
        self.branch5x5_1 = ConvBN(cin, w(48), 1)
        self.branch5x5_2 = ConvBN(w(48), w(64), 5, padding=2)
        self.branch3x3dbl_1 = ConvBN(cin, w(64), 1)
        self.branch3x3dbl_2 = ConvBN(w(64), w(96), 3, padding=1)
        self.branch3x3dbl_3 = ConvBN(w(96), w(96), 3, padding=1)
        self.branch_pool = ConvBN(cin, pool_features, 1)
        self.out_channels = w(64) + w(64) + w(96) + pool_features

    def forward(self, x):
        a = self.branch1x1(x)
        b = self.branch5x5_2(self.branch5x5_1(x))
        c = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        d = self.branch_pool(avg_pool_excluding_padding(x))
        return torch.cat([a, b, c, d], 1)


class BlockB(nn.Module):
    """Mixed_6a: grid reduction 35 -> 17."""

    def __init__(self, cin, w):
        super().__init__()
        self.branch3x3 = ConvBN(cin, w(384), 3, stride=2)
        self.branch3x3dbl_1 = ConvBN(cin, w(64), 1)
        self.branch3x3dbl_2 = ConvBN(w(64), w(96), 3, padding=1)
        self.branch3x3dbl_3 = ConvBN(w(96), w(96), 3, stride=2)
        self.out_channels = w(384) + w(96) + cin

    def forward(self, x):
        a = self.branch3x3(x)
        b = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        return torch.cat([a, b, F.max_pool2d(x, kernel_size=3, stride=2)], 1)


class BlockC(nn.Module):
    """Mixed_6b-6e: factorised 7x7 convolutions."""

    def __init__(self, cin, c7, w):
        super().__init__()
        self.branch1x1 = ConvBN(cin, w(192), 1)
        self.branch7x7_1 = ConvBN(cin, c7, 1)
        self.branch7x7_2 = ConvBN(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7_3 = ConvBN(c7, w(192), (7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = ConvBN(cin, c7, 1)
        self.branch7x7dbl_2 = ConvBN(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = ConvBN(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = ConvBN(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = ConvBN(c7, w(192), (1, 7), padding=(0, 3))
        self.branch_pool = ConvBN(cin, w(192), 1)
        self.out_channels = 4 * w(192)

    def forward(self, x):
        a = self.branch1x1(x)
        b = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        c = x
        for layer in (self.branch7x7dbl_1, self.branch7x7dbl_2, self.branch7x7dbl_3, self.branch7x7dbl_4,
                      self.branch7x7dbl_5):
            c = layer(c)
        d = self.branch_pool(avg_pool_excluding_padding(x))
        return torch.cat([a, b, c, d], 1)


class BlockD(nn.Module):
    """Mixed_7a: grid reduction 17 -> 8."""

    def __init__(self, cin, w):
        super().__init__()
        self.branch3x3_1 = ConvBN(cin, w(192), 1)
        self.branch3x3_2 = ConvBN(w(192), w(320), 3, stride=2)
        self.branch7x7x3_1 = ConvBN(cin, w(192), 1)
        self.branch7x7x3_2 = ConvBN(w(192), w(192), (1, 7), padding=(0, 3))
        self.branch7x7x3_3 = ConvBN(w(192), w(192), (7, 1), padding=(3, 0))
        self.branch7x7x3_4 = ConvBN(w(192), w(192), 3, stride=2)
        self.out_channels = w(320) + w(192) + cin

    def forward(self, x):
        a = self.branch3x3_2(self.branch3x3_1(x))
        b = self.branch7x7x3_4(self.branch7x7x3_3(self.branch7x7x3_2(self.branch7x7x3_1(x))))
        return torch.cat([a, b, F.max_pool2d(x, kernel_size=3, stride=2)], 1)


class BlockE(nn.Module):
    """Mixed_7b (average pool without the padding) and Mixed_7c (3x3 stride-1 max pool)."""

    def __init__(self, cin, max_pool, w):
        super().__init__()
        self.max_pool = max_pool
        self.branch1x1 = ConvBN(cin, w(320), 1)
        self.branch3x3_1 = ConvBN(cin, w(384), 1)
        self.branch3x3_2a = ConvBN(w(384), w(384), (1, 3), padding=(0, 1))
        self.branch3x3_2b = ConvBN(w(384), w(384), (3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = ConvBN(cin, w(448), 1)
        self.branch3x3dbl_2 = ConvBN(w(448), w(384), 3, padding=1)
        self.branch3x3dbl_3a = ConvBN(w(384), w(384), (1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = ConvBN(w(384), w(384), (3, 1), padding=(1, 0))
        self.branch_pool = ConvBN(cin, w(192), 1)
        self.out_channels = w(320) + 4 * w(384) + w(192)

    def forward(self, x):
        a = self.branch1x1(x)
        t = self.branch3x3_1(x)
        u = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        if self.max_pool:
            p = F.max_pool2d(x, kernel_size=3, stride=1, padding=1)
        else:
            p = avg_pool_excluding_padding(x)
        return torch.cat([a, self.branch3x3_2a(t), self.branch3x3_2b(t), self.branch3x3dbl_3a(u),
                          self.branch3x3dbl_3b(u), self.branch_pool(p)], 1)


class FidInception(nn.Module):
    def __init__(self, divisor):
        super().__init__()

        def w(c):
            assert c % divisor == 0, (c, divisor)
            return c // divisor

        self.Conv2d_1a_3x3 = ConvBN(3, w(32), 3, stride=2)
        self.Conv2d_2a_3x3 = ConvBN(w(32), w(32), 3)
        self.Conv2d_2b_3x3 = ConvBN(w(32), w(64), 3, padding=1)
        self.Conv2d_3b_1x1 = ConvBN(w(64), w(80), 1)
        self.Conv2d_4a_3x3 = ConvBN(w(80), w(192), 3)
        self.Mixed_5b = BlockA(w(192), w(32), w)
        self.Mixed_5c = BlockA(self.Mixed_5b.out_channels, w(64), w)
        self.Mixed_5d = BlockA(self.Mixed_5c.out_channels, w(64), w)
        self.Mixed_6a = BlockB(self.Mixed_5d.out_channels, w)
        self.Mixed_6b = BlockC(self.Mixed_6a.out_channels, w(128), w)
        self.Mixed_6c = BlockC(self.Mixed_6b.out_channels, w(160), w)
        self.Mixed_6d = BlockC(self.Mixed_6c.out_channels, w(160), w)
        self.Mixed_6e = BlockC(self.Mixed_6d.out_channels, w(192), w)
        self.Mixed_7a = BlockD(self.Mixed_6e.out_channels, w)
        self.Mixed_7b = BlockE(self.Mixed_7a.out_channels, False, w)
        self.Mixed_7c = BlockE(self.Mixed_7b.out_channels, True, w)
        self.fc = nn.Linear(self.Mixed_7c.out_channels, CLASSES)

    def forward(self, x):
        out = {}
        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = F.max_pool2d(x, kernel_size=3, stride=2)
        out["block64"] = x.mean(dim=(2, 3))
        x = self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(x))
        x = F.max_pool2d(x, kernel_size=3, stride=2)
        out["block192"] = x.mean(dim=(2, 3))
        for name in ("Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"):
            x = getattr(self, name)(x)
        out["block768"] = x.mean(dim=(2, 3))
        for name in ("Mixed_7a", "Mixed_7b", "Mixed_7c"):
            x = getattr(self, name)(x)
        pool = F.adaptive_avg_pool2d(x, (1, 1)).flatten(1)
        out["pool"] = pool
        out["logits_unbiased"] = pool @ self.fc.weight.t()
        out["logits"] = self.fc(pool)
        return out


def splitmix64(z):
    z = z + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def images(seed, n):
    """[n, 3, 299, 299] float32 in [-1, 1): 16x16 blocks plus per-pixel noise, from splitmix64 (see the docstring)."""
    ni, c, h, w = np.meshgrid(np.arange(n), np.arange(3), np.arange(SIZE), np.arange(SIZE), indexing="ij")
    ni, c, h, w = (a.astype(np.uint64) for a in (ni, c, h, w))
    base = np.uint64(seed) << np.uint64(40)
    plane = ni * np.uint64(3) + c
    noise = splitmix64(base + (plane * np.uint64(SIZE) + h) * np.uint64(SIZE) + w) >> np.uint64(40)
    blocks = np.uint64(19)
    block = splitmix64(base + np.uint64(1 << 39) + (plane * blocks + h // np.uint64(16)) * blocks
                       + w // np.uint64(16)) >> np.uint64(40)
    v = (np.uint64(3) * block + noise).astype(np.float64)
    return (v / 2.0 ** 25 - 1.0).astype(np.float32)


def randomise(model, divisor):
    gen = torch.Generator().manual_seed(WEIGHT_SEED + divisor)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv2d):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * (2.0 / fan_in) ** 0.5)
        model.fc.weight.copy_(torch.randn(model.fc.weight.shape, generator=gen) / model.fc.in_features ** 0.5)
        model.fc.bias.copy_(torch.randn(model.fc.bias.shape, generator=gen) * 0.5)
    # Running statistics from one training-mode pass on a batch of other images, in float64.
    calibrated = copy.deepcopy(model).double()
    for m in calibrated.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None  # cumulative average: after one batch, exactly that batch's statistics
    calibrated.train()
    with torch.no_grad():
        calibrated(torch.from_numpy(images(CALIBRATION_SEED, 2)).double())
    model.load_state_dict(calibrated.float().state_dict())
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.weight.copy_(0.5 + torch.rand(n, generator=gen))
                m.bias.copy_(0.2 * torch.randn(n, generator=gen))
                sd = m.running_var.sqrt()
                m.running_mean.add_(0.3 * sd * torch.randn(n, generator=gen))
                m.running_var.mul_(torch.exp(torch.rand(n, generator=gen) - 0.5))
    return model.eval()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--divisor", type=int, default=16, help="every channel count divided by this (default 16)")
    args = parser.parse_args()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "inception")
    os.makedirs(out, exist_ok=True)
    stem = os.path.join(out, f"fid_inception_w{args.divisor}")

    torch.manual_seed(0)
    model = randomise(FidInception(args.divisor), args.divisor)
    state = model.state_dict()
    arrays = {k: v.numpy() for k, v in state.items()}
    for k, v in arrays.items():
        assert v.dtype == (np.int64 if k.endswith("num_batches_tracked") else np.float32), (k, v.dtype)
    np.savez_compressed(stem + ".npz", **arrays)
    torch.save(state, stem + ".pth")
    torch.save(state, stem + "_legacy.pth", _use_new_zipfile_serialization=False)

    x = images(IMAGE_SEED, BATCH)
    ref = {"images_seed": np.array(IMAGE_SEED, dtype=np.int64), "images_head": x.reshape(-1)[:16].copy(),
           "images_sum": np.array(x.astype(np.float64).sum())}
    with torch.no_grad():
        y64 = copy.deepcopy(model).double().eval()(torch.from_numpy(x).double())
        y32 = model(torch.from_numpy(x))
    for name in y64:
        ref[name + "_f64"] = y64[name].numpy()
        ref[name + "_f32"] = y32[name].numpy()
        a, b = y64[name].numpy(), y32[name].numpy().astype(np.float64)
        print(f"{name:16s} {str(tuple(a.shape)):12s} max |f64| {np.abs(a).max():.4g}  "
              f"max |f32 - f64| / max |f64| {np.abs(a - b).max() / np.abs(a).max():.3g}")
    np.savez_compressed(stem + "_reference.npz", **ref)
    params = sum(v.size for v in arrays.values())
    print("torch", torch.__version__, "divisor", args.divisor, "parameters", params)
    for suffix in (".npz", ".pth", "_legacy.pth", "_reference.npz"):
        print(f"{os.path.getsize(stem + suffix):10d}  {stem + suffix}")


if __name__ == "__main__":
    main()
