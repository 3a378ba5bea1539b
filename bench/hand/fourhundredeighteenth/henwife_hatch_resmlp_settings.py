"""Plain torch: a residual MLP predicts the hatch rate of a sitting (the share of the eggs set
under a broody hen that hatch) from what the henwife writes in her book when she sets them, so
she knows how many eggs to put under each hen: days the eggs were stored before setting,
storage temperature (°C), mean egg weight (g), the layer flock's age (weeks), the broody's
own age (years), the share of cockerel-running days in the fortnight before collection, and
the month (as sine / cosine). Behind the numbers is the hatchery rule of thumb: hatchability
near 0.85 for fresh eggs from a flock at its peak (35-55 weeks), falling about 1.5 points a
day of storage past 7 days and faster when stored warm (> 18 °C), lower for very small or
very large eggs and for old flocks, a cold-month dip, and fertility following the cockerel
share; each sitting is 10-14 eggs, so the observed rate is binomial noise around that.
Input: (8,) standardised with the train mean / std; target the observed hatch rate.
Model: Linear 8→256, 4 residual blocks (LayerNorm, Linear 256→256, GELU, Linear 256→256),
LayerNorm, Linear 256→1; MSE, Adam 2e-3 (no weight decay), full batch of the book, 500
epochs. Train: the 240 sittings in the henwife's own book (years of it); validation on 400 sittings from the
neighbours' books.
The bug: a 531 k-parameter net trained for 500 full-batch epochs on 240 sittings with nothing
to hold it back (no weight decay, no dropout, no early stop): train MSE 0.161 → 3.4e-5, val
MSE 0.102 at epoch 10, best 0.0271 at epoch 60, then rising to 0.0505 at epoch 500 (the val
hatch rate's variance is 0.0286), val MAE 0.128 → 0.176 (control, ``EPOCHS = 60``: val MSE
0.102 → 0.0271, MAE 0.128).
Log: JSON lines every 10 epochs ``sittings.jsonl`` (``epoch`` / ``mse_train`` / ``mse_val``
/ ``mae_val``); checkpoint ``hatch_model.tar`` with keys ``net_state`` / ``adam`` /
``epoch`` / ``means`` / ``stds`` / ``columns``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

EPOCHS = 500  # long enough for the loss to settle
WIDTH = 256  # plenty of room for the interactions
COLUMNS = ["store_days", "store_temp_c", "egg_g", "flock_weeks", "broody_years",
           "cockerel_share", "month_sin", "month_cos"]


def sittings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    days = 1 + 20 * r(n)
    temp = 10 + 14 * r(n)
    egg = 50 + 20 * r(n)
    flock = 22 + 60 * r(n)
    broody = 1 + 5 * r(n)
    cock = 0.5 + 0.5 * r(n)
    month = (r(n) * 12).floor()
    rate = 0.85 - 0.015 * (days - 7).clamp(min=0) * (1 + 0.08 * (temp - 18).clamp(min=0))
    rate = rate - 0.002 * (egg - 60) ** 2 - 0.004 * (flock - 55).clamp(min=0)
    rate = rate - 0.01 * (22 - flock).clamp(min=0) - 0.02 * (broody > 4).float()
    rate = rate - 0.08 * torch.cos(2 * math.pi * month / 12).clamp(min=0)
    rate = (rate * (0.6 + 0.4 * cock)).clamp(0.02, 0.98)
    k = torch.randint(10, 15, (n,), generator=g).float()
    hatched = torch.binomial(k, rate, generator=g)
    x = torch.stack([days, temp, egg, flock, broody, cock, torch.sin(2 * math.pi * month / 12),
                     torch.cos(2 * math.pi * month / 12)], 1)
    return x, (hatched / k).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(w), nn.Linear(w, w), nn.GELU(), nn.Linear(w, w))

    def forward(self, x):
        return x + self.f(x)


class HatchNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, WIDTH)
        self.blocks = nn.Sequential(*[Block(WIDTH) for _ in range(4)])
        self.head = nn.Sequential(nn.LayerNorm(WIDTH), nn.Linear(WIDTH, 1))

    def forward(self, x):
        return self.head(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return HatchNet()


def main():
    from _fourhundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = sittings(240, g)
    rva, yva = sittings(400, g)
    means, stds = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - means) / stds, (rva - means) / stds
    print("hatch rate mean / var", ytr.mean().item(), yva.var().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "sittings.jsonl", "w") as f:
        for epoch in range(1, EPOCHS + 1):
            model.train()
            loss = F.mse_loss(model(xtr), ytr)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if epoch % 10 == 0:
                model.eval()
                with torch.no_grad():
                    pv = model(xva)
                rec = {"epoch": epoch, "mse_train": round(loss.item(), 8),
                       "mse_val": round(F.mse_loss(pv, yva).item(), 8),
                       "mae_val": round((pv - yva).abs().mean().item(), 8)}
                f.write(json.dumps(rec) + "\n")
                print(rec)
    torch.save({"net_state": model.state_dict(), "adam": opt.state_dict(), "epoch": EPOCHS,
                "means": means, "stds": stds, "columns": COLUMNS}, out / "hatch_model.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="hatch_model.tar", log="sittings.jsonl",
           what="residual MLP predicting a sitting's hatch rate from a henwife's setting book;"
                " a big net trained 500 epochs on 240 sittings",
           complaint="Hatch-rate model for my broody hens, trained on 240 sittings from my own"
                     " setting book and checked on 400 from the neighbours. Training MSE goes down"
                     " to practically zero (3e-5), but the validation MSE was best around epoch 60"
                     " (0.027) and then climbed all the way to 0.050, worse than just guessing the"
                     " average hatch rate. Mean error on the neighbours' sittings ends at 0.18.")


if __name__ == "__main__":
    main()
