"""Plain torch: a residual MLP tells a drystone waller how far (mm) an old drystone retaining wall
will have bulged out of line after the next 20 winters, from a survey sheet, so the county's
repair budget goes to the lengths that will fail first. Rule of thumb turned into a formula:
the earth pressure behind the wall grows with the square of its height and with the backfill
slope, a good batter (the face leaning back, 1 in 6 to 1 in 4) and through-stones close
together hold it, poor hearting (the small packing stones in the core) lets the faces creep,
and blocked drainage doubles the winter frost push; bulge = 28·h²·(1 + 1.6·slope)·drain /
(batter·6)·(spacing / 0.9)^0.7·(1.8 - hearting) mm, times a 15 % stone-by-stone scatter.
Input: 6 raw survey numbers (height m, backfill slope, batter as 1 in N, through-stone spacing
m, hearting score 0-1, drains blocked 0/1), standardised inside the model; target log1p(bulge
mm).
Linear 6→64, 3 residual blocks (LayerNorm, 64→96-GELU-96→64), LayerNorm → 1; MSE, Adam 3e-3
with MultiStepLR (×0.3 at epochs 12 and 20), batch 100, 24 epochs, 2500 walls, validation
on 500.
Healthy; numbers in the README.
Log: JSON lines per epoch ``bulge_log.jsonl`` (``epoch`` / ``lr`` / ``mse_train`` / ``mse_val``
/ ``mae_val_mm``); checkpoint ``bulge_resmlp.pt`` with keys ``model_state`` / ``opt_state`` /
``sched_state`` / ``epochs`` / ``x_mean`` / ``x_std``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def walls(n, g):
    h = 0.8 + 1.6 * torch.rand(n, generator=g)
    slope = 0.5 * torch.rand(n, generator=g)
    batter = 4 + 4 * torch.rand(n, generator=g)
    spacing = 0.5 + 1.0 * torch.rand(n, generator=g)
    hearting = torch.rand(n, generator=g)
    drain = (torch.rand(n, generator=g) < 0.3).float()
    bulge = (28 * h ** 2 * (1 + 1.6 * slope) * (1 + drain) / (batter / 6)
             * (spacing / 0.9) ** 0.7 * (1.8 - hearting))
    bulge = bulge * torch.exp(0.15 * torch.randn(n, generator=g))
    x = torch.stack([h, slope, batter, spacing, hearting, drain], 1)
    return x, torch.log1p(bulge).unsqueeze(1)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 96), nn.GELU(), nn.Linear(96, 64))

    def forward(self, h):
        return h + self.f(h)


class BulgeNet(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.inp = nn.Linear(6, 64)
        self.blocks = nn.Sequential(Block(), Block(), Block())
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp((x - self.mean) / self.std)))


MEAN = torch.tensor([1.6, 0.25, 6.0, 1.0, 0.5, 0.3])
STD = torch.tensor([0.46, 0.144, 1.15, 0.29, 0.29, 0.46])


def build():
    torch.manual_seed(0)
    return BulgeNet(MEAN, STD)


def main():
    from _twohundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = walls(2500, g)
    xva, yva = walls(500, g)
    print("log1p bulge", ytr.mean().item(), ytr.var().item(), torch.expm1(ytr).median().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[12, 20], gamma=0.3)
    log = open(out / "bulge_log.jsonl", "w")
    for epoch in range(24):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        lr = sched.get_last_lr()[0]
        sched.step()
        model.eval()
        with torch.no_grad():
            p = model(xva)
            mv = F.mse_loss(p, yva).item()
            mae = (torch.expm1(p) - torch.expm1(yva)).abs().mean().item()
        rec = {"epoch": epoch, "lr": lr, "mse_train": round(tot / len(xtr), 6),
               "mse_val": round(mv, 6), "mae_val_mm": round(mae, 3)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epochs": 24, "x_mean": MEAN, "x_std": STD},
               out / "bulge_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="bulge_resmlp.pt", log="bulge_log.jsonl",
           what="residual MLP giving a drystone retaining wall's bulge after 20 winters"
                " (healthy)")


if __name__ == "__main__":
    main()
