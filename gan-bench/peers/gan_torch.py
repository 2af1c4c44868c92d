#!/usr/bin/python3
"""One training epoch of the 2014 MNIST GAN in PyTorch (CPU), the same architecture, batch sizes and update
rule as ganeval's GanTrainer: G 100-1200-1200-784 (ReLU, sigmoid), D maxout 240x5 twice with dropout
(keep 0.8 on pixels, 0.5 on hidden), 100 real + 100 fake per step, non-saturating G loss through the same
D pass, one simultaneous SGD step with momentum. Prints one JSON line: seconds per epoch for each epoch."""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

threads = int(os.environ.get("THREADS", "2"))
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
torch.set_num_threads(threads)
torch.manual_seed(1)
data_dir = sys.argv[1]
with open(os.path.join(data_dir, "train-images-idx3-ubyte"), "rb") as f:
    x = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784)[:50000].astype(np.float32) / 255
x = torch.from_numpy(x)


class Maxout(nn.Module):
    def __init__(self, d_in, units, pieces):
        super().__init__()
        self.lin = nn.Linear(d_in, units * pieces)
        self.units, self.pieces = units, pieces

    def forward(self, h):
        return self.lin(h).view(-1, self.units, self.pieces).max(dim=2).values


G = nn.Sequential(nn.Linear(100, 1200), nn.ReLU(), nn.Linear(1200, 1200), nn.ReLU(), nn.Linear(1200, 784), nn.Sigmoid())
D = nn.Sequential(nn.Dropout(0.2), Maxout(784, 240, 5), nn.Dropout(0.5), Maxout(240, 240, 5), nn.Dropout(0.5), nn.Linear(240, 1))
opt = torch.optim.SGD(list(G.parameters()) + list(D.parameters()), lr=0.1, momentum=0.5)
ones = torch.ones(100, 1)
zeros = torch.zeros(100, 1)
times = []
for epoch in range(epochs):
    t = time.perf_counter()
    perm = torch.randperm(len(x))
    for k in range(len(x) // 100):
        real = x[perm[k * 100:(k + 1) * 100]]
        opt.zero_grad()
        z = (torch.rand(100, 100) * 2 - 1) * 3 ** 0.5
        fake = G(z)
        lf = D(fake)
        g_loss = F.binary_cross_entropy_with_logits(lf, ones)
        d_params = list(D.parameters())
        g_grads = torch.autograd.grad(g_loss, list(G.parameters()), retain_graph=True)
        d_loss = 0.5 * (F.binary_cross_entropy_with_logits(lf, zeros) + F.binary_cross_entropy_with_logits(D(real), ones))
        d_grads = torch.autograd.grad(d_loss, d_params)
        for p, g in zip(G.parameters(), g_grads):
            p.grad = g
        for p, g in zip(d_params, d_grads):
            p.grad = g
        opt.step()
    times.append(time.perf_counter() - t)
print(json.dumps({"torch": torch.__version__, "threads": threads, "epoch_seconds": times}), flush=True)
