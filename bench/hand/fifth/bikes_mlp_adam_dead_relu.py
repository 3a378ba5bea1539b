"""Bike-sharing demand regression (hour, temperature, humidity, wind, weekday flags; inputs
and the log-count target standardised), a 4-layer ReLU MLP. The author bumped Adam to
lr 0.3 "to speed it up" (bug: the first large steps push most hidden ReLUs to negative
pre-activations for every input; dead units never recover and the net predicts one value)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def rides(n, g):
    hour = torch.randint(0, 24, (n,), generator=g).float()
    temp = 5 + 25 * torch.rand(n, generator=g)
    hum = torch.rand(n, generator=g)
    wind = 20 * torch.rand(n, generator=g)
    workday = (torch.rand(n, generator=g) < 0.7).float()
    rush = workday * (torch.exp(-(hour - 8) ** 2 / 2) + torch.exp(-(hour - 17.5) ** 2 / 3))
    leisure = (1 - workday) * torch.exp(-(hour - 14) ** 2 / 12)
    y = 2 + 2.2 * rush + 1.5 * leisure + 0.05 * temp - 0.8 * hum - 0.02 * wind
    y = y + 0.15 * torch.randn(n, generator=g)
    x = torch.stack([torch.sin(2 * math.pi * hour / 24), torch.cos(2 * math.pi * hour / 24),
                     temp, hum, wind, workday], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                         nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 1))


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = rides(4000, g), rides(1000, g)
    xm, xs, ym, ys = x.mean(0), x.std(0), y.mean(), y.std()
    x, vx = (x - xm) / xs, (vx - xm) / xs
    y, vy = (y - ym) / ys, (vy - ym) / ys
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.3)  # BUG: far too high for Adam
    with open(out / "metrics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_mse", "val_mse", "val_r2"])
        for epoch in range(20):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            tot = 0.0
            for i in range(0, len(x), 128):
                idx = perm[i:i + 128]
                loss = F.mse_loss(model(x[idx]).squeeze(1), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                vmse = F.mse_loss(model(vx).squeeze(1), vy).item()
            w.writerow([epoch, tot / len(x), vmse, 1 - vmse / vy.var().item()])
    print("val mse", round(vmse, 4), "r2", round(1 - vmse / vy.var().item(), 4))
    torch.save({"epoch": epoch, "state_dict": model.state_dict(),
                "optimizer": opt.state_dict()}, out / "bikes_mlp.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=["dead_relu", "lr_too_high"],
           checkpoint="bikes_mlp.pt", log="metrics.csv",
           what="Adam lr 0.3 on a ReLU regression MLP: units die, constant prediction",
           complaint="my regression model predicts the same number for every row")


if __name__ == "__main__":
    main()
