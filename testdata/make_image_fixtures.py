#!/usr/bin/env python3
"""Writes tiny images in every format the image-folder reader accepts, plus what PIL decodes them to
(images/expected.txt), so the Java decoder is checked against PIL, the library pytorch-fid reads with.

Each line of expected.txt: FILE MODE W H then the 8-bit values, channel-planar (C x H x W), where MODE is
RGB (PIL's convert('RGB')) or L (PIL's convert('L')).
Needs Debian's python3-pil (with WebP support). Run from the repository root:
  python3 testdata/make_image_fixtures.py
"""
import os
import random

from PIL import Image

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "images")
os.makedirs(out, exist_ok=True)
rng = random.Random(20261121)
W, H = 5, 4

rgba = Image.new("RGBA", (W, H))
rgba.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(W * H)])
rgb = rgba.convert("RGB")
gray = Image.new("L", (W, H))
gray.putdata([rng.randrange(256) for _ in range(W * H)])

files = {
    "rgba_lossless.webp": lambda p: rgba.save(p, lossless=True),
    "rgba.png": lambda p: rgba.save(p),
    "rgb.png": lambda p: rgb.save(p),
    "gray.png": lambda p: gray.save(p),
    "rgb.bmp": lambda p: rgb.save(p),
    "rgb.tiff": lambda p: rgb.save(p),
    "rgb.ppm": lambda p: rgb.save(p),
    "gray.pgm": lambda p: gray.save(p),
    "palette.gif": lambda p: rgb.convert("P", palette=Image.ADAPTIVE, colors=16).save(p),
    "rgb_q95.jpg": lambda p: rgb.save(p, quality=95),
}
lines = []
for name, save in files.items():
    path = os.path.join(out, name)
    save(path)
    img = Image.open(path)
    for mode in ("RGB", "L"):
        conv = img.convert(mode)
        bands = conv.split()
        values = [v for band in bands for v in band.getdata()]
        lines.append(" ".join([name, mode, str(W), str(H)] + [str(v) for v in values]))
with open(os.path.join(out, "expected.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
# Lossy WebP, which ganeval refuses (its decoder skips libwebp's fancy chroma upsampling, so its pixels would not be
# PIL's): kept out of expected.txt and out of the folder the reader tests list, in a folder of its own.
lossy = os.path.join(out, "lossy")
os.makedirs(lossy, exist_ok=True)
big = rgb.resize((32, 24), Image.NEAREST)
big.save(os.path.join(lossy, "rgb_q80.webp"), quality=80)
print("fixtures written to", out)
