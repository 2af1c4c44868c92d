#!/usr/bin/python3
"""PyTorch's WGAN-GP critic (Gulrajani et al. 2017, the algorithm of their code) on a small translation problem, so
ganeval's `wgan` metric (WassersteinCritic) is compared with it on the same data, architecture, settings and step count.

The critic: a ReLU MLP d -> WIDTH (x DEPTH) -> 1, torch.nn.Linear's default initialisation; each side split in halves
(the first half trains, the second is scored); STEPS updates of Adam (lr 1e-4, betas (0, 0.9)) on
mean f(fake) - mean f(real) + LAMBDA * mean (|grad f(x_hat)| - 1)^2, minibatches of BATCH rows a side drawn with
replacement, x_hat = e x + (1 - e) x_fake with e uniform per row; the gradient penalty through
torch.autograd.grad(create_graph=True). The estimate is mean f(real) - mean f(fake) on the held-out halves, with the
standard error of that difference of means.

Data: real ~ N(0, I_8), fake ~ N(a, I_8) with |a| = 0.5 (W1 = 0.5), 4,000 rows a side, seeded numpy.

Writes testdata/wgan/reference.npz: real, fake [4000, 8] float32 (torch trains on rows 0-1999 of each and scores the
rest; WassersteinCriticTest gives ganeval the same split),
shift [8], torch_estimate, torch_standard_error, and the settings (width, depth, batch, steps, lam).

Run (Debian: apt-get install python3-torch python3-numpy):  /usr/bin/python3 testdata/make_wgan_references.py
"""
import os
import time

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wgan")
WIDTH, DEPTH, BATCH, STEPS, LAM, LR = 256, 2, 256, 2000, 10.0, 1e-4


def critic(d, width, depth):
    layers, inp = [], d
    for _ in range(depth):
        layers += [torch.nn.Linear(inp, width), torch.nn.ReLU()]
        inp = width
    layers.append(torch.nn.Linear(inp, 1))
    return torch.nn.Sequential(*layers)


def train(real_train, fake_train, width=WIDTH, depth=DEPTH, batch=BATCH, steps=STEPS, lam=LAM, lr=LR, seed=0):
    """The trained critic; real_train and fake_train are float32 tensors [n, d]."""
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    f = critic(real_train.shape[1], width, depth)
    opt = torch.optim.Adam(f.parameters(), lr=lr, betas=(0.0, 0.9))
    for _ in range(steps):
        xr = real_train[torch.randint(len(real_train), (batch,), generator=g)]
        xf = fake_train[torch.randint(len(fake_train), (batch,), generator=g)]
        e = torch.rand(batch, 1, generator=g)
        xh = (e * xr + (1 - e) * xf).requires_grad_(True)
        grad = torch.autograd.grad(f(xh).sum(), xh, create_graph=True)[0]
        loss = f(xf).mean() - f(xr).mean() + lam * ((grad.norm(dim=1) - 1) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return f


def held_out(f, real_test, fake_test):
    with torch.no_grad():
        a = f(real_test)[:, 0].double()
        b = f(fake_test)[:, 0].double()
    return (a.mean() - b.mean()).item(), (a.var() / len(a) + b.var() / len(b)).sqrt().item()


def main():
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(28)
    d, n = 8, 4000
    a = rng.normal(size=d)
    a *= 0.5 / np.linalg.norm(a)
    real = rng.normal(size=(n, d)).astype(np.float32)
    fake = (rng.normal(size=(n, d)) + a).astype(np.float32)
    r, q = torch.from_numpy(real), torch.from_numpy(fake)
    start = time.time()
    f = train(r[:n // 2], q[:n // 2])
    est, se = held_out(f, r[n // 2:], q[n // 2:])
    print(f"torch: {est:.4f} +- {se:.4f} (W1 = 0.5) in {time.time() - start:.0f} s")
    np.savez_compressed(os.path.join(OUT, "reference.npz"), real=real, fake=fake, shift=a, torch_estimate=est,
                        torch_standard_error=se, width=WIDTH, depth=DEPTH, batch=BATCH, steps=STEPS, lam=LAM)


if __name__ == "__main__":
    main()
