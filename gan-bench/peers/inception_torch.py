#!/usr/bin/python3
"""PyTorch CPU forward of the same Inception-v3 as FeatureBenchmark.inception: tools/export_inception_onnx.py
--source random --seed 0 builds identical weights. 100 RGB 32x32 images, pytorch-fid's preprocessing (bilinear
resize to 299, align_corners=False, 2x - 1), batches of 50, pool features. Prints one JSON object of timings."""
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

root = sys.argv[1]
sys.path.insert(0, os.path.join(root, "tools"))
import export_inception_onnx as tool  # noqa: E402

threads = int(os.environ.get("THREADS", "2"))
torch.set_num_threads(threads)
torch.manual_seed(0)
model = tool.PoolAndLogits(tool.load_torchvision(None, random_bn=True)).eval()
images = torch.rand(100, 3, 32, 32, generator=torch.Generator().manual_seed(5))


def run():
    out = []
    with torch.no_grad():
        for b in range(0, 100, 50):
            x = F.interpolate(images[b:b + 50], size=(299, 299), mode="bilinear", align_corners=False) * 2 - 1
            out.append(model(x)[0])
    return torch.cat(out)


run()
times = []
for _ in range(int(os.environ.get("REPS", "5"))):
    t = time.perf_counter()
    run()
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(json.dumps({"median_ms": times[len(times) // 2], "min_ms": times[0], "max_ms": times[-1],
                  "torch": torch.__version__, "threads": threads}))
