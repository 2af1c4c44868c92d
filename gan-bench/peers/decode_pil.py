#!/usr/bin/python3
"""The PIL side of `compare.sh decode`: the images of DIR opened and converted to RGB as pytorch-fid's dataset does
(PIL.Image.open(path).convert('RGB')), then to float32 in [0, 1], on one thread; median / min / max milliseconds of 3
passes after a warm-up pass. Prints one JSON line.

usage: /usr/bin/python3 gan-bench/peers/decode_pil.py DIR
"""
import glob
import json
import os
import sys
import time

import numpy as np
from PIL import Image


def main():
    files = sorted(glob.glob(os.path.join(sys.argv[1], "*.png")))
    times = []
    for _ in range(4):
        start = time.perf_counter()
        for f in files:
            np.asarray(Image.open(f).convert("RGB"), dtype=np.float32) / 255
        times.append((time.perf_counter() - start) * 1000)
    measured = sorted(times[1:])
    print(json.dumps({"median_ms": measured[1], "min_ms": measured[0], "max_ms": measured[2], "images": len(files),
                      "pil": Image.__version__ if hasattr(Image, "__version__") else "?"}))


if __name__ == "__main__":
    main()
