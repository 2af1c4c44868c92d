#!/usr/bin/python3
"""The PyTorch side of `NET=clip compare.sh vit`: CLIP ViT-L/14@336's image tower (Hugging Face's names, seeded random
weights; testdata/make_clip_references.py's tower at the published size: width 1024, 24 layers, patch 14, 336 px,
projection 768) on N preprocessed 336 x 336 inputs, CPU, float32, THREADS threads. Writes WEIGHTS (torch.save) when it
is not there, so ganeval reads the same network. Prints one JSON line: median / min / max ms over 3 runs after a warm-up, and the
GFLOP of one image (flops.py).

usage: /usr/bin/python3 gan-bench/peers/clip_torch.py WEIGHTS.pth N
"""
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "testdata"))
import make_clip_references as clip  # noqa: E402
import flops  # noqa: E402  (beside this file)


def main():
    weights, n = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(int(os.environ.get("THREADS", "2")))
    clip.D, clip.LAYERS, clip.PATCH, clip.SIZE, clip.EMBED = 1024, 24, 14, 336, 768
    if os.path.exists(weights):
        sd = torch.load(weights)
    else:
        sd = clip.state_dict(2025)
        torch.save(sd, weights)
    x = torch.from_numpy(np.random.default_rng(0).normal(size=(n, 3, 336, 336)).astype(np.float32))
    times = []
    with torch.inference_mode():
        clip.tower(sd, x)
        for _ in range(3):
            t = time.perf_counter()
            clip.tower(sd, x)
            times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    print(json.dumps({"median_ms": times[1], "min_ms": times[0], "max_ms": times[2], "images": n, "arch": "clip-vitl14-336",
                      "torch": torch.__version__, "gflop_per_image": flops.per_image(lambda t: clip.tower(sd, t), x[:1])}))


if __name__ == "__main__":
    main()
