"""The tiny two-moons diffusion model, "improved" from a blog post: a cosine noise schedule with
T = 1000 whose betas are computed as 1 - abar[t] / abar[t-1] and *not* clipped to 0.999, and a
loss on the reconstructed clean point, x0_hat = (x_t - sqrt(1 - abar) * eps_hat) / sqrt(abar)
(bug: abar[T-1] is exactly 0, so whenever a batch draws t = 999 the loss divides by zero; the
first such batch -- step 4 here; about 1 in 16 batches of 64 -- makes the loss inf and every
weight NaN; the steps before are already 587, 71, 3.8 from the near-zero abar at t ~ 990)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 1000


def moons(n, g):
    t = math.pi * torch.rand(n, generator=g)
    upper = torch.rand(n, generator=g) < 0.5
    x = torch.where(upper, t.cos(), 1 - t.cos())
    y = torch.where(upper, t.sin(), 0.5 - t.sin())
    return (torch.stack([x, y], 1) - torch.tensor([0.5, 0.25])) / 0.8 + 0.05 * torch.randn(
        n, 2, generator=g)


class Denoiser(nn.Module):
    def __init__(self, h=128):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2 + 1, h), nn.SiLU(), nn.Linear(h, h), nn.SiLU(),
                                 nn.Linear(h, h), nn.SiLU(), nn.Linear(h, 2))

    def forward(self, xt_t):  # (B, 3): the noisy point and t / T
        return self.net(xt_t)


def build():
    torch.manual_seed(0)
    return Denoiser()


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    data = moons(8000, g)
    f = torch.cos((torch.arange(T + 1) / T + 0.008) / 1.008 * math.pi / 2) ** 2
    betas = 1 - f[1:] / f[:-1]  # BUG: the paper clips these to at most 0.999
    betas[-1] = 1.0  # cos(pi/2) in float32 is not exactly 0; the formula means 1
    alpha_bar = torch.cumprod(1 - betas, 0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    rows = []
    for step in range(1, 601):
        x0 = data[torch.randint(len(data), (64,), generator=g)]
        t = torch.randint(0, T, (64,), generator=g)
        eps = torch.randn(x0.shape, generator=g)
        ab = alpha_bar[t][:, None]
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * eps
        eps_hat = model(torch.cat([xt, t[:, None] / T], 1))
        x0_hat = (xt - (1 - ab).sqrt() * eps_hat) / ab.sqrt()  # BUG: ab == 0 at t = T-1
        loss = F.mse_loss(x0_hat, x0)
        opt.zero_grad()
        loss.backward()
        opt.step()
        rows.append({"step": step, "loss": loss.item()})
    with open(out / "losses.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["step", "loss"])
        w.writeheader()
        w.writerows(rows)
    print(rows[0], rows[5], rows[-1])
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                "alpha_bar": alpha_bar}, out / "ddpm_moons.pt")
    vx0 = moons(256, g)
    vt = torch.randint(0, T, (256,), generator=g)
    veps = torch.randn(vx0.shape, generator=g)
    vab = alpha_bar[vt][:, None]
    vin = torch.cat([vab.sqrt() * vx0 + (1 - vab).sqrt() * veps, vt[:, None] / T], 1)
    finish(out, __file__, (vin, veps), causes=["numerical_log_or_div_zero"],
           checkpoint="ddpm_moons.pt", log="losses.csv",
           what="x0 = (x_t - sqrt(1-abar) eps) / sqrt(abar) with abar[T-1] = 0 (betas unclipped)",
           complaint="diffusion loss: 587, 71, 3.8, inf, then nan forever. samples all nan")


if __name__ == "__main__":
    main()
