"""Plain torch: a GRU tracks the opening of a viaduct's deck expansion joint (mm) hour by hour
over 48 hours from what the bridge's weather station logs: air temperature (degC), solar
radiation (W/m2) and wind speed (m/s). The concrete deck's mean temperature follows the air
with a lag of about 5 hours, gains heat from the sun, loses more of it in wind; the 300 m
deck moves 12e-6 per K over its expansion length, so the joint closes as the deck warms
(about 3.6 mm per K); displacement-sensor noise 0.8 mm. Each window starts from a deck
temperature a little off the air's (given by the sensor at hour 0, the fourth input).
GRU(4→48, 1 layer) → Linear 48→1 per hour, MSE on the standardised gap, Adam 3e-3 with
CosineAnnealingLR over 14 epochs, batch 32, 1200 windows, validation on 300 (val MSE, val mean
abs error in mm).
Log: JSON lines per epoch ``joint.jsonl`` (``ep`` / ``train_mse`` / ``val_mse`` / ``val_mae_mm``
/ ``lr``); checkpoint ``joint_gru.pt`` with keys ``gru`` / ``opt`` / ``sched`` / ``ep`` /
``x_norm`` / ``gap_norm``.
Healthy; numbers in the README."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

H = 48


def windows(n, g):
    hour0 = torch.randint(0, 24, (n, 1), generator=g).float()
    hours = hour0 + torch.arange(H).float()[None]
    mean_t = -2 + 26 * torch.rand(n, 1, generator=g)
    swing = 3 + 7 * torch.rand(n, 1, generator=g)
    air = mean_t + swing * torch.sin(2 * math.pi * (hours - 9) / 24)
    air = air + 0.6 * torch.randn(n, H, generator=g).cumsum(1) / 4
    cloud = torch.rand(n, 1, generator=g)
    sun = (800 * (1 - 0.8 * cloud) * torch.sin(math.pi * ((hours % 24) - 6) / 12)).clamp(min=0)
    wind = 1 + 6 * torch.rand(n, 1, generator=g) + torch.randn(n, H, generator=g).abs()
    deck = torch.zeros(n, H)
    d = mean_t[:, 0] + 2 * torch.randn(n, generator=g)
    for t in range(H):
        d = d + (air[:, t] - d) / (5 - 0.3 * wind[:, t].clamp(max=8)) + 0.004 * sun[:, t]
        deck[:, t] = d
    gap = 60 - 3.6 * (deck - 10) + 0.8 * torch.randn(n, H, generator=g)
    sensor0 = torch.zeros(n, H)
    sensor0[:, 0] = deck[:, 0]
    return torch.stack([air, sun, wind, sensor0], 2), gap


class JointGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        return self.out(self.gru(x)[0]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return JointGRU()


def main():
    from _twohundredseventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, gtr = windows(1200, g)
    rva, gva = windows(300, g)
    xm, xs = rtr.mean((0, 1)), rtr.std((0, 1))
    xm[3], xs[3] = 0.0, 10.0
    gm, gs = gtr.mean(), gtr.std()
    xtr, xva = (rtr - xm) / xs, (rva - xm) / xs
    ytr, yva = (gtr - gm) / gs, (gva - gm) / gs
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=14)
    with open(out / "joint.jsonl", "w") as f:
        for ep in range(14):
            model.train()
            tot, nb = 0.0, 0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item()
                nb += 1
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            rec = {"ep": ep, "train_mse": round(tot / nb, 5),
                   "val_mse": round(F.mse_loss(p, yva).item(), 5),
                   "val_mae_mm": round(((p - yva).abs() * gs).mean().item(), 4), "lr": lr}
            print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"gru": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                "ep": 13, "x_norm": (xm, xs), "gap_norm": (gm, gs)}, out / "joint_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="joint_gru.pt",
           log="joint.jsonl", what="GRU tracking a viaduct expansion joint's gap hour by hour (healthy)")


if __name__ == "__main__":
    main()
