"""Hourly electricity use of office buildings from weather and calendar features (10
standardised inputs), an MLP trained with a hand-written log-cosh loss (robust to the meter
glitches in the data), Adam 1e-3, batch 128, 12 epochs. Bug: the target is the meter reading
in kWh (mean ~2000, std ~800), not scaled -- ``log(cosh(err))`` with errors of ~2000 overflows
``cosh`` to inf in float32, the loss is inf in the first batch and its gradient (inf / inf)
NaN, so the weights are NaN from the first step and every logged loss is NaN (target divided
by its std, the same loss reaches 0.05)."""
import json

import torch
import torch.nn as nn


def buildings(n, g, w=None):
    if w is None:
        w = torch.randn(10, generator=g)
    x = torch.randn(n, 10, generator=g)
    kwh = 2000 + 600 * torch.tanh(x @ w / 3) + 300 * x[:, 0] * x[:, 1].clamp(min=0)
    kwh = kwh + 60 * torch.randn(n, generator=g)
    glitch = torch.rand(n, generator=g) < 0.02  # meter glitches: readings off by a lot
    kwh = torch.where(glitch, kwh + 1500 * torch.randn(n, generator=g), kwh)
    return x, kwh, w


def log_cosh(pred, target):
    return torch.log(torch.cosh(pred - target)).mean()


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y, w = buildings(6000, g)
    vx, vy, _ = buildings(1000, g, w)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "energy_log.jsonl", "w") as f:
        for epoch in range(12):
            model.train()
            perm, tot = torch.randperm(len(x), generator=g), 0.0
            for i in range(0, len(x), 128):
                idx = perm[i:i + 128]
                loss = log_cosh(model(x[idx]).squeeze(-1), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                vp = model(vx).squeeze(-1)
            rec = {"epoch": epoch, "train_logcosh": tot / len(x),
                   "val_logcosh": log_cosh(vp, vy).item(),
                   "val_mae_kwh": (vp - vy).abs().mean().item()}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "energy_mlp.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=["input_not_normalized"],
           checkpoint="energy_mlp.pt", log="energy_log.jsonl",
           what="log-cosh regression on raw kWh targets: cosh overflows, NaN from the first step",
           complaint="train and val loss are nan from the very first epoch, I switched to a "
                     "log-cosh loss because of glitches in the meter data")


if __name__ == "__main__":
    main()
