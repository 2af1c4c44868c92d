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

# A larger image (45 x 29: partial 16 x 16 JPEG blocks, odd sizes for chroma subsampling) saved in every variant of
# each format a user's folder may hold, with what PIL's convert('RGB') and convert('L') make of it in
# images_formats_pil.npz (keys FILE/RGB and FILE/L, uint8, C x H x W). The JPEG variants cover libjpeg's chroma
# upsampling (4:4:4, 4:2:2, 4:2:0, 4:4:0, 4:1:1), progressive, arithmetic-coded, restart markers, gray and CMYK;
# cjpeg (Debian's libjpeg-turbo-progs) writes those PIL cannot.
import shutil
import struct
import subprocess
import tempfile
import zlib

import numpy as np

formats = os.path.join(out, "formats")
shutil.rmtree(formats, ignore_errors=True)
os.makedirs(formats)
nrng = np.random.default_rng(20261203)
FW, FH = 45, 29
yy, xx = np.mgrid[0:FH, 0:FW]
smooth = np.stack([128 + 100 * np.sin(xx / 7.0 + yy / 11.0), 128 + 90 * np.cos(xx / 5.0 - yy / 9.0),
                   (xx * 5 + yy * 7) % 256], -1)
pixels = np.clip(smooth + nrng.normal(0, 12, (FH, FW, 3)), 0, 255).astype(np.uint8)
photo = Image.fromarray(pixels)


def png16(path, arr):
    """A 16-bit PNG (PIL cannot write 16-bit RGB): colour type 2 or 6, big-endian samples, no filter."""
    h, w, c = arr.shape
    raw = b"".join(b"\x00" + arr[r].astype(">u2").tobytes() for r in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", w, h, 16, 2 if c == 3 else 6, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def tiff16(path, arr):
    """An uncompressed little-endian 16-bit RGB TIFF (PIL cannot write one): one strip, chunky samples."""
    h, w, _ = arr.shape
    data = arr.astype("<u2").tobytes()
    tags = [(256, 3, 1, w), (257, 3, 1, h), (258, 3, 3, 8 + 2 + 13 * 12 + 4), (259, 3, 1, 1), (262, 3, 1, 2),
            (273, 4, 1, 8 + 2 + 13 * 12 + 4 + 6), (277, 3, 1, 3), (278, 3, 1, h), (279, 4, 1, len(data)),
            (282, 5, 1, 0), (283, 5, 1, 0), (284, 3, 1, 1), (296, 3, 1, 1)]
    at = 8 + 2 + len(tags) * 12 + 4
    bits = struct.pack("<3H", 16, 16, 16)
    resolution = at + 6 + len(data)
    ifd = b"".join(struct.pack("<HHI", t, k, n) + (struct.pack("<HH", v, 0) if k == 3 and n == 1 else
                   struct.pack("<I", resolution if t == 282 else resolution + 8 if t == 283 else v)) for t, k, n, v in tags)
    with open(path, "wb") as f:
        f.write(b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", len(tags)) + ifd + struct.pack("<I", 0) + bits + data
                + struct.pack("<4I", 72, 1, 72, 1))


wide = pixels.astype(np.uint16) * 257 + nrng.integers(0, 257, pixels.shape).astype(np.uint16)
variants = {
    "jpeg_444_q90.jpg": lambda p: photo.save(p, quality=90, subsampling=0),
    "jpeg_422_q90.jpg": lambda p: photo.save(p, quality=90, subsampling=1),
    "jpeg_420_q75.jpg": lambda p: photo.save(p, quality=75, subsampling=2),
    "jpeg_420_q95.jpg": lambda p: photo.save(p, quality=95),
    "jpeg_progressive.jpg": lambda p: photo.save(p, quality=85, progressive=True),
    "jpeg_optimized.jpeg": lambda p: photo.save(p, quality=80, optimize=True),
    "jpeg_gray.jpg": lambda p: photo.convert("L").save(p, quality=85),
    "jpeg_cmyk.jpg": lambda p: photo.convert("CMYK").save(p, quality=90),
    "png_palette_transparent.png": lambda p: photo.convert("P", palette=Image.ADAPTIVE, colors=64).save(p, transparency=3),
    "png_gray_alpha.png": lambda p: photo.convert("LA").save(p),
    "png_bilevel.png": lambda p: photo.convert("1").save(p),
    "png_rgb16.png": lambda p: png16(p, wide),
    "png_rgba16.png": lambda p: png16(p, np.concatenate([wide, nrng.integers(0, 65536, (FH, FW, 1))], -1)),
    "tiff_rgb16.tiff": lambda p: tiff16(p, wide),
    "tiff_lzw.tif": lambda p: photo.save(p, compression="tiff_lzw"),
    "tiff_deflate.tiff": lambda p: photo.save(p, compression="tiff_adobe_deflate"),
    "tiff_jpeg.tiff": lambda p: photo.save(p, compression="jpeg"),
    "tiff_rgba.tiff": lambda p: photo.convert("RGBA").save(p),
    "bmp_rgba.bmp": lambda p: photo.convert("RGBA").save(p),
    "bmp_palette.bmp": lambda p: photo.convert("P").save(p),
    "bmp_bilevel.bmp": lambda p: photo.convert("1").save(p),
    "gif_rgb.gif": lambda p: photo.save(p),
    "webp_lossless.webp": lambda p: photo.save(p, lossless=True),
    "ppm_16bit.ppm": lambda p: open(p, "wb").write(b"P6\n%d %d\n65535\n" % (FW, FH) + wide.astype(">u2").tobytes()),
}
with tempfile.TemporaryDirectory() as tmp:
    ppm = os.path.join(tmp, "photo.ppm")
    photo.save(ppm)
    for sample in ("1x2", "4x1"):
        variants["jpeg_%s.jpg" % sample.replace("x", "")] = (
            lambda p, s=sample: subprocess.run(["cjpeg", "-quality", "85", "-sample", s, "-outfile", p, ppm], check=True))
    variants["jpeg_arithmetic.jpg"] = (
        lambda p: subprocess.run(["cjpeg", "-quality", "85", "-arithmetic", "-outfile", p, ppm], check=True))
    variants["jpeg_restart.jpg"] = (
        lambda p: subprocess.run(["cjpeg", "-quality", "85", "-restart", "1", "-outfile", p, ppm], check=True))
    variants["jpeg_rgb_colourspace.jpg"] = (
        lambda p: subprocess.run(["cjpeg", "-quality", "85", "-rgb", "-outfile", p, ppm], check=True))
    decoded = {}
    for name, save in variants.items():
        path = os.path.join(formats, name)
        save(path)
        img = Image.open(path)
        for mode in ("RGB", "L"):
            conv = np.asarray(img.convert(mode))
            decoded[name + "/" + mode] = (conv.transpose(2, 0, 1) if conv.ndim == 3 else conv[None]).astype(np.uint8)
np.savez_compressed(os.path.join(out, "formats_pil.npz"), **decoded)
print(len(variants), "format variants written to", formats)
