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
  openai_jit.pt                   the same tower in OpenAI's own form, the form of its published ViT-L-14-336px.pt: a
                                  TorchScript archive (torch.jit.trace of a module tree with OpenAI's attribute names:
                                  visual.conv1, class_embedding, positional_embedding, ln_pre,
                                  transformer.resblocks.N.{ln_1, attn (nn.MultiheadAttention, in_proj packing q, k, v),
                                  ln_2, mlp.c_fc, mlp.c_proj}, ln_post, proj = visual_projection.T) beside a text stub,
                                  with the weights OpenAI's convert_weights halves (convolution, linear and attention
                                  weights and biases, proj) stored as float16 and the rest as float32
  openai_reference.npz            embedding_f64 [2, 32] and cmmd_embedding_f64 [32]: the tower on the same inputs and on
                                  cmmd_input with those weights widened back to float32 (what clip.load does on a CPU)

Run (Debian: apt-get install python3-torch python3-numpy python3-pil):  /usr/bin/python3 testdata/make_clip_references.py
"""
import json
import os
import struct
from collections import OrderedDict

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


class _QuickGelu(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class _Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(D, D // 64)
        self.ln_1 = nn.LayerNorm(D)
        self.mlp = nn.Sequential(OrderedDict([("c_fc", nn.Linear(D, 4 * D)), ("gelu", _QuickGelu()),
                                              ("c_proj", nn.Linear(4 * D, D))]))
        self.ln_2 = nn.LayerNorm(D)

    def forward(self, x):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class _Visual(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, D, PATCH, PATCH, bias=False)
        self.class_embedding = nn.Parameter(torch.zeros(D))
        self.positional_embedding = nn.Parameter(torch.zeros(1 + (SIZE // PATCH) ** 2, D))
        self.ln_pre = nn.LayerNorm(D)
        self.transformer = nn.Module()
        self.transformer.resblocks = nn.Sequential(*[_Block() for _ in range(LAYERS)])
        self.ln_post = nn.LayerNorm(D)
        self.proj = nn.Parameter(torch.zeros(D, EMBED))

    def forward(self, x):
        x = self.conv1(x).flatten(2).permute(2, 0, 1)  # tokens first, as nn.MultiheadAttention takes them
        x = torch.cat([self.class_embedding.expand(1, x.shape[1], D), x]) + self.positional_embedding[:, None]
        x = self.transformer.resblocks(self.ln_pre(x))
        return self.ln_post(x[0]) @ self.proj


class _Clip(nn.Module):
    def __init__(self):
        super().__init__()
        self.visual = _Visual()
        self.token_embedding = nn.Embedding(4, 8)
        self.logit_scale = nn.Parameter(torch.tensor(2.6592))

    def forward(self, x):
        return self.visual(x)


def openai_state_dict(sd):
    """The Hugging Face state dict in OpenAI's names (the inverse of transformers' conversion script)."""
    hf, v = "vision_model.", "visual."
    out = {v + "conv1.weight": sd[hf + "embeddings.patch_embedding.weight"],
           v + "class_embedding": sd[hf + "embeddings.class_embedding"],
           v + "positional_embedding": sd[hf + "embeddings.position_embedding.weight"],
           v + "proj": sd["visual_projection.weight"].T.contiguous()}
    for ours, theirs in (("ln_pre", "pre_layrnorm"), ("ln_post", "post_layernorm")):
        for p in ("weight", "bias"):
            out[f"{v}{ours}.{p}"] = sd[f"{hf}{theirs}.{p}"]
    for i in range(LAYERS):
        a, b = f"{v}transformer.resblocks.{i}.", f"{hf}encoder.layers.{i}."
        for p in ("weight", "bias"):
            out[a + "attn.in_proj_" + p] = torch.cat([sd[f"{b}self_attn.{n}_proj.{p}"] for n in "qkv"])
            for ours, theirs in (("attn.out_proj", "self_attn.out_proj"), ("ln_1", "layer_norm1"),
                                 ("ln_2", "layer_norm2"), ("mlp.c_fc", "mlp.fc1"), ("mlp.c_proj", "mlp.fc2")):
                out[f"{a}{ours}.{p}"] = sd[f"{b}{theirs}.{p}"]
    return out


def halved(name):
    """The parameters OpenAI's convert_weights stores as float16: convolution, linear and attention, and proj."""
    return (name.endswith("conv1.weight") or ".attn." in name or ".mlp." in name or name == "visual.proj")


def save_openai_jit(sd, path):
    weights = openai_state_dict(sd)
    model = _Clip().eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.startswith("visual."):
                p.copy_(weights[name])
    traced = torch.jit.trace(model, torch.zeros(1, 3, SIZE, SIZE))
    with torch.no_grad():
        for name, p in traced.named_parameters():
            if halved(name):
                p.data = p.data.half()
    torch.jit.save(traced, path)
    return {k: (w.half().float() if halved(k) else w) for k, w in weights.items()}


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

    widened = save_openai_jit(sd, os.path.join(OUT, "openai_jit.pt"))
    loaded = torch.jit.load(os.path.join(OUT, "openai_jit.pt")).state_dict()
    assert {k: v.dtype for k, v in loaded.items() if k.startswith("visual.")} == \
        {k: (torch.float16 if halved(k) else torch.float32) for k in widened}
    # Back to Hugging Face's names with the widened values: the tower clip.load builds on a CPU.
    sd_widened = dict(sd64)
    back = {}
    hf, v = "vision_model.", "visual."
    back[hf + "embeddings.patch_embedding.weight"] = widened[v + "conv1.weight"]
    back["visual_projection.weight"] = widened[v + "proj"].T.contiguous()
    for i in range(LAYERS):
        a, b = f"{v}transformer.resblocks.{i}.", f"{hf}encoder.layers.{i}."
        for p in ("weight", "bias"):
            for j, n in enumerate("qkv"):
                back[f"{b}self_attn.{n}_proj.{p}"] = widened[a + "attn.in_proj_" + p].chunk(3)[j]
            for ours, theirs in (("attn.out_proj", "self_attn.out_proj"), ("mlp.c_fc", "mlp.fc1"),
                                 ("mlp.c_proj", "mlp.fc2")):
                back[f"{b}{theirs}.{p}"] = widened[f"{a}{ours}.{p}"]
    sd_widened.update({k: t.double() for k, t in back.items()})
    with torch.no_grad():
        e_open = tower(sd_widened, torch.from_numpy(x).double())[0].numpy()
    # OpenAI's module tree itself (nn.MultiheadAttention unpacking in_proj) computes the same tower.
    jit = torch.jit.load(os.path.join(OUT, "openai_jit.pt")).float()
    with torch.no_grad():
        own = jit(torch.from_numpy(x)).double()
    own = (own / own.norm(dim=-1, keepdim=True)).numpy()
    assert np.abs(own - e_open).max() < 1e-5, np.abs(own - e_open).max()
    with torch.no_grad():
        cmmd_open = tower(sd_widened, torch.from_numpy(ref["cmmd_input"][None].copy()).double())[0][0].numpy()
    np.savez_compressed(os.path.join(OUT, "openai_reference.npz"), embedding_f64=e_open, cmmd_embedding_f64=cmmd_open)
    print("float16 weights against float32:", np.abs(e_open - ref["embedding_f64"]).max())

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
