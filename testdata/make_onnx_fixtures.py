#!/usr/bin/env python3
"""A tiny DCGAN-style generator exported by PyTorch, to test that ganeval samples ONNX generators it did not write.

noise [N, 8, 1, 1] -> ConvTranspose2d(8, 4, 4) -> ReLU -> ConvTranspose2d(4, 3, 4, stride 2, padding 1) -> tanh
gives [N, 3, 8, 8] images in [-1, 1]. Writes onnx/dcgan-tiny.onnx and onnx/dcgan-tiny.npz (z and torch's x).

Also onnx/avgpool-pad.onnx (+ .npz): Inception's padded 3x3 average pooling (count_include_pad=True, exported as
Pad + AveragePool), which ONNX Runtime 1.19's Pad fusion got wrong (microsoft/onnxruntime#22177) and moved
Inception features by up to 25 %.

Run with Debian's python3 (python3-torch 1.13): /usr/bin/python3 testdata/make_onnx_fixtures.py
"""
import os

import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "onnx")
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
net = torch.nn.Sequential(
    torch.nn.ConvTranspose2d(8, 4, 4), torch.nn.ReLU(),
    torch.nn.ConvTranspose2d(4, 3, 4, stride=2, padding=1), torch.nn.Tanh()).eval()
z = torch.randn(5, 8, 1, 1)
with torch.no_grad():
    x = net(z)
torch.onnx.export(net, z, os.path.join(out, "dcgan-tiny.onnx"), input_names=["z"], output_names=["images"],
                  dynamic_axes={"z": {0: "batch"}, "images": {0: "batch"}}, opset_version=13)
np.savez(os.path.join(out, "dcgan-tiny.npz"), z=z.numpy(), x=x.numpy())
print("wrote", out, tuple(x.shape))


class PadPool(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(2, 3, 3)

    def forward(self, x):
        return torch.nn.functional.avg_pool2d(self.conv(x), kernel_size=3, stride=1, padding=1)


pool = PadPool().eval()
x = torch.rand(2, 2, 7, 7) * 2 - 1
with torch.no_grad():
    y = pool(x)
torch.onnx.export(pool, x, os.path.join(out, "avgpool-pad.onnx"), input_names=["x"], output_names=["y"],
                  dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=13)
np.savez(os.path.join(out, "avgpool-pad.npz"), x=x.numpy(), y=y.numpy())
