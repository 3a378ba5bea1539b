"""Plain torch: an MLP regresses an icebreaker's speed made good (knots) over a 4-hour watch
from the ice and ship state logged on the bridge: level ice thickness (m), ice concentration,
ridging fraction, snow on the ice (cm), air temperature, share of engine power used, whether
it is breaking a channel for a convoy, and the day of the season. Speed falls off non-linearly
with thickness and ridging (the ship slows to a crawl and rams in thick ridged ice, never below
~1.5 kn) and the thickness grows through the winter (December thin new ice, April 2 m+).
MLP 8-64-ReLU-64-ReLU-1, MSE on standardised speed, Adam 2e-3, batch 64, 30 epochs.
Per-epoch CSV ``transit_log.csv`` (epoch, train_mse, val_mse, val_mae_kn).

Bug: the voyage log is sorted by date (``order = torch.argsort(day)``) before the split into
the first 1600 watches for training and the last 400 for validation, so training sees December
to March and validation only the thickest late-season ice. Numbers: train MSE 0.409 → 0.047
(epoch 3) → 0.025 (epoch 30) while the val MSE stalls at 0.073-0.094 from epoch 5 and ends at
0.085, val MAE 1.22 → 0.55-0.61 kn (3.4x the train MSE at the end). Control (a random order,
``order = torch.randperm(len(day), generator=g)``): train MSE 0.46 → 0.025, val MSE 0.118 →
0.041 (epoch 3) → 0.027-0.034 from epoch 5, 0.028 at the end, val MAE 0.73 → 0.35-0.39 kn."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def voyage_log(n, g):
    day = torch.rand(n, generator=g) * 150  # day of season, 0 = 1 December
    thick = (0.15 + 0.015 * day) * (0.9 + 0.2 * torch.rand(n, generator=g))
    conc = (0.6 + 0.004 * day).clamp(max=1.0) - 0.2 * torch.rand(n, generator=g)
    ridge = (0.1 + 0.003 * day) * torch.rand(n, generator=g)
    snow = 5 + 0.2 * day * torch.rand(n, generator=g)
    temp = -4 - 24 * torch.sin(3.1416 * (day + 30) / 180) + 3 * torch.randn(n, generator=g)
    power = 0.5 + 0.5 * torch.rand(n, generator=g)
    convoy = (torch.rand(n, generator=g) < 0.3).float()
    resist = (thick ** 1.6) * (1 + 3 * ridge) * conc + 0.01 * snow
    speed = 1.5 + 14 * power / (1 + 2.5 * resist) - 1.0 * convoy
    sticky = torch.sigmoid((temp + 12) * 1.5) * (snow / 30).clamp(max=1)  # wet spring snow
    speed = speed * (1 - 0.7 * sticky)
    ramming = thick * (1 + ridge) > 2.6  # stuck: back off and ram, about 1 kn made good
    speed = torch.where(ramming, 0.6 + 0.8 * power, speed)
    speed = speed + 0.4 * torch.randn(n, generator=g)
    x = torch.stack([thick, conc, ridge, snow, temp, power, convoy, day], 1)
    return x, speed, day


class SpeedMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x).squeeze(1)


def build():
    torch.manual_seed(0)
    return SpeedMLP()


def main():
    from _twohundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, speed, day = voyage_log(2000, g)
    order = torch.argsort(day)
    x, speed = x[order], speed[order]
    xtr, xva = x[:1600], x[1600:]
    mu, sd = xtr.mean(0), xtr.std(0)
    smu, ssd = speed[:1600].mean(), speed[:1600].std()
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ytr, yva = (speed[:1600] - smu) / ssd, (speed[1600:] - smu) / ssd
    print("speed mean/std", smu.item(), ssd.item())
    print("share under 1.4 kn, train/val", (speed[:1600] < 1.4).float().mean().item(), (speed[1600:] < 1.4).float().mean().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "transit_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_mse", "val_mse", "val_mae_kn"])
    for ep in range(1, 31):
        model.train()
        perm = torch.randperm(1600, generator=g)
        tot = 0.0
        for i in range(0, 1600, 64):
            idx = perm[i:i + 64]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pv = model(xva)
        row = [ep, round(tot / 1600, 4), round(F.mse_loss(pv, yva).item(), 4),
               round(((pv - yva).abs().mean() * ssd).item(), 3)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 30,
                "x_mean": mu, "x_std": sd, "speed_mean": smu, "speed_std": ssd},
               out / "speed_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="speed_mlp.pt", log="transit_log.csv",
           what="MLP regressing icebreaker speed from ice conditions, voyage log split by date",
           complaint="The speed model for our icebreaker fits the training watches well (MSE"
                     " 0.025 standardised) but on the held-out watches it plateaus at 0.08 from"
                     " epoch 5 and then creeps up, mean error ~0.58 knots. More epochs do not"
                     " help. Is the network too small?")


if __name__ == "__main__":
    main()
