#!/usr/bin/python3
"""The PyTorch side of `compare.sh vit`: DINOv2 at a published size (the hub backbone's architecture and parameter
names, seeded random weights; testdata/make_dinov2_references.py's model) on N preprocessed 224 x 224 inputs, CPU,
float32, THREADS threads. Writes WEIGHTS (the state dict, torch.save) when it is not there, so ganeval reads the same
network. Prints one JSON line: median / min / max milliseconds of the forward pass over 3 runs after a warm-up, and the GFLOP
of one image (flops.py).

usage: /usr/bin/python3 gan-bench/peers/vit_torch.py WEIGHTS.pth vits14|vitb14|vitl14 N
"""
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "testdata"))
from make_dinov2_references import Dino, seeded  # noqa: E402
import flops  # noqa: E402  (beside this file)

SIZES = {"vits14": (384, 12), "vitb14": (768, 12), "vitl14": (1024, 24)}


def main():
    weights, arch, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    torch.set_num_threads(int(os.environ.get("THREADS", "2")))
    d, depth = SIZES[arch]
    model = seeded(Dino(d, depth, False), 2025)
    for b in model.blocks:  # LayerScale near the trained models' magnitude keeps activations finite
        with torch.no_grad():
            b.ls1.gamma.mul_(0.1)
            b.ls2.gamma.mul_(0.1)
    if not os.path.exists(weights):
        torch.save(model.state_dict(), weights)
    else:
        model.load_state_dict(torch.load(weights))
    x = torch.from_numpy(np.random.default_rng(0).normal(size=(n, 3, 224, 224)).astype(np.float32))
    times = []
    with torch.inference_mode():
        model(x)
        for _ in range(3):
            t = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    print(json.dumps({"median_ms": times[1], "min_ms": times[0], "max_ms": times[2], "images": n, "arch": arch,
                      "torch": torch.__version__, "gflop_per_image": flops.per_image(model, x[:1])}))


if __name__ == "__main__":
    main()
