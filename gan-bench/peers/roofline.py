"""A network's timings against this machine's float32 FMA peak, for compare.sh's `features` and `vit` tables: the
arithmetic PyTorch's profiler counts (flops.py) divided by a time, as GFLOP/s and as a share of the peak that
dev.ganeval.bench.FmaPeak measured, and the best ratio against the peer that the peak allows."""
import json


class Roofline:
    def __init__(self, images, gflop_per_image, peak_file):
        self.n, self.g = images, gflop_per_image
        self.peak = json.load(open(peak_file))["gflops"]

    def rate(self, ms, digits=1):
        """'images/s | GFLOP/s (share of the peak)' for n images in ms milliseconds: two table cells."""
        gflops = self.n * self.g * 1e3 / ms
        return f"{self.n * 1e3 / ms:.{digits}f} | {gflops:.0f} ({100 * gflops / self.peak:.0f} %)"

    def header(self):
        return (f"# {self.g:.2f} GFLOP an image (PyTorch's profiler); this machine's float32 FMA peak on these threads: "
                f"{self.peak:.0f} GFLOP/s (FmaPeak)")

    def best(self, peer_ms):
        at_peak = self.n * self.g / self.peak * 1e3
        return f"# at the peak the pass would take {at_peak:.0f} ms: ratio {at_peak / peer_ms:.2f} at best on this machine"
