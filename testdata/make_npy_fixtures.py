#!/usr/bin/env python3
"""Writes the small .npy/.npz fixtures under testdata/npy with numpy itself, so the Java reader is
checked against files numpy produced, not against its own writer.

Every array holds values the Java tests can recompute: arange(size) reshaped, cast to the dtype.
Run from the repository root:  python3 testdata/make_npy_fixtures.py
"""
import io
import os
import zipfile

import numpy as np
from numpy.lib import format as npformat

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "npy")
os.makedirs(out, exist_ok=True)


def arange(shape, dtype):
    return np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape).astype(dtype)


np.save(os.path.join(out, "f4_2x3.npy"), arange((2, 3), "<f4") / 4)
np.save(os.path.join(out, "f8_4.npy"), arange((4,), "<f8") - 1.5)
np.save(os.path.join(out, "u1_2x2x3.npy"), arange((2, 2, 3), "|u1"))
np.save(os.path.join(out, "i4_3x2.npy"), arange((3, 2), "<i4") - 3)
np.save(os.path.join(out, "i8_5.npy"), arange((5,), "<i8") * 1000)
np.save(os.path.join(out, "f4_scalar.npy"), np.float32(2.5))
np.save(os.path.join(out, "f4_0x3.npy"), np.zeros((0, 3), "<f4"))

# Format versions 2.0 and 3.0 are written only when asked for.
for version in ((2, 0), (3, 0)):
    with open(os.path.join(out, "f4_2x3_v%d.npy" % version[0]), "wb") as f:
        a = arange((2, 3), "<f4") / 4
        npformat.write_array(f, a, version=version)

# Read into little-endian C order: Fortran order (what np.save(f, a.T) writes), big-endian, both at once.
np.save(os.path.join(out, "fortran_2x3.npy"), np.asfortranarray(arange((2, 3), "<f4")))
np.save(os.path.join(out, "bigendian_2x3.npy"), arange((2, 3), ">f4"))
np.save(os.path.join(out, "fortran_transposed_3x2.npy"), arange((2, 3), "<f8").T)
np.save(os.path.join(out, "fortran_bigendian_2x3x4.npy"), np.asfortranarray(arange((2, 3, 4), ">i8") - 7))
np.save(os.path.join(out, "bigendian_i4_5.npy"), arange((5,), ">i4") * -3)
# float16: every one of the 65,536 bit patterns, and numpy's float32 of each (the reference for the widening).
halves = np.arange(65536, dtype="<u2").view("<f2")
np.savez_compressed(os.path.join(out, "f2_all.npz"), half=halves.reshape(256, 256),
                    single=halves.astype("<f4").reshape(256, 256))
np.save(os.path.join(out, "f2_bigendian_2x3.npy"), np.asfortranarray(arange((2, 3), ">f2") / 8))
# Rejected: a dtype the reader does not take.
np.save(os.path.join(out, "complex_2.npy"), np.array([1 + 2j, 3], dtype="<c8"))

# .npz: stored (np.savez, which numpy writes with zip64 local headers) and deflated (savez_compressed).
mu = np.linspace(-1, 1, 5)
sigma = np.eye(5) * 2 + 0.25
np.savez(os.path.join(out, "stats_stored.npz"), mu=mu, sigma=sigma)
np.savez_compressed(os.path.join(out, "stats_deflated.npz"), mu=mu, sigma=sigma)

# An archive whose central directory is zip64 too (what a >4 GiB archive looks like), written with
# Python's zipfile forcing zip64 records on a small entry.
buf = io.BytesIO()
np.save(buf, arange((3, 4), "<f8"))
with zipfile.ZipFile(os.path.join(out, "zip64_forced.npz"), "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as z:
    with z.open("x.npy", "w", force_zip64=True) as entry:
        entry.write(buf.getvalue())
print("fixtures written to", out)
