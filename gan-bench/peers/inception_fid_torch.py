#!/usr/bin/python3
"""pytorch-fid's FID Inception-v3 at its published widths with seeded random weights (testdata/make_inception_reference.py
with divisor 1), saved as a legacy-format .pth like the published file, and PyTorch's time for its features of 50 RGB
32x32 images resized to 299 (bilinear, 2x - 1), THREADS threads (2 by default), median of 3 runs, printed as one JSON line
with the GFLOP of one image (flops.py). The Java side of the same measurement is
dev.ganeval.bench.InceptionThroughput on the files this writes (the checkpoint, and torch.onnx's export of the
same network) (docs/inception.md, "Speed").

Uses Debian's packages: apt-get install python3-torch python3-numpy
Run from the repository root:  /usr/bin/python3 gan-bench/peers/inception_fid_torch.py OUT_DIR
"""
import json, os, sys, time, torch
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "testdata"))
import make_inception_reference as m
import flops  # beside this file
out = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out, exist_ok=True)
torch.set_num_threads(int(os.environ.get("THREADS", "2")))
model = m.randomise(m.FidInception(1), 1).eval()
t = time.time()
torch.save(model.state_dict(), os.path.join(out, "full_legacy.pth"), _use_new_zipfile_serialization=False)
print("saved legacy in %.2f s" % (time.time() - t), file=sys.stderr)
# The same network exported by torch.onnx, for InceptionThroughput to time beside the graph ganeval builds.
class Pool(torch.nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, images):
        out = self.inner(images)
        return out[0] if isinstance(out, (tuple, list)) else out

torch.onnx.export(Pool(model), torch.rand(2, 3, 299, 299), os.path.join(out, "torch_export.onnx"), input_names=["images"],
                  output_names=["pool"], dynamic_axes={"images": {0: "n"}, "pool": {0: "n"}}, opset_version=13)
x = torch.rand(50, 3, 32, 32)


def run(images=x):
    y = torch.nn.functional.interpolate(images, size=(299, 299), mode="bilinear", align_corners=False) * 2 - 1
    return model(y)


with torch.no_grad():
    run()
    times = []
    for _ in range(3):
        t = time.time(); run(); times.append(time.time() - t)
times.sort()
print(json.dumps({"median_ms": times[1] * 1e3, "min_ms": times[0] * 1e3, "max_ms": times[2] * 1e3, "images": 50,
                  "torch": torch.__version__, "gflop_per_image": flops.per_image(run, x[:1])}))
