"""Floating-point operations of one forward pass as PyTorch's own profiler counts them (with_flops=True): the matrix
products and convolutions only (conv2d, mm, addmm, bmm, baddbmm; an element-wise add or multiply is not counted), so
that compare.sh can turn a time into GFLOP/s and set it against the machine's FMA peak (dev.ganeval.bench.FmaPeak)."""
import torch

GEMM_LIKE = {"aten::conv2d", "aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm"}


def per_image(forward, x):
    """GFLOP of forward(x) divided by the batch size x.shape[0]."""
    with torch.inference_mode(), torch.profiler.profile(with_flops=True) as prof:
        forward(x)
    flops = sum(e.flops for e in prof.key_averages() if e.key in GEMM_LIKE and e.flops)
    return flops / x.shape[0] / 1e9
