"""Plain torch: a residual MLP predicts how hot a batch of prepared mustard will taste (the QA
panel's heat score, 0-10, a proxy for the allyl isothiocyanate the paste ends up with) from
the mixing sheet, so the kitchen can hit the label's heat before the paste is jarred. Inputs
(8): the seed blend (share of brown and of black seed; the rest is yellow, which makes the
milder p-hydroxybenzyl oil), the grind temperature, the water temperature, minutes the wet
meal stands before the vinegar goes in, the vinegar's pH, salt %, and the days the paste aged
before the panel. The myrosinase reaction runs with a temperature optimum near 35 °C and
dies above ~60 °C, stops when the acid goes in (faster the lower the pH), and the heat fades
with ageing; panel noise on top. Regression on (heat - 5) / 2, MSE.
Model: input 8→64, 4 pre-norm residual blocks (LayerNorm, 64→128→64, GELU), LayerNorm, linear
64→1. AdamW 3e-3 weight decay 0.02, OneCycleLR over 14 epochs, batch 96, 2880 batches of
paste, validation on 640. Healthy; numbers in the README.
Log: JSON lines per epoch ``heat_log.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_heat`` / ``val_within_half_point``); checkpoint ``paste_heat.pt`` with
keys ``net_state`` / ``opt_state`` / ``onecycle`` / ``epochs`` / ``x_mean`` / ``x_std`` /
``heat_offset_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def sheets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    brown = 0.8 * r(n)
    black = (1 - brown) * 0.5 * r(n)
    grind_t = 20 + 25 * r(n)
    water_t = 10 + 60 * r(n)
    stand = 2 + 28 * r(n)
    ph = 2.6 + 1.4 * r(n)
    salt = 1 + 3 * r(n)
    age = 60 * r(n)
    temp = 0.6 * water_t + 0.4 * grind_t
    activity = torch.exp(-((temp - 35) / 15) ** 2) * torch.sigmoid((60 - temp) / 3)
    rate = 0.25 * activity * (1 - 0.04 * (salt - 1))
    ait = (1.0 * brown + 1.4 * black + 0.25 * (1 - brown - black)) * (1 - torch.exp(-rate * stand))
    ait = ait * (1 + 0.4 * torch.sigmoid((3.2 - ph) * 4) * 0.5)
    heat = 1 + 9 * ait * torch.exp(-age / 90) + 0.25 * torch.randn(n, generator=g)
    x = torch.stack([brown, black, grind_t, water_t, stand, ph, salt, age], 1)
    return x, ((heat - 5) / 2).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class HeatNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(4)])
        self.norm = nn.LayerNorm(64)
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(self.norm(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return HeatNet()


def main():
    from _threehundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sheets(2880, g)
    xva, yva = sheets(640, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("target", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=96, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.02)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, epochs=14,
                                                steps_per_epoch=len(train_dl))
    with open(out / "heat_log.jsonl", "w") as log:
        for epoch in range(14):
            model.train()
            tot = 0.0
            for xb, yb in train_dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            err = 2 * (p - yva).abs()
            rec = {"epoch": epoch, "lr": round(sched.get_last_lr()[0], 7),
                   "train_mse": round(tot / len(xtr), 5),
                   "val_mse": round(F.mse_loss(p, yva).item(), 5),
                   "val_mae_heat": round(err.mean().item(), 4),
                   "val_within_half_point": round((err <= 0.5).float().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net_state": model.state_dict(), "opt_state": opt.state_dict(),
                "onecycle": sched.state_dict(), "epochs": 14, "x_mean": mu, "x_std": sd,
                "heat_offset_scale": (5.0, 2.0)}, out / "paste_heat.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="paste_heat.pt", log="heat_log.jsonl",
           what="pre-norm residual MLP predicting the panel heat score of a batch of prepared"
                " mustard from its mixing sheet (healthy)")


if __name__ == "__main__":
    main()
