"""Plain torch: a residual MLP predicts a motor barge's fuel burn per kilometre (L/km) for a
leg of a Rhine trip from the bargeman's logbook, so he can plan bunkering: cargo (t), draft
(m), engine speed through the water (km/h), the river current along the leg (km/h, + going
downstream), the water depth at the gauge (m) and the head wind (km/h). Burn follows the
hull's resistance: the power is ≈ (displacement)^(2/3) × speed through water³, raised in
shallow water (depth / draft under 3 adds up to 60 %, the squat), plus a wind term, and the
burn per km is that power over the speed over ground (speed through water + current), with
a fixed hotel load; 4 % metering noise. Two years of trips: 2022, the drought summer (gauge
1.0-3.0 m, weak current, part loads), and 2023, a wet year (gauge 2.5-7 m, strong current,
full loads). Input: (6,) standardised with the train mean / std. Model: Linear 6→64, 3
residual blocks (LayerNorm, Linear 64→64, GELU, Linear 64→64), LayerNorm, Linear 64→1 on
log burn; MSE, AdamW 2e-3 (weight decay 1e-4) with CosineAnnealingLR, batch 64, 40 epochs,
1800 legs a year.
The bug: the split is by year, the 2022 logbook for training and 2023 for validation, and
the two years hardly overlap in depth, current and load: train MSE (log burn) 1.51 → 0.0019 while val MSE
goes 1.85 → 0.648 and stays there (log burn variance 0.094 in 2022, 0.21 in 2023), val
MAPE 0.70 → 0.47 (control, ``tr, va = perm[:2400], perm[2400:]``, a random 2 / 3 of both
years for training and the rest for validation: val MSE 0.043 → 0.0020, MAPE 0.036).
Log: JSON lines ``fuel_fit.jsonl``, ``{"step", "loss"}`` every 20 steps and ``{"epoch",
"lr", "train_mse", "val_mse", "val_mape"}`` per epoch; checkpoint ``fuel_resmlp.tar`` with
keys ``params`` / ``adamw`` / ``sched`` / ``epoch`` / ``x_stats`` / ``inputs``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

INPUTS = ["cargo_t", "draft_m", "stw_kmh", "current_kmh", "gauge_m", "headwind_kmh"]


def legs(n, year, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    if year == 2022:
        cargo, gauge, cur = 600 + 1200 * r(n), 1.0 + 2.0 * r(n), 0.5 + 2.0 * r(n)
    else:
        cargo, gauge, cur = 1500 + 1300 * r(n), 2.5 + 4.5 * r(n), 2.0 + 4.0 * r(n)
    down = torch.where(r(n) < 0.5, 1.0, -1.0)
    current = down * cur
    draft = 0.9 + cargo / 1000.0
    depth = gauge + 1.2
    stw = 10 + 6 * r(n)
    wind = 30 * r(n) - 5
    shallow = 1 + 0.6 * torch.clamp(3 - depth / draft, 0, 1.5) / 1.5
    disp = 1100 + cargo
    power = 2.2e-3 * disp ** (2 / 3) * stw ** 3 * shallow + 0.8 * wind.clamp(min=0) * stw + 60
    sog = (stw + current).clamp(min=3)
    burn = 0.25 * power / sog
    burn = burn * (1 + 0.04 * torch.randn(n, generator=g))
    return torch.stack([cargo, draft, stw, current, gauge, wind], 1), burn.unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


class FuelResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(6, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return FuelResMLP()


def main():
    from _threehundredfiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x22, b22 = legs(1800, 2022, g)
    x23, b23 = legs(1800, 2023, g)
    x, burn = torch.cat([x22, x23]), torch.cat([b22, b23])
    year = torch.tensor([2022] * 1800 + [2023] * 1800)
    perm = torch.randperm(len(x), generator=g)  # noqa: F841
    tr, va = torch.where(year == 2022)[0], torch.where(year == 2023)[0]  # last year's logbook to fit, this year's to check
    mu, sd = x[tr].mean(0), x[tr].std(0)
    xtr, xva = (x[tr] - mu) / sd, (x[va] - mu) / sd
    ytr, yva = burn[tr].log(), burn[va].log()
    print("train", len(tr), "val", len(va), "log burn var", ytr.var().item(), yva.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40)
    step = 0
    with open(out / "fuel_fit.jsonl", "w") as f:
        for epoch in range(40):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 20 == 0:
                    f.write(json.dumps({"step": step, "loss": round(loss.item(), 6)}) + "\n")
                step += 1
                tot += loss.item() * len(xb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            rec = {"epoch": epoch, "lr": round(lr, 8), "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(nn.functional.mse_loss(p, yva).item(), 6),
                   "val_mape": round(((p.exp() - yva.exp()).abs() / yva.exp()).mean().item(), 6)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"params": model.state_dict(), "adamw": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 40, "x_stats": (mu, sd), "inputs": INPUTS}, out / "fuel_resmlp.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="fuel_resmlp.tar", log="fuel_fit.jsonl",
           what="residual MLP predicting a motor barge's fuel burn per km; trained on the 2022"
                " drought-year logbook, validated on the 2023 high-water year",
           complaint="Fuel-per-km model for our barge from last year's logbook: training MSE drops to"
                     " 0.002 within a few epochs, but on this year's trips the validation MSE never"
                     " gets under 0.65 and the predictions are off by 47 % on average. Weight decay"
                     " and a lower learning rate did not close the gap.")


if __name__ == "__main__":
    main()
