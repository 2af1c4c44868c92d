#!/usr/bin/python3
"""Small DINOv2 backbones with seeded random weights, and what torch and Pillow compute with them, so ganeval's DinoV2
(the ONNX graph it builds from a state dict), its position-embedding interpolation and dgm-eval's preprocessing are
checked without Meta's 1.2 GB file.

The network is DINOv2's hub backbone as its code builds it (written out here: Debian ships no dinov2 package):
  - patch_embed.proj: Conv2d(3, D, 14, stride 14) with bias, flattened row-major; cls_token in front;
  - pos_embed for a 37 x 37 grid (img_size 518); for an input of H x W pixels the patch part is resized with
    F.interpolate(scale_factor=((H//14 + 0.1)/37, (W//14 + 0.1)/37), mode='bicubic', antialias=False) -- DINOv2 calls
    the height "w" and the width "h"; the first factor goes to the height axis -- and the class token's kept;
  - blocks: x += ls1.gamma * attn(norm1(x)); x += ls2.gamma * ffn(norm2(x)); LayerNorm eps 1e-6; attention with D/64
    heads of 64, qkv rows q, k, v (head-major), q scaled by 64^-0.5; ffn = fc2(gelu(fc1(x))) with exact (erf) GELU, or
    in model B ViT-g's SwiGLU w3(silu(x1) * x2) with x1, x2 = w12(x).chunk(2) and hidden = (int(4D*2/3) + 7) // 8 * 8;
  - the output: norm(x)[:, 0], the class token after the final norm (what the hub model returns).
Model A ("mlp"): D = 128 (2 heads), depth 2.  Model B ("swiglu"): D = 64 (1 head), depth 1.  Parameter names as in the
published files (cls_token, pos_embed, mask_token, patch_embed.proj.weight, blocks.0.norm1.weight, blocks.0.attn.qkv.weight,
blocks.0.ls1.gamma, blocks.0.mlp.fc1.weight / blocks.0.mlp.w12.weight, norm.weight, ...).

Inputs (already preprocessed), from an integer hash so Java regenerates them bit for bit:
  x[i] = float32(((splitmix64((seed << 40) + i) >> 40) / 2^23 - 1) * 2),  i the row-major index into [N, 3, H, W]
  square: seed 1, [2, 3, 224, 224];  nonsquare: seed 2, [1, 3, 224, 168]

Writes testdata/dinov2/:
  tiny_mlp.pth, tiny_swiglu.pth   the state dicts (torch.save, zip format)
  reference.npz                   {mlp,swiglu}_{square,nonsquare}_{f64,f32}: the class tokens torch computes in float64
                                  and float32; pos_square_f64 [256, 128] and pos_nonsquare_f64 [192, 128]: model A's patch
                                  position embeddings resized for 16 x 16 and 16 x 12 grids; interp_in [2, 5, 7] and
                                  interp_out: F.interpolate(scale_factor=(1.7, 0.55), bicubic) of a seeded float64 array;
                                  head_{square,nonsquare}: the first 8 input values (to check a regeneration)
  dgm_eval.npz                    img0..img3 (uint8 H x W x 3: 32x32, 53x37, 260x230, 224x300) and res0..res3: Pillow's
                                  Image.resize((224, 224), BICUBIC) of each (what dgm-eval's torchvision Resize does to a
                                  PIL image); dgm_input: img1 through ToTensor and Normalize(ImageNet mean, std) in float32
                                  [3, 224, 224]; mlp_dgm_f64: model A's class token on it; pil_version (major, minor, patch)

Run (Debian: apt-get install python3-torch python3-numpy python3-pil):  /usr/bin/python3 testdata/make_dinov2_references.py
"""
import os

import numpy as np
import PIL
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dinov2")
M = 37
MASK64 = (1 << 64) - 1


def splitmix64(z):
    z = (z + 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def inputs(seed, shape):
    n = int(np.prod(shape))
    u = np.array([splitmix64((seed << 40) + i) >> 40 for i in range(n)], dtype=np.float64)
    return ((u / 2 ** 23 - 1) * 2).astype(np.float32).reshape(shape)


class Block(nn.Module):
    def __init__(self, d, swiglu):
        super().__init__()
        self.norm1 = nn.LayerNorm(d, eps=1e-6)
        self.norm2 = nn.LayerNorm(d, eps=1e-6)
        self.attn = nn.Module()
        self.attn.qkv = nn.Linear(d, 3 * d)
        self.attn.proj = nn.Linear(d, d)
        self.ls1 = nn.Module()
        self.ls1.gamma = nn.Parameter(torch.empty(d))
        self.ls2 = nn.Module()
        self.ls2.gamma = nn.Parameter(torch.empty(d))
        self.mlp = nn.Module()
        self.swiglu = swiglu
        if swiglu:
            hidden = (int(4 * d * 2 / 3) + 7) // 8 * 8
            self.mlp.w12 = nn.Linear(d, 2 * hidden)
            self.mlp.w3 = nn.Linear(hidden, d)
        else:
            self.mlp.fc1 = nn.Linear(d, 4 * d)
            self.mlp.fc2 = nn.Linear(4 * d, d)

    def ffn(self, x):
        if self.swiglu:
            x1, x2 = self.mlp.w12(x).chunk(2, dim=-1)
            return self.mlp.w3(F.silu(x1) * x2)
        return self.mlp.fc2(F.gelu(self.mlp.fc1(x)))

    def forward(self, x):
        b, n, c = x.shape
        h = c // 64
        qkv = self.attn.qkv(self.norm1(x)).reshape(b, n, 3, h, 64).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] * 64 ** -0.5, qkv[1], qkv[2]
        a = (q @ k.transpose(-2, -1)).softmax(dim=-1)
        x = x + self.ls1.gamma * self.attn.proj((a @ v).transpose(1, 2).reshape(b, n, c))
        return x + self.ls2.gamma * self.ffn(self.norm2(x))


class Dino(nn.Module):
    def __init__(self, d, depth, swiglu):
        super().__init__()
        self.d = d
        self.cls_token = nn.Parameter(torch.empty(1, 1, d))
        self.pos_embed = nn.Parameter(torch.empty(1, 1 + M * M, d))
        self.mask_token = nn.Parameter(torch.zeros(1, d))
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(3, d, 14, stride=14)
        self.blocks = nn.ModuleList([Block(d, swiglu) for _ in range(depth)])
        self.norm = nn.LayerNorm(d, eps=1e-6)

    def positions(self, w0, h0):
        patch = self.pos_embed[:, 1:].reshape(1, M, M, self.d).permute(0, 3, 1, 2)
        patch = F.interpolate(patch, scale_factor=((w0 + 0.1) / M, (h0 + 0.1) / M), mode="bicubic", antialias=False)
        assert patch.shape[-2:] == (w0, h0)
        return patch.permute(0, 2, 3, 1).reshape(1, -1, self.d)

    def forward(self, x):
        b, _, w, h = x.shape  # DINOv2's names: w is the height
        t = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
        t = torch.cat((self.cls_token.expand(b, -1, -1), t), dim=1)
        t = t + torch.cat((self.pos_embed[:, :1], self.positions(w // 14, h // 14)), dim=1)
        for blk in self.blocks:
            t = blk(t)
        return self.norm(t)[:, 0]


def seeded(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name == "mask_token":
                p.normal_(0, 0.02, generator=g)
            elif "norm" in name and name.endswith("weight"):
                p.uniform_(0.5, 1.5, generator=g)
            elif "norm" in name and name.endswith("bias"):
                p.normal_(0, 0.2, generator=g)
            elif name.endswith("gamma"):
                p.uniform_(0.1, 1.0, generator=g)
            elif name in ("cls_token", "pos_embed"):
                p.normal_(0, 0.5, generator=g)
            elif name.endswith("bias"):
                p.normal_(0, 0.1, generator=g)
            else:
                fan_in = p[0].numel()
                p.normal_(0, fan_in ** -0.5, generator=g)
    return model.eval()


def main():
    os.makedirs(OUT, exist_ok=True)
    models = {"mlp": seeded(Dino(128, 2, False), 2023), "swiglu": seeded(Dino(64, 1, True), 2024)}
    xs = {"square": inputs(1, (2, 3, 224, 224)), "nonsquare": inputs(2, (1, 3, 224, 168))}
    ref = {}
    for name, m in models.items():
        torch.save(m.state_dict(), os.path.join(OUT, f"tiny_{name}.pth"))
        for shape, x in xs.items():
            with torch.no_grad():
                ref[f"{name}_{shape}_f32"] = m.float()(torch.from_numpy(x)).numpy()
                ref[f"{name}_{shape}_f64"] = m.double()(torch.from_numpy(x).double()).numpy()
            m.float()
    a = models["mlp"].double()
    with torch.no_grad():
        ref["pos_square_f64"] = a.positions(16, 16)[0].numpy()
        ref["pos_nonsquare_f64"] = a.positions(16, 12)[0].numpy()
    a.float()
    interp_in = np.random.default_rng(7).normal(size=(1, 2, 5, 7))
    ref["interp_in"] = interp_in[0]
    ref["interp_out"] = F.interpolate(torch.from_numpy(interp_in), scale_factor=(1.7, 0.55), mode="bicubic",
                                      antialias=False)[0].numpy()
    for shape, x in xs.items():
        ref[f"head_{shape}"] = x.reshape(-1)[:8]
    np.savez_compressed(os.path.join(OUT, "reference.npz"), **ref)

    rng = np.random.default_rng(5)
    dgm = {"pil_version": np.array([int(v) for v in PIL.__version__.split(".")[:3]], dtype=np.int64)}
    for i, (h, w) in enumerate([(32, 32), (53, 37), (260, 230), (224, 300)]):
        yy, xx = np.mgrid[0:h, 0:w]
        smooth = 127 + 100 * np.sin(xx / 5.0) * np.cos(yy / 7.0)
        img = (smooth[..., None] + rng.integers(-25, 26, (h, w, 3))).clip(0, 255).astype(np.uint8)
        dgm[f"img{i}"] = img
        dgm[f"res{i}"] = np.asarray(Image.fromarray(img).resize((224, 224), Image.BICUBIC))
    t = torch.from_numpy(dgm["res1"].copy()).permute(2, 0, 1).float().div(255)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
    t = (t - mean) / std
    dgm["dgm_input"] = t.numpy()
    with torch.no_grad():
        dgm["mlp_dgm_f64"] = models["mlp"].double()(t[None].double())[0].numpy()
    np.savez_compressed(os.path.join(OUT, "dgm_eval.npz"), **dgm)
    for k in ("mlp", "swiglu"):
        d = np.abs(ref[f"{k}_nonsquare_f32"] - ref[f"{k}_nonsquare_f64"]).max() / np.abs(ref[f"{k}_nonsquare_f64"]).max()
        print(k, "float32 against float64:", d)


if __name__ == "__main__":
    main()
