"""Plain torch: a residual MLP predicts the fundamental pitch of a xylophone bar blank from
its measurements before the tuner starts cutting (length, width, thickness at the ends,
depth of the arch cut under the middle, wood density and stiffness from a tap test, and
moisture content), so the workshop can rough-cut bars to the right length for a given
note. Physics: a free-free beam, f1 = 1.028 · t / L² · sqrt(E / ρ), lowered by the arch
cut (up to about an octave for a deep arch), with moisture softening the wood and a few
cents of scatter from grain. Target: semitones above A3 (220 Hz) / 12.
Input: 7 standardised measurements. Model: linear 7→64, 3 residual blocks (LayerNorm →
linear 64→64 → SiLU → linear 64→64, added back), LayerNorm → linear 64→1; MSE, AdamW 3e-3
with OneCycleLR over all steps, weight decay 1e-4, batch 64, 20 epochs over 2400 bars,
validation on 600.
Healthy; numbers in the README.
Log: CSV per epoch ``bar_fit.csv`` (``epoch`` / ``lr_end`` / ``mse`` / ``val_mse`` /
``val_mae_cents``); checkpoint ``bar_resmlp.pt`` with keys ``model`` / ``optim`` /
``onecycle`` / ``epoch`` / ``feat_mean`` / ``feat_std`` / ``units``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def bars(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = 18 + 22 * r(n)  # cm
    width = 3.5 + 1.5 * r(n)
    thick = 1.8 + 0.8 * r(n)  # cm
    arch = 0.6 * r(n)  # share of the thickness taken from under the middle
    rho = 800 + 300 * r(n)  # kg/m³, rosewood-like
    e_mod = 14e9 + 8e9 * r(n)  # Pa
    moist = 6 + 8 * r(n)  # %
    e_eff = e_mod * (1 - 0.015 * (moist - 8))
    f1 = 1.028 * (thick / 100) / (length / 100) ** 2 * torch.sqrt(e_eff / rho)
    f1 = f1 * (1 - 0.9 * arch + 0.25 * arch ** 2)
    semis = 12 * torch.log2(f1 / 220) + 0.08 * torch.randn(n, generator=g)
    x = torch.stack([length, width, thick, arch, rho, e_mod / 1e9, moist], 1)
    return x, (semis / 12).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.a, self.b = nn.LayerNorm(d), nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, h):
        return h + self.b(F.silu(self.a(self.norm(h))))


class BarResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return BarResMLP()


def main():
    from _threehundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = bars(2400, g)
    xva, yva = bars(600, g)
    print("target", ytr.mean().item(), ytr.std().item())
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=20 * 38)
    with open(out / "bar_fit.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "lr_end", "mse", "val_mse", "val_mae_cents"])
        for epoch in range(20):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vm = F.mse_loss(p, yva).item()
            cents = 1200 * (p - yva).abs().mean().item()
            log.writerow([epoch, f"{sched.get_last_lr()[0]:.6f}", f"{tot / len(xtr):.6f}",
                          f"{vm:.6f}", f"{cents:.2f}"])
            print(epoch, round(tot / len(xtr), 6), round(vm, 6), round(cents, 2))
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "onecycle": sched.state_dict(),
                "epoch": 20, "feat_mean": mu, "feat_std": sd, "units": "semitones above A3 / 12"},
               out / "bar_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bar_resmlp.pt", log="bar_fit.csv",
           what="residual MLP predicting a xylophone bar blank's fundamental pitch from its"
                " measurements and tap-test wood properties (healthy)")


if __name__ == "__main__":
    main()
