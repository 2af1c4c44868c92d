#!/usr/bin/python3
"""Reference trajectory for gan-core's Adam: torch.optim.Adam (Debian's python3-torch, float32) on one parameter
vector, fed a fixed sequence of gradients, with the learning rate set before each step to ganeval's schedule
(initial rate divided by `decay` once per update done, never below `floor`). Writes testdata/reference/adam.npz:
the settings, the starting values, the gradients (steps x n) and the values after every step (steps x n).

Uses Debian's packages:  apt-get install python3-torch python3-numpy
Run from the repository root:  /usr/bin/python3 testdata/make_adam_reference.py
"""
import os

import numpy as np
import torch

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261123)

n, steps = 64, 40
lr, decay, floor = 0.01, 1.05, 0.004
beta1, beta2, eps = 0.5, 0.999, 1e-8
start = rng.standard_normal(n).astype(np.float32)
# Gradients of mixed scale and sign, some exactly zero, so the moments' bias corrections and epsilon both matter.
grads = (rng.standard_normal((steps, n)) * rng.choice([1e-3, 1.0, 30.0], size=(steps, n))).astype(np.float32)
grads[:, :4] = 0

p = torch.nn.Parameter(torch.from_numpy(start.copy()))
opt = torch.optim.Adam([p], lr=lr, betas=(beta1, beta2), eps=eps)
after = np.empty((steps, n), dtype=np.float32)
for t in range(steps):
    for group in opt.param_groups:
        group["lr"] = max(floor, lr / decay ** t)
    p.grad = torch.from_numpy(grads[t].copy())
    opt.step()
    after[t] = p.detach().numpy()

np.savez(os.path.join(out, "adam.npz"), settings=np.array([lr, decay, floor, beta1, beta2, eps]), start=start,
         grads=grads, after=after)
print("wrote adam.npz with torch", torch.__version__)
