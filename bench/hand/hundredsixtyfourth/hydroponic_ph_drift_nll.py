"""Hydroponic nutrient tank: a small MLP predicts tomorrow's pH drift of a recirculating tank
(mean and variance, a heteroscedastic Gaussian) from today's readings (pH, EC, dissolved O2,
water temperature, dosing pump seconds of acid and base, plant age, top-up litres). The drift
is noisy on days with top-ups (σ 0.25) and nearly deterministic otherwise (σ 0.01). AdamW 5e-4,
batch 128, 30 epochs of 3000 tank-days, a CSV per epoch (``history.csv``: ``ep,nll,mse,val_nll,
val_mse``).

The bug: the hand-written Gaussian NLL takes ``torch.log(var)`` of the variance head passed
through ``relu`` (the author wanted a non-negative variance), no floor, no eps. On the calm days
the variance is pushed towards 0 (the variance head starts at 1: zero weights, bias 1); as soon
as one sample's ``relu`` output is exactly 0 the loss is ``log(0) = -inf`` plus ``0/0``: NaN,
and AdamW spreads it to every weight. Epochs 0 and 1: NLL 0.0014, -0.134 (val -0.043, -0.305,
val MSE 0.032, 0.027); from epoch 2 on every column is NaN, and so is the saved model. Control
(``F.softplus(raw) + 1e-6``): NLL -1.62 at epoch 5, -2.84 at 10, -3.04 at 29 (val NLL -2.94,
val MSE 0.0238, train MSE 0.0175)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def tank_days(n, g):
    x = torch.randn(n, 8, generator=g)
    topup = (torch.rand(n, generator=g) < 0.3).float()
    x[:, 7] = topup * 2 - 1
    mu = 0.15 * x[:, 0] - 0.1 * x[:, 4] + 0.1 * x[:, 5] - 0.05 * x[:, 1] * x[:, 3]
    sd = 0.01 + 0.24 * topup
    return x, (mu + sd * torch.randn(n, generator=g))[:, None]


class DriftNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh())
        self.mean = nn.Linear(64, 1)
        self.var = nn.Linear(64, 1)
        nn.init.zeros_(self.var.weight)
        nn.init.constant_(self.var.bias, 1.0)  # start every day at variance 1

    def forward(self, x):
        h = self.body(x)
        return self.mean(h), F.relu(self.var(h))


def gaussian_nll(mu, var, y):
    return (0.5 * torch.log(var) + 0.5 * (y - mu) ** 2 / var).mean()


def build():
    torch.manual_seed(0)
    return DriftNet()


def main():
    from _hundredsixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tank_days(3000, g)
    xva, yva = tank_days(600, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4)
    torch.manual_seed(1)
    f = open(out / "history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "nll", "mse", "val_nll", "val_mse"])
    for ep in range(30):
        model.train()
        perm = torch.randperm(len(xtr))
        nll = mse = 0.0
        for i in range(0, len(xtr), 128):
            idx = perm[i:i + 128]
            mu, var = model(xtr[idx])
            loss = gaussian_nll(mu, var, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            nll += loss.item() * len(idx)
            mse += F.mse_loss(mu, ytr[idx]).item() * len(idx)
        model.eval()
        with torch.no_grad():
            mu, var = model(xva)
            vn, vm = gaussian_nll(mu, var, yva).item(), F.mse_loss(mu, yva).item()
        w.writerow([ep, f"{nll / len(xtr):.5f}", f"{mse / len(xtr):.6f}", f"{vn:.5f}", f"{vm:.6f}"])
        f.flush()
        print(ep, nll / len(xtr), mse / len(xtr), vn, vm)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 30},
               out / "driftnet.pth")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["numerical_log_or_div_zero"],
           checkpoint="driftnet.pth", log="history.csv",
           what="pH-drift Gaussian NLL: torch.log(var) of a relu variance head, no eps",
           complaint=("pH drift model with a Gaussian NLL (predicts mean and variance). First two "
                      "epochs look fine, NLL 0.0014 then -0.134, val MSE 0.032 -> 0.027, and then "
                      "from epoch 2 everything in history.csv is nan: nll, mse, val_nll, val_mse, "
                      "for all 30 epochs. The saved driftnet.pth only predicts nan now."))


if __name__ == "__main__":
    main()
