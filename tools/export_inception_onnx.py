#!/usr/bin/env python3
"""Turn an Inception-v3 you already have into an ONNX file ganeval reads (docs/inception.md).

ganeval cannot download weights. This script runs where PyTorch and the weights are, and writes one ONNX file:

  input   images  float32 [N, 3, 299, 299], values in [-1, 1]  (ganeval resizes and maps 2x-1 itself, as pytorch-fid)
  output  pool    float32 [N, 2048]   the average-pooled features FID, KID and PRDC use
  output  logits  float32 [N, 1008]   (pytorch-fid's FID network; 1000 for torchvision's) class logits for IS

Sources:
  --source pytorch-fid   the FID Inception of pytorch-fid (pip install pytorch-fid): the network whose features
                         give the FID values papers report. Weights from --weights pt_inception-2015-12-05-6726825d.pth,
                         else pytorch-fid's own download/cache.
  --source torchvision   torchvision's ImageNet Inception-v3: --weights inception_v3_google-0cc3c7bd.pth, else
                         torchvision's download/cache. NOT the FID network: numbers differ from published FIDs.
  --source random        the torchvision architecture with random weights (batch-norm statistics taken from
                         random images): for benchmarks and for testing this script, never for scores.

Then:  ganeval score REAL FAKE --network inception.onnx            (FID on 'pool'; --metrics is reads 'logits')

--check N also writes inception-check.npz with N random inputs and torch's outputs, so the ONNX file can be
compared with PyTorch (docs/inception.md shows how).
"""
import argparse
import inspect
import sys

import numpy as np
import torch
import torch.nn.functional as F


class PoolAndLogits(torch.nn.Module):
    """Runs an Inception-v3 trunk on [-1, 1] inputs of size 299 and returns (pool, logits)."""

    TRUNK = ["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "maxpool1", "Conv2d_3b_1x1", "Conv2d_4a_3x3",
             "maxpool2", "Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d",
             "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c"]

    def __init__(self, net):
        super().__init__()
        missing = [name for name in self.TRUNK + ["fc"] if not hasattr(net, name)]
        if missing:
            sys.exit("export_inception_onnx: the network lacks " + ", ".join(missing)
                     + "; it is not a torchvision-style Inception-v3 (torchvision >= 0.8)")
        self.trunk = torch.nn.Sequential(*[getattr(net, name) for name in self.TRUNK])
        self.fc = net.fc

    def forward(self, images):
        x = self.trunk(images)
        pool = torch.flatten(F.adaptive_avg_pool2d(x, (1, 1)), 1)
        return pool, self.fc(pool)


def load_pytorch_fid(weights):
    try:
        import pytorch_fid.inception as pfi
    except ImportError:
        sys.exit("export_inception_onnx: --source pytorch-fid needs the pytorch-fid package (pip install pytorch-fid)")
    if weights:
        # pytorch-fid fetches its weights through this module-level function; hand it the local file instead.
        pfi.load_state_dict_from_url = lambda *args, **kwargs: torch.load(weights, map_location="cpu")
    return pfi.fid_inception_v3()


def load_torchvision(weights, random_bn=False):
    import torchvision
    net = torchvision.models.inception_v3(weights=None, aux_logits=True, init_weights=True, transform_input=False)
    if weights:
        state = torch.load(weights, map_location="cpu")
        result = net.load_state_dict(state, strict=False)
        unexpected = [k for k in result.unexpected_keys]
        missing = [k for k in result.missing_keys if not k.startswith("AuxLogits.")]
        if missing or unexpected:
            sys.exit("export_inception_onnx: %s does not fit torchvision's Inception-v3 (missing %s, unexpected %s)"
                     % (weights, missing[:5], unexpected[:5]))
    elif not random_bn:
        net = torchvision.models.inception_v3(weights="IMAGENET1K_V1", transform_input=False)
    if random_bn:
        # Batch-norm running statistics from random images, so activations stay O(1) through the random network.
        for m in net.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.reset_running_stats()
                m.momentum = None
        net.train()
        with torch.no_grad():
            for _ in range(4):
                net(torch.rand(8, 3, 299, 299) * 2 - 1)
    return net


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", choices=["pytorch-fid", "torchvision", "random"], required=True)
    p.add_argument("--weights", help="local weights file (.pth)")
    p.add_argument("--out", default="inception.onnx")
    p.add_argument("--opset", type=int, default=13)
    p.add_argument("--seed", type=int, default=0, help="seed of --source random and of --check inputs")
    p.add_argument("--check", type=int, default=0, metavar="N", help="also write <out>-check.npz with N inputs and torch's outputs")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    if a.source == "pytorch-fid":
        net = load_pytorch_fid(a.weights)
    elif a.source == "torchvision":
        net = load_torchvision(a.weights)
    else:
        if a.weights:
            sys.exit("export_inception_onnx: --source random takes no --weights")
        net = load_torchvision(None, random_bn=True)
    model = PoolAndLogits(net).eval()
    example = torch.zeros(1, 3, 299, 299)
    # PyTorch 2.9 made the dynamo-based exporter the default; keep the TorchScript one this script was checked with.
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    torch.onnx.export(model, example, a.out, input_names=["images"], output_names=["pool", "logits"],
                      dynamic_axes={"images": {0: "batch"}, "pool": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=a.opset, do_constant_folding=True, **legacy)
    with torch.no_grad():
        pool, logits = model(example)
    print("wrote %s: images [N,3,299,299] in [-1,1] -> pool %s, logits %s (source %s)"
          % (a.out, list(pool.shape[1:]), list(logits.shape[1:]), a.source))
    if a.check > 0:
        g = torch.Generator().manual_seed(a.seed + 1)
        # Smooth random images (upsampled noise), like natural images more than white noise is.
        x = F.interpolate(torch.rand(a.check, 3, 32, 32, generator=g), size=(299, 299), mode="bilinear",
                          align_corners=False) * 2 - 1
        with torch.no_grad():
            pool, logits = model(x)
        out = a.out[:-5] if a.out.endswith(".onnx") else a.out
        np.savez(out + "-check.npz", images=x.numpy(), pool=pool.numpy(), logits=logits.numpy())
        print("wrote %s-check.npz: %d inputs with torch's pool and logits" % (out, a.check))


if __name__ == "__main__":
    main()
