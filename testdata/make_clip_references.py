#!/usr/bin/python3
"""A small CLIP image tower with seeded random weights in Hugging Face's parameter names, in both formats ganeval reads
(safetensors, written here by hand: the format is a JSON header and raw tensors; and torch.save's zip), and what torch
and Pillow compute with it, so ganeval's ClipVision, its safetensors reader and CMMD's preprocessing are checked
without OpenAI's 1.7 GB file.

The tower, as transformers' CLIPVisionModelWithProjection computes it (written out here: Debian ships no transformers):
  embeddings: patch_embedding Conv2d(3, D, P, stride P, no bias), flattened row-major; class_embedding [D] in front;
  position_embedding.weight [1 + (S/P)^2, D] added; pre_layrnorm; per layer (eps 1e-5 everywhere):
  x += out_proj(attn(q_proj(h) * 64^-0.5, k_proj(h), v_proj(h))), h = layer_norm1(x), heads of 64;
  x += fc2(quick_gelu(fc1(layer_norm2(x)))), quick_gelu(x) = x * sigmoid(1.702 x);
  image_embeds = visual_projection(post_layernorm(x[:, 0])) (no bias); CMMD's embedding = image_embeds / |image_embeds|.
Here D = 64 (1 head; the 2-head path is DinoV2Test's), 2 layers, P = 14, S = 56 (a 4 x 4 grid), projection to 32.  The checkpoint also holds a text
tower key and logit_scale, as real ones do, which a reader of the image tower leaves out.

Inputs (preprocessed) from the same integer hash as make_dinov2_references.py: seed 3, [2, 3, 56, 56].

Writes testdata/clip/:
  tiny.safetensors, tiny.pth      the same state dict in the two formats
  reference.npz                   embedding_f64 / embedding_f32 [2, 32] (normalised), image_embeds_f64, head (first 8
                                  inputs); cmmd_img (uint8 70 x 90 x 3), cmmd_input [3, 56, 56]: CMMD's preprocessing of
                                  it (centred square crop of the short side, Pillow bicubic to 56 x 56, /255, CLIP's mean
                                  and std, float32), cmmd_embedding_f64: the tower's normalised embedding of it
  dtypes.safetensors              f16 [3], bf16 [2, 2], f64 [2], i64 [3] tensors and a __metadata__ entry;
  dtypes_expected.npz             their values as float64 (i64 as float64)

Run (Debian: apt-get install python3-torch python3-numpy python3-pil):  /usr/bin/python3 testdata/make_clip_references.py
"""
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

from make_dinov2_references import inputs  # the same splitmix64 inputs

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "clip")
D, LAYERS, PATCH, SIZE, EMBED = 64, 2, 14, 56, 32
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]
def save_safetensors(path, tensors, raw_dtypes=None):
    raw_dtypes = raw_dtypes or {}
    header, blobs, off = {}, [], 0
    for k, a in tensors.items():
        dt = raw_dtypes.get(k) or {np.float32: "F32", np.float64: "F64", np.float16: "F16", np.int64: "I64"}[a.dtype.type]
        b = np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes()
        header[k] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def state_dict(seed):
    g = torch.Generator().manual_seed(seed)

    def normal(*shape, std):
        return torch.randn(*shape, generator=g, dtype=torch.float64).mul(std).float()

    sd = {"vision_model.embeddings.class_embedding": normal(D, std=0.5),
          "vision_model.embeddings.patch_embedding.weight": normal(D, 3, PATCH, PATCH, std=(3 * PATCH * PATCH) ** -0.5),
          "vision_model.embeddings.position_embedding.weight": normal(1 + (SIZE // PATCH) ** 2, D, std=0.5)}

    def norm(name):
        sd[name + ".weight"] = torch.rand(D, generator=g, dtype=torch.float64).add(0.5).float()
        sd[name + ".bias"] = normal(D, std=0.2)

    def linear(name, out, inp, bias=True):
        sd[name + ".weight"] = normal(out, inp, std=inp ** -0.5)
        if bias:
            sd[name + ".bias"] = normal(out, std=0.1)

    norm("vision_model.pre_layrnorm")
    for i in range(LAYERS):
        p = f"vision_model.encoder.layers.{i}."
        for proj in ("q_proj", "k_proj", "v_proj", "out_proj"):
            linear(p + "self_attn." + proj, D, D)
        norm(p + "layer_norm1")
        linear(p + "mlp.fc1", 4 * D, D)
        linear(p + "mlp.fc2", D, 4 * D)
        norm(p + "layer_norm2")
    norm("vision_model.post_layernorm")
    linear("visual_projection", EMBED, D, bias=False)
    sd["text_model.embeddings.token_embedding.weight"] = normal(4, 8, std=1.0)
    sd["logit_scale"] = torch.tensor(2.6592)
    return sd


def layer_norm(x, sd, name):
    return torch.nn.functional.layer_norm(x, (D,), sd[name + ".weight"], sd[name + ".bias"], eps=1e-5)


def tower(sd, x):
    b = x.shape[0]
    t = torch.nn.functional.conv2d(x, sd["vision_model.embeddings.patch_embedding.weight"], stride=PATCH)
    t = t.flatten(2).transpose(1, 2)
    cls = sd["vision_model.embeddings.class_embedding"].expand(b, 1, D)
    t = torch.cat((cls, t), dim=1) + sd["vision_model.embeddings.position_embedding.weight"]
    t = layer_norm(t, sd, "vision_model.pre_layrnorm")
    for i in range(LAYERS):
        p = f"vision_model.encoder.layers.{i}."
        lin = lambda n, h: h @ sd[p + n + ".weight"].T + sd[p + n + ".bias"]
        h = layer_norm(t, sd, p + "layer_norm1")
        n = t.shape[1]
        q = (lin("self_attn.q_proj", h) * 64 ** -0.5).reshape(b, n, D // 64, 64).transpose(1, 2)
        k = lin("self_attn.k_proj", h).reshape(b, n, D // 64, 64).transpose(1, 2)
        v = lin("self_attn.v_proj", h).reshape(b, n, D // 64, 64).transpose(1, 2)
        a = (q @ k.transpose(-2, -1)).softmax(dim=-1)
        t = t + lin("self_attn.out_proj", (a @ v).transpose(1, 2).reshape(b, n, D))
        h = lin("mlp.fc1", layer_norm(t, sd, p + "layer_norm2"))
        t = t + lin("mlp.fc2", h * torch.sigmoid(1.702 * h))
    pooled = layer_norm(t[:, 0], sd, "vision_model.post_layernorm")
    e = pooled @ sd["visual_projection.weight"].T
    return e / e.norm(dim=-1, keepdim=True), e


def main():
    os.makedirs(OUT, exist_ok=True)
    sd = state_dict(336)
    save_safetensors(os.path.join(OUT, "tiny.safetensors"), {k: v.numpy() for k, v in sd.items()})
    torch.save(sd, os.path.join(OUT, "tiny.pth"))
    x = inputs(3, (2, 3, SIZE, SIZE))
    sd64 = {k: v.double() for k, v in sd.items()}
    ref = {"head": x.reshape(-1)[:8]}
    with torch.no_grad():
        e64, raw64 = tower(sd64, torch.from_numpy(x).double())
        e32, _ = tower(sd, torch.from_numpy(x))
    ref["embedding_f64"], ref["image_embeds_f64"], ref["embedding_f32"] = e64.numpy(), raw64.numpy(), e32.numpy()
    rng = np.random.default_rng(11)
    yy, xx = np.mgrid[0:70, 0:90]
    img = ((127 + 90 * np.sin(xx / 6.0) * np.cos(yy / 4.0))[..., None] + rng.integers(-30, 31, (70, 90, 3)))
    img = img.clip(0, 255).astype(np.uint8)
    h, w = img.shape[:2]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    crop = Image.fromarray(img[top:top + side, left:left + side]).resize((SIZE, SIZE), Image.BICUBIC)
    t = np.asarray(crop).astype(np.float32) / np.float32(255)
    t = ((t - np.array(MEAN, dtype=np.float32)) / np.array(STD, dtype=np.float32)).transpose(2, 0, 1)
    ref["cmmd_img"], ref["cmmd_input"] = img, np.ascontiguousarray(t)
    with torch.no_grad():
        ref["cmmd_embedding_f64"] = tower(sd64, torch.from_numpy(t[None].copy()).double())[0][0].numpy()
    np.savez_compressed(os.path.join(OUT, "reference.npz"), **ref)

    f16 = np.array([0.5, -2.0, 1024.0], dtype=np.float16)
    bf16_values = np.array([[1.0, -0.375], [2.0 ** 100, 2.0 ** -120]], dtype=np.float32)
    bf16_bits = (bf16_values.view(np.uint32) >> 16).astype(np.uint16)  # exact: the low 16 bits are 0
    assert np.all(bf16_bits.astype(np.uint32) << 16 == bf16_values.view(np.uint32))
    f64 = np.array([np.pi, -1e300])
    i64 = np.array([0, -7, 2 ** 40], dtype=np.int64)
    save_safetensors(os.path.join(OUT, "dtypes.safetensors"), {"f16": f16, "bf16": bf16_bits, "f64": f64, "i64": i64},
                     raw_dtypes={"bf16": "BF16"})
    np.savez(os.path.join(OUT, "dtypes_expected.npz"), f16=f16.astype(np.float64), bf16=bf16_values.astype(np.float64),
             f64=f64, i64=i64.astype(np.float64))
    print("float32 against float64:", np.abs(ref["embedding_f32"] - ref["embedding_f64"]).max())


if __name__ == "__main__":
    main()
