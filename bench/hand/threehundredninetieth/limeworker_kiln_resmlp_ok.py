"""Plain torch: a residual MLP predicts the available lime (CaO %, the share a builder's
slaker can use) in a draw of quicklime from a limeworker's kiln, from the burn's numbers:
kiln temperature (850-1150 °C), burn time (4-30 h), stone size (40-160 mm), the stone's
CaCO3 and MgCO3 shares and its moisture. Rule: a shrinking-core burn, the calcination front
moving in at a rate with an Arrhenius temperature law (E ≈ 170 kJ/mol) and slowed by
moisture, so the burnt share is 1 - (1 - min(1, v t / r))³ of each stone; dolomite eats into
the CaO share, and above ~1050 °C a long burn sinters the lime (dead-burnt, less available);
reading noise 1.2 % CaO.
Input: 6 standardised numbers. Target: (CaO % - 60) / 20. Model: Linear 6→64, 3 pre-LayerNorm
residual blocks (LN, Linear 64→128, GELU, Linear 128→64), LN, Linear 64→1; MSE, AdamW 3e-3
(weight decay 1e-4) with OneCycleLR, batch 64, 30 epochs of 2000 draws, validation on 400.
Healthy; numbers in the README.
Log: CSV per epoch ``kiln_fit.csv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_cao``); checkpoint ``lime_resmlp.pth`` with keys ``weights`` / ``opt_state`` /
``sched_state`` / ``epoch`` / ``feat_mean`` / ``feat_std`` / ``cao_shift_scale``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def draws(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    temp = 850 + 300 * r(n)
    hours = 4 + 26 * r(n)
    size = 40 + 120 * r(n)
    caco3 = 0.85 + 0.13 * r(n)
    mgco3 = (0.98 - caco3) * r(n) + 0.01
    wet = 0.08 * r(n)
    v = 9.0 * torch.exp(-170e3 / 8.314 * (1 / (temp + 273.15) - 1 / (1000 + 273.15)))  # mm/h
    v = v / (1 + 6 * wet)
    front = (v * hours / (size / 2)).clamp(max=1.0)
    burnt = 1 - (1 - front) ** 3
    cao = 100 * caco3 * 0.56 / (1 - 0.44 * caco3 * burnt - 0.52 * mgco3 * burnt) * burnt
    sinter = torch.sigmoid((temp - 1050) / 25) * (1 - torch.exp(-hours / 20))
    avail = cao * (1 - 0.35 * sinter)
    avail = avail + 1.2 * torch.randn(n, generator=g)
    x = torch.stack([temp, hours, size, 100 * caco3, 100 * mgco3, 100 * wet], 1)
    return x, avail


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.ff(self.ln(x))


class KilnResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(6, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return KilnResMLP()


def main():
    from _threehundredninetieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, atr = draws(2000, g)
    xva, ava = draws(400, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ytr, yva = ((atr - 60) / 20).unsqueeze(1), ((ava - 60) / 20).unsqueeze(1)
    print("target mean/var", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    epochs, bs = 30, 64
    steps = math.ceil(len(xtr) / bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=epochs * steps)
    with open(out / "kiln_fit.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "lr", "train_mse", "val_mse", "val_mae_cao"])
        for epoch in range(epochs):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for b in range(0, len(xtr), bs):
                idx = perm[b:b + bs]
                loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            row = [epoch, round(sched.get_last_lr()[0], 7), round(tot / len(xtr), 6),
                   round(F.mse_loss(p, yva).item(), 6), round(20 * (p - yva).abs().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": epochs, "feat_mean": mu,
                "feat_std": sd, "cao_shift_scale": [60.0, 20.0]}, out / "lime_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="lime_resmlp.pth", log="kiln_fit.csv",
           what="residual MLP predicting available lime (CaO %) of a kiln draw from the burn's"
                " numbers (healthy)")


if __name__ == "__main__":
    main()
