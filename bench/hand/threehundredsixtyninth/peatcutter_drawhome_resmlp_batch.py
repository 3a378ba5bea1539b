"""A peat-cutter's notebook, turned into a model: a residual MLP predicts how many days a
bank of hand-cut turves will need on the spreading ground before it is dry enough to draw
home (below 35 % water), from what is known on the day of cutting: day of the year, depth
in the bank the turves came from (deeper is denser black peat that dries slower), fibre
content, cutting-day moisture, turf thickness, how exposed the spreading ground is to the
wind, the month's rain so far, and whether the cutter foots the turves early. The days
follow a drying rule (excess water over air-dry, divided by a drying rate that grows with
exposure and the season's warmth and shrinks with rain, thickness squared and density),
with ±2 days of weather luck. Target: (days - 40) / 15.
Model: Linear 8→64, three residual blocks (x + Linear(ReLU(Linear(x))), 64 wide), ReLU,
Linear 64→1; MSE, Adam 2e-3, 20 epochs, 1200 banks, validation on 300.
The bug: the loader is built with ``batch_size=2`` ("two banks at a time, the notebook is
small"): 600 noisy Adam steps per epoch at a rate meant for batches of 64. Measured: val
MSE wobbles 0.026-0.070 from epoch to epoch and ends at 0.0446 (MAE 2.38 days); with
``batch_size=64`` (control) val MSE goes 0.114 → 0.0252 (MAE 1.89 days; the weather-luck
floor is (2 / 15)² = 0.0178).
Log: one JSON lines file ``drying.jsonl``: ``{"step", "epoch", "loss"}`` every 40 steps
and ``{"epoch", "val_mse", "val_mae_days"}`` after each epoch; checkpoint
``turf_days.ckpt`` (``model_state`` / ``opt_state`` + ``epoch``, ``feat_mean``,
``feat_std``, ``hparams``)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def banks(n, g):
    r = lambda: torch.rand(n, generator=g)  # noqa: E731
    doy = 100 + 80 * r()                    # April to June
    depth = 0.2 + 1.6 * r()                 # m into the bank
    fibre = 0.2 + 0.6 * r() - 0.15 * depth / 1.8
    m0 = 84 + 8 * r()
    thick = 8 + 6 * r()                     # cm
    expo = r()
    rain = 30 + 90 * r()                    # mm this month
    early = (r() < 0.5).float()
    warmth = 0.6 + 0.4 * torch.sin((doy - 80) / 365 * 3.1416 * 2).clamp(min=0)
    rate = (0.5 + 1.0 * expo) * warmth * (1 + 0.3 * early) * (1 + 0.6 * fibre)
    rate = rate / (1 + 0.005 * rain) / (thick / 10) ** 2 / (0.8 + 0.25 * depth)
    days = 9 + 0.6 * (m0 - 35) / (rate * 1.6)
    days = days + 2.0 * torch.randn(n, generator=g)
    x = torch.stack([doy, depth, fibre, m0, thick, expo, rain, early], 1)
    return x, ((days - 40) / 15).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.a, self.b = nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, x):
        return x + self.b(F.relu(self.a(x)))


class DrawHomeMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(F.relu(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return DrawHomeMLP()


def main():
    from _threehundredsixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = banks(1200, g)
    xva, yva = banks(300, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("days", (ytr * 15 + 40).mean().item(), (ytr * 15 + 40).std().item(),
          "target var", ytr.var().item())
    model = build()
    hp = {"lr": 2e-3, "epochs": 20, "batch_size": 2}
    loader = DataLoader(TensorDataset(xtr, ytr),
                        batch_size=2,  # two banks at a time, the notebook is small
                        shuffle=True, generator=torch.Generator().manual_seed(1))
    opt = torch.optim.Adam(model.parameters(), lr=hp["lr"])
    step = 0
    with open(out / "drying.jsonl", "w") as log:
        for epoch in range(hp["epochs"]):
            model.train()
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 40 == 0:
                    log.write(json.dumps({"step": step, "epoch": epoch,
                                          "loss": round(loss.item(), 5)}) + "\n")
            model.eval()
            with torch.no_grad():
                pred = model(xva)
                vm = F.mse_loss(pred, yva).item()
                mae = ((pred - yva).abs() * 15).mean().item()
            log.write(json.dumps({"epoch": epoch, "val_mse": round(vm, 5),
                                  "val_mae_days": round(mae, 3)}) + "\n")
            print(epoch, round(vm, 4), round(mae, 2))
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(),
                "epoch": hp["epochs"], "feat_mean": mu, "feat_std": sd, "hparams": hp},
               out / "turf_days.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["batch_size_too_small"],
           checkpoint="turf_days.ckpt", log="drying.jsonl",
           what="residual MLP predicting a peat bank's days to dry, trained two samples"
                " per batch at a rate meant for 64",
           complaint="My model for how many days a cut bank of turf needs to dry will not settle."
                     " Validation MSE bounces around from epoch to epoch (0.026, 0.07, 0.03, 0.045...)"
                     " and after 20 epochs it ends at 0.045, about 2.4 days off on average, and the"
                     " loss I print every 40 steps is all over the place. Residual MLP, Adam 2e-3,"
                     " inputs standardised. Why is it so jumpy and why won't it get better?")


if __name__ == "__main__":
    main()
