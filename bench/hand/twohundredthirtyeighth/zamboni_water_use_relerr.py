"""Plain torch: an MLP predicts how many hundred litres of water a zamboni depot uses per day
from 10 numbers (sessions booked, rinks served, hall temperature, ...). Closed days use 0 L.
MLP 10-64-1, Adam 1e-3, batch 64, 6 epochs of 1024 days, trained on relative error.
Checkpoint ``{"model_state_dict", "optimizer_state_dict", "epoch"}``, JSON-lines log per step.
The bug: ``loss = ((pred - y).abs() / y).mean()``: the closed days have y = 0, so the loss is
inf on the first batch that holds one and the weights go NaN. Loss NaN from step 16 on,
val MAE NaN every epoch. Control (``/ y.clamp_min(1.0)``): rel. loss 0.39, val MAE 0.98 at
epoch 6."""
import json
import sys

import torch
import torch.nn as nn


def days(n, g):
    x = torch.randn(n, 10, generator=g)
    use = torch.relu(2.0 + 1.2 * x[:, 0] + 0.6 * x[:, 1] * x[:, 2] + 0.5 * x[:, 3])
    closed = torch.rand(n, generator=g) < 0.08
    use = torch.where(closed, torch.zeros(n), use + 0.1 * torch.rand(n, generator=g))
    x[:, 9] = closed.float()
    return x, use.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 1), nn.Softplus())


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = days(1024, g)
    xva, yva = days(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = 0
    with open(out / "water.jsonl", "w") as f:
        for epoch in range(6):
            perm = torch.randperm(1024, generator=g)
            for i in range(0, 1024, 64):
                idx = perm[i:i + 64]
                pred, y = model(xtr[idx]), ytr[idx]
                loss = ((pred - y).abs() / y).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                rec = {"step": step, "epoch": epoch, "loss": loss.item()}
                if i == 960:
                    with torch.no_grad():
                        rec["val_mae"] = (model(xva) - yva).abs().mean().item()
                    print(rec)
                f.write(json.dumps(rec) + "\n")
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 6}, out / "water_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="water_mlp.pt", log="water.jsonl",
           what="MLP predicting a zamboni depot's daily water use, relative-error loss",
           complaint="Water-use model for our zamboni depots: the loss is inf right from the "
                     "first steps and then everything is NaN, val MAE NaN for all 6 epochs. "
                     "lr is only 1e-3. What's going on?")


if __name__ == "__main__":
    main()
