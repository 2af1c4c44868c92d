#!/usr/bin/python3
"""Small PyTorch checkpoints written by torch.save itself, for gan-core's TorchCheckpoint reader, with the values
they hold in .npz files so the Java tests compare them bit for bit. Writes testdata/torch/:

  dtypes_{legacy,zip}.pt      float32, float64, float16, bfloat16 and int64 tensors (NaN, infinities, -0.0,
                              subnormals, the largest half), plus an nn.Parameter (torch._utils._rebuild_parameter)
  views_{legacy,zip}.pt       views of shared storages: a transposed matrix, a 2-d slice with an offset, a stepped
                              slice, a flat slice with an offset, two names for one tensor, an expanded (stride 0) row
  scalars_{legacy,zip}.pt     an int64 0-d tensor (BatchNorm's num_batches_tracked), a float 0-d tensor, empty
                              tensors of shapes (0,) and (2, 0)
  nested_zip.pt               {"state_dict": <the views state dict>, "epoch": 3}: a training checkpoint
  torch2_records_zip.pt       dtypes_zip.pt under the folder "archive" with the records torch 2 adds (byteorder
                              "little", .format_version, .storage_alignment, .data/serialization_id)
  deflated_zip.pt             views_zip.pt under the folder "weights", every entry deflated
  big_endian_zip.pt           scalars_zip.pt with a byteorder record "big" (to be refused: its bytes are little-endian)
  protocol4_zip.pt            the dtypes state dict pickled with protocol 4 (FRAME, MEMOIZE, SHORT_BINUNICODE ...)
  rebuild_v3_zip.pt           the form newer torch writes for dtypes without a typed storage class:
                              torch._utils._rebuild_tensor_v3 over a torch.storage.UntypedStorage with a dtype global
                              (torch 1.13 lacks _rebuild_tensor_v3, so the script supplies one to write and check it)
  storage_view_legacy.pt      the pre-1.0 legacy form of a storage view: the persistent id's sixth element
                              (view key, offset, size) names a slice of another storage
  os_system_{legacy,zip}.pt   a state dict with a value that pickles as a call of os.system (global posix.system)
  custom_class_{legacy,zip}.pt a state dict with an instance of a class of this script (global __main__.Custom)
  <name>.npz                  the expected values of dtypes, views, scalars, rebuild_v3 and storage_view, keyed by
                              the state dict's names: float32, float16 and bfloat16 tensors widened to float32 by
                              torch (exact), float64 as float64, int64 as int64

"legacy" files are torch.save(..., _use_new_zipfile_serialization=False), "zip" files torch.save's default format.
A rerun writes the same bytes but for the legacy files' storage keys (torch names them by memory address).
Every file is read back with torch.load before it is kept (the hostile ones only with torch's weights_only=True
refusal checked where this torch has it), so the fixtures are what torch writes and reads.

Uses Debian's packages:  apt-get install python3-torch python3-numpy
Run from the repository root:  /usr/bin/python3 testdata/make_torch_checkpoints.py
"""
import collections
import io
import os
import pickle
import struct
import sys
import zipfile

import numpy as np
import torch
import torch._utils

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch")
os.makedirs(out, exist_ok=True)


def save_both(obj, name, **kwargs):
    torch.save(obj, os.path.join(out, name + "_zip.pt"), **kwargs)
    torch.save(obj, os.path.join(out, name + "_legacy.pt"), _use_new_zipfile_serialization=False, **kwargs)


def expected(state, name):
    arrays = {}
    for key, t in state.items():
        t = t.detach()
        if t.dtype in (torch.float16, torch.bfloat16):
            t = t.float()
        arrays[key] = t.contiguous().numpy()
    np.savez(os.path.join(out, name + ".npz"), **arrays)


def same(a, b):
    """Equal dtype, shape and bits (NaN payloads included)."""
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype == torch.bfloat16 or a.dtype == torch.float16:
        return torch.equal(a.view(torch.int16), b.view(torch.int16))
    if a.dtype == torch.float32:
        return torch.equal(a.view(torch.int32), b.view(torch.int32))
    if a.dtype == torch.float64:
        return torch.equal(a.view(torch.int64), b.view(torch.int64))
    return torch.equal(a, b)


def check(name, state):
    back = torch.load(os.path.join(out, name))
    if "state_dict" in back and not isinstance(back["state_dict"], torch.Tensor):
        back = back["state_dict"]
    assert list(back.keys()) == list(state.keys()), name
    for key in state:
        assert same(back[key].detach(), state[key].detach()), (name, key)


# --- every dtype ---------------------------------------------------------------------------------------------------
specials = [0.0, -0.0, 1.0, -2.5, float("inf"), float("-inf"), float("nan"), 1e-3, 3.0e-8, 65504.0, 1e30, -7.0]
dtypes = collections.OrderedDict()
dtypes["layer.float32"] = torch.tensor(specials, dtype=torch.float32).reshape(3, 4)
dtypes["layer.float64"] = torch.tensor(specials + [2.0 ** -1074, 1.0 / 3.0], dtype=torch.float64).reshape(2, 7)
dtypes["layer.float16"] = torch.tensor(specials, dtype=torch.float16).reshape(4, 3)
dtypes["layer.float16_subnormal"] = torch.tensor([2.0 ** -24, 2.0 ** -14 - 2.0 ** -24, -(2.0 ** -20)],
                                                 dtype=torch.float16)
dtypes["layer.bfloat16"] = torch.tensor(specials, dtype=torch.bfloat16).reshape(2, 2, 3)
dtypes["layer.int64"] = torch.tensor([0, 1, -1, 2 ** 62, -(2 ** 63), 2 ** 63 - 1], dtype=torch.int64)
torch.manual_seed(0)
dtypes["Conv2d_1a_3x3.conv.weight"] = torch.nn.Parameter(torch.randn(2, 1, 3, 3))
save_both(dtypes, "dtypes")
expected(dtypes, "dtypes")
torch.save(dtypes, os.path.join(out, "protocol4_zip.pt"), pickle_protocol=4)

# --- views of shared storages -------------------------------------------------------------------------------------
base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 8
flat = torch.arange(10, dtype=torch.float64) - 4.5
row = torch.tensor([1.5, -2.0, 4.0])
views = collections.OrderedDict()
views["base"] = base
views["transposed"] = base.t()                   # shape (6, 4), stride (1, 6)
views["block"] = base[1:3, 2:5]                  # offset 8, stride (6, 1)
views["stepped"] = base[::2, 1::2]               # offset 1, stride (12, 2)
views["flat_slice"] = flat[3:7]                  # offset 3, contiguous
views["flat"] = flat
views["alias"] = base                            # the same tensor under a second name
views["expanded"] = row.expand(2, 3)             # stride (0, 1)
save_both(views, "views")
expected(views, "views")
for fmt in ("legacy", "zip"):
    check("views_%s.pt" % fmt, views)

# --- 0-d and empty tensors -----------------------------------------------------------------------------------------
scalars = collections.OrderedDict()
scalars["bn.num_batches_tracked"] = torch.tensor(7)
scalars["temperature"] = torch.tensor(0.125)
scalars["empty"] = torch.zeros(0)
scalars["empty_2x0"] = torch.zeros(2, 0, dtype=torch.float64)
save_both(scalars, "scalars")
expected(scalars, "scalars")
for name, state in (("dtypes", dtypes), ("scalars", scalars)):
    for fmt in ("legacy", "zip"):
        check("%s_%s.pt" % (name, fmt), state)
check("protocol4_zip.pt", dtypes)

torch.save({"state_dict": views, "epoch": 3}, os.path.join(out, "nested_zip.pt"))
check("nested_zip.pt", views)


# --- _rebuild_tensor_v3 over an UntypedStorage ---------------------------------------------------------------------
def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype, metadata=None):
    t = torch.empty((0,), dtype=dtype)
    t.set_(storage._storage if hasattr(storage, "_storage") else storage, storage_offset, size, stride)
    return t


_rebuild_tensor_v3.__module__ = "torch._utils"
if not hasattr(torch._utils, "_rebuild_tensor_v3"):
    torch._utils._rebuild_tensor_v3 = _rebuild_tensor_v3


class V3(object):
    """Pickles its tensor the way torch 2 pickles a tensor of a dtype without a typed storage class."""

    def __init__(self, t):
        self.t = t

    def __reduce__(self):
        t = self.t
        return (torch._utils._rebuild_tensor_v3,
                (t.storage().untyped(), t.storage_offset(), tuple(t.size()), t.stride(), False,
                 collections.OrderedDict(), t.dtype))


v3 = collections.OrderedDict()
v3["v3.float32"] = base[1:, ::2]
v3["v3.int64"] = torch.tensor([[5, -6], [7, 2 ** 40]])
v3["v3.float16"] = torch.tensor([0.5, -1.0, 65504.0], dtype=torch.float16)
torch.save(collections.OrderedDict((k, V3(t)) for k, t in v3.items()), os.path.join(out, "rebuild_v3_zip.pt"))
expected(v3, "rebuild_v3")
check("rebuild_v3_zip.pt", v3)

# --- the legacy storage view (sixth element of the persistent id), written by hand --------------------------------
MAGIC_NUMBER = 0x1950a86a20f9469cfc6c
root = torch.arange(12, dtype=torch.float32) * 0.5


class StorageView(object):
    def __init__(self, offset, size):
        self.offset, self.size = offset, size


class ViewTensor(object):
    def __init__(self, view, offset, shape, stride):
        self.args = (view, offset, shape, stride, False, collections.OrderedDict())

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, self.args)


class ViewPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, StorageView):
            return ("storage", torch.FloatStorage, "root", "cpu", 12, ("view%d" % obj.offset, obj.offset, obj.size))
        return None


with open(os.path.join(out, "storage_view_legacy.pt"), "wb") as f:
    for head in (MAGIC_NUMBER, 1001, dict(protocol_version=1001, little_endian=True,
                                          type_sizes=dict(short=2, int=4, long=4))):
        pickle.dump(head, f, protocol=2)
    ViewPickler(f, protocol=2).dump(collections.OrderedDict([
        ("tail", ViewTensor(StorageView(4, 8), 1, (2, 3), (3, 1))),   # root elements 5..10
        ("head", ViewTensor(StorageView(0, 4), 0, (4,), (1,))),        # root elements 0..3
    ]))
    pickle.dump(["root"], f, protocol=2)
    f.write(struct.pack("<q", 12))
    f.write(root.numpy().astype("<f4").tobytes())
storage_view = collections.OrderedDict([("tail", root[5:11].reshape(2, 3)), ("head", root[0:4])])
expected(storage_view, "storage_view")
check("storage_view_legacy.pt", storage_view)


# --- zip archives as other writers lay them out ----------------------------------------------------------------------
def rewrite(src, dst, folder, extra, compression=zipfile.ZIP_STORED):
    """src's entries under another archive folder, plus extra records, optionally deflated."""
    with zipfile.ZipFile(os.path.join(out, src)) as zin, \
            zipfile.ZipFile(os.path.join(out, dst), "w", compression) as zout:
        old = zin.namelist()[0].split("/")[0]
        for name in zin.namelist():
            zout.writestr(folder + name[len(old):], zin.read(name))
        for name, data in extra.items():
            zout.writestr(folder + "/" + name, data)


# the records torch 2 adds, under the folder name torch 2 uses for file objects
rewrite("dtypes_zip.pt", "torch2_records_zip.pt", "archive", {"byteorder": b"little", ".format_version": b"1",
                                                               ".storage_alignment": b"64",
                                                               ".data/serialization_id": b"0123456789"})
check("torch2_records_zip.pt", dtypes)
rewrite("views_zip.pt", "deflated_zip.pt", "weights", {}, zipfile.ZIP_DEFLATED)
check("deflated_zip.pt", views)
rewrite("scalars_zip.pt", "big_endian_zip.pt", "archive", {"byteorder": b"big"})

# --- disallowed globals ----------------------------------------------------------------------------------------------
class Evil(object):
    def __reduce__(self):
        return (os.system, ("echo this checkpoint ran a shell command",))


class Custom(object):
    def __init__(self):
        self.note = "an object of a class only this script defines"


hostile = {
    "os_system": (collections.OrderedDict([("weight", torch.ones(2)), ("evil", Evil())]), "posix.system"),
    "custom_class": (collections.OrderedDict([("weight", torch.ones(2)), ("custom", Custom())]), "__main__.Custom"),
}
for name, (state, refused) in hostile.items():
    save_both(state, name)
    for fmt in ("legacy", "zip"):
        try:
            torch.load(os.path.join(out, "%s_%s.pt" % (name, fmt)), weights_only=True)
        except TypeError:
            break  # this torch has no weights_only
        except pickle.UnpicklingError as e:  # weights_only refuses the global by name: so must the Java reader
            assert refused in str(e), e
        else:
            raise AssertionError("torch's weights_only accepted " + name)

for f in sorted(os.listdir(out)):
    print("%6d  %s" % (os.path.getsize(os.path.join(out, f)), f))
print("torch", torch.__version__, "python", sys.version.split()[0])
