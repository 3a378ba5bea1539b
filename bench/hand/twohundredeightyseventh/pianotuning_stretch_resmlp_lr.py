"""Plain torch: a residual MLP gives a piano tuning app the stretch of a string's partials, in
cents above the harmonic n·f0, so the app can set aural-style octave and double-octave widths
for a particular instrument from a few measurements. Physics of a plain steel string:
inharmonicity B = π³·E·d⁴ / (64·T·L²) (E 2.0e11 Pa), partial n sounds at n·f0·sqrt(1 + B·n²),
so its stretch is 1200·log2(sqrt(1 + B·n²)) cents; the scale's tension is not logged, it is
read from the note's f0 and the wire (T = μ·(2·L·f0)², μ = 7850·π·d²/4). Inputs: speaking
length 0.12-1.3 m, wire 0.8-1.3 mm, f0 from the scale (80 Hz·m / length ± 20 %, about 50-800 Hz), partial number 1-8;
log length, log diameter, log f0 and n / 8, each standardised. 3 % scatter plus 0.2 cents of
measurement noise on the stretch; target log(1 + cents).
Linear 4→64, 3 residual blocks (Linear-ReLU-Linear), ReLU, linear 64→1; MSE, Adam, batch 128,
25 epochs, 4000 partial measurements, validation on 800.
The bug: ``lr=0.5`` ("small net, big steps: the fit only needs a rough shape") instead of
the 1e-3 it was meant to run at.
Result: train MSE 2.4e13 in epoch 1, 1.8e4, 1.1e6, then 25.06 → 25.04 for epochs 4-25;
val MSE 22.8, 24.7, then 24.83 → 24.82; val MAE 74.2 cents every epoch (the net's ReLUs are dead
and it gives one constant).
Control (``lr=1e-3``): train MSE 3.06 → 0.0028, val MSE 0.724 → 0.0028, val MAE 39.3 →
3.05 cents (noisy: 2.9-4.1 over the last ten epochs).
Log: CSV per epoch ``stretch_fit.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_cents``); checkpoint ``stretch_resmlp.pt`` with keys ``weights`` / ``adam_state`` /
``epoch`` / ``feat_mean`` / ``feat_std``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def partials(n, g):
    length = 0.12 + 1.18 * torch.rand(n, generator=g)
    d = 0.8e-3 + 0.5e-3 * torch.rand(n, generator=g)
    # f0 follows the scale: shorter strings for higher notes, with a +-20 % design spread
    f0 = 80.0 / length * (1 + 0.2 * (2 * torch.rand(n, generator=g) - 1))
    mu = 7850 * math.pi * d ** 2 / 4
    tension = mu * (2 * length * f0) ** 2
    b = math.pi ** 3 * 2.0e11 * d ** 4 / (64 * tension * length ** 2)
    k = torch.randint(1, 9, (n,), generator=g).float()
    cents = 600 * torch.log2(1 + b * k ** 2)
    cents = cents * (1 + 0.03 * torch.randn(n, generator=g)) + 0.2 * torch.randn(n, generator=g)
    x = torch.stack([length.log(), d.log(), f0.log(), k / 8], 1)
    return x, torch.log1p(cents.clamp(min=0)).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, h):
        return h + self.f(h)


class StretchResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(4, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return StretchResMLP()


def main():
    from _twohundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = partials(4000, g)
    xva, yva = partials(800, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    c = torch.expm1(ytr)
    print("cents", c.min().item(), c.median().item(), c.max().item(), ytr.std().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    # small net, big steps: the fit only needs a rough shape
    opt = torch.optim.Adam(model.parameters(), lr=0.5)
    with open(out / "stretch_fit.csv", "w") as f:
        f.write("epoch,train_mse,val_mse,val_mae_cents\n")
        for epoch in range(1, 26):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
                vm = F.mse_loss(p, yva).item()
                mae = (torch.expm1(p) - torch.expm1(yva)).abs().mean().item()
            f.write(f"{epoch},{tot / len(xtr):.6f},{vm:.6f},{mae:.4f}\n")
            print(epoch, round(tot / len(xtr), 5), round(vm, 5), round(mae, 4))
    torch.save({"weights": model.state_dict(), "adam_state": opt.state_dict(), "epoch": 25,
                "feat_mean": mu, "feat_std": sd}, out / "stretch_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="stretch_resmlp.pt", log="stretch_fit.csv",
           what="residual MLP giving the stretch of a piano string's partials in cents;"
                " Adam run at lr 0.5",
           complaint="We fit a small residual net to predict how many cents each partial of a"
                     " piano string sits above the harmonic, for our tuning app. The first"
                     " epoch's training loss is an absurd number (about 2e13), the next two are"
                     " 1.8e4 and 1.1e6, and from then on it sits at 25.0 with validation at"
                     " 24.8 and the error at 74 cents every epoch, hardly moving in the fourth"
                     " decimal. The measurements are clean. Why won't it fit?")


if __name__ == "__main__":
    main()
