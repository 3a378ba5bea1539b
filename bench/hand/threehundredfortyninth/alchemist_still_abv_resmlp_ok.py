"""Plain torch: a residual MLP predicts the strength (% ABV) of what comes off an alchemist's
copper column still, from the numbers on the still's panel, so the spirit run can be cut
without stopping to float a hydrometer. Rule: ethanol-water vapour-liquid equilibrium at
1 atm (the tabulated x-y curve, azeotrope near 89 mol %), applied once per effective stage:
pot plus 0-4 bubble plates, each plate 45-80 % efficient, more so with more reflux
(dephlegmator 0-70 %). Inputs (6): pot ABV (hydrometer, ±0.5 %), head temperature (°C, the
pot's bubble point lowered by the enrichment, ±0.3 °C), number of plates, dephlegmator
reflux share, coolant flow (l/min, only loosely tied to reflux), barometric pressure (hPa,
nearly irrelevant). Target: distillate ABV (parrot hydrometer, ±0.7 %), fed as (ABV - 70) / 20.
Input standardised with the train mean / std. Model: Linear 6→64, 3 pre-LayerNorm residual
blocks (64→128→ReLU→64), LayerNorm, Linear 64→1; MSE, AdamW 2e-3 (weight decay 1e-4) with
OneCycleLR, batch 64, 30 epochs, 1600 runs, validation on 400.
Healthy; numbers in the README.
Log: JSON lines per epoch ``still_fit.jsonl`` (``epoch`` / ``lr`` / ``loss`` / ``val_loss`` /
``val_mae_abv``); checkpoint ``still_resmlp.pth`` with keys ``weights`` / ``opt_state`` /
``sched_state`` / ``epoch`` / ``feat_mean`` / ``feat_std`` / ``abv_center_scale``."""
import json

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

# ethanol-water x-y at 1 atm (mole fractions) and the bubble point (°C) of the liquid
X = np.array([0, .019, .0721, .0966, .1238, .1661, .2337, .2608, .3273, .3965, .5079, .5732,
              .6763, .7472, .8943, 1.0])
Y = np.array([0, .17, .3891, .4375, .4704, .5089, .5445, .558, .5826, .6122, .6564, .6841,
              .7385, .7815, .8943, 1.0])
TB = np.array([100, 95.5, 89.0, 86.7, 85.3, 84.1, 82.7, 82.3, 81.5, 80.7, 79.8, 79.3, 78.74,
               78.41, 78.15, 78.3])


def to_x(abv):
    e, w = abv * 0.789 / 46.07, (1 - abv) / 18.02
    return e / (e + w)


def to_abv(x):
    e, w = x * 46.07 / 0.789, (1 - x) * 18.02
    return e / (e + w)


def still_runs(n, g):
    r = lambda *s: torch.rand(*s, generator=g).double().numpy()  # noqa: E731
    nz = lambda s, *sh: s * torch.randn(*sh, generator=g).double().numpy()  # noqa: E731
    pot = 0.04 + 0.36 * r(n)
    plates = np.floor(5 * r(n))
    reflux = 0.7 * r(n)
    eff = (0.45 + 0.25 * r(n)) * (1 + 0.15 * reflux / 0.7)
    stages = 1 + plates * eff
    x = to_x(pot)
    for k in range(5):
        step = np.clip(stages - k, 0, 1)
        x = x + step * (np.interp(x, X, Y) - x)
    dist = to_abv(x)
    head = np.interp(x, X, TB) + nz(0.3, n)
    coolant = 2 + 6 * reflux + nz(1.0, n)
    baro = 1013 + nz(8, n)
    feats = np.stack([100 * pot + nz(0.5, n), head, plates, reflux, coolant, baro], 1)
    target = 100 * dist + nz(0.7, n)
    return torch.tensor(feats, dtype=torch.float32), torch.tensor(target, dtype=torch.float32)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class StillNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(6, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return StillNet()


def main():
    from _threehundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, atr = still_runs(1600, g)
    fva, ava = still_runs(400, g)
    mu, sd = ftr.mean(0), ftr.std(0)
    xtr, xva = (ftr - mu) / sd, (fva - mu) / sd
    ytr, yva = ((atr - 70) / 20).unsqueeze(1), ((ava - 70) / 20).unsqueeze(1)
    print("distillate ABV range", atr.min().item(), atr.max().item(), "var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=30 * len(dl))
    loss_fn = nn.MSELoss()
    with open(out / "still_fit.jsonl", "w") as log:
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = loss_fn(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            rec = {"epoch": epoch, "lr": sched.get_last_lr()[0], "loss": tot / len(xtr),
                   "val_loss": loss_fn(pv, yva).item(),
                   "val_mae_abv": (20 * (pv - yva).abs().mean()).item()}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 30, "feat_mean": mu, "feat_std": sd,
                "abv_center_scale": (70.0, 20.0)}, out / "still_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="still_resmlp.pth",
           log="still_fit.jsonl",
           what="residual MLP predicting a column still's distillate ABV from its panel"
                " readings (healthy)")


if __name__ == "__main__":
    main()
