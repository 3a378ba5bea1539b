"""Car wash rollover: estimate how worn a side brush is (0–100 % of its bristle length lost) from
the brush motor's current during one wash (64 samples over the car's pass): the current
rises as the bristles load against the car body and the load, the ripple from the brush's
rotation and the number of bristle "slaps" per turn change as the bristles wear down and
fray; car size, speed and foam amount vary the trace. Training targets are the operators'
monthly gauge readings, interpolated, with ±8 % reading noise; the validation targets are from
brushes measured on the bench (clean). A 1-D CNN (conv 12 → conv 24 → conv 32, average pool,
dropout 0.3, MLP head), L1 loss, Adam 2e-3 with a cosine decay, batch 64, 20 epochs of 2000
traces; a CSV log per epoch (``iter`` = optimiser steps so far, ``train_l1``, ``val_l1``,
``val_rmse_pct``).
Healthy, though the validation error sits below the training error all run long (the dropout
and the noisy gauge readings are in training only): train L1 40.7, 22.2, 18.6, 15.2 ... 11.0 %
and val L1 24.6, 18.9, 15.6, 12.1 ... 8.4 % (val RMSE 10.2 %) after 640 steps, flat for the last
8 epochs as the cosine decay ends; predicting the mean wear would give an L1 of 25 %."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 64


def traces(n, g, label_noise):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wear = r(n)
    t = torch.linspace(0, 1, T)
    size = 0.8 + 0.4 * r(n, 1)
    speed = 0.8 + 0.4 * r(n, 1)
    foam = r(n, 1)
    w = wear[:, None]
    load = size * (1 - 0.6 * w) * torch.exp(-((t - 0.5) / (0.25 * speed)) ** 2)
    ripple = (0.15 + 0.25 * w) * torch.sin(2 * torch.pi * (6 + 4 * w) * t * speed + 6 * r(n, 1))
    cur = 1.0 + load * (1 - 0.2 * foam) + ripple * load + 0.04 * torch.randn(n, T, generator=g)
    y = wear + label_noise * torch.randn(n, generator=g)
    return ((cur - 1.3) / 0.3)[:, None], (y * 100).clamp(0, 100)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 12, 5, padding=2), nn.ReLU(),
                         nn.Conv1d(12, 24, 5, padding=2, stride=2), nn.ReLU(),
                         nn.Conv1d(24, 32, 5, padding=2, stride=2), nn.ReLU(),
                         nn.AdaptiveAvgPool1d(4), nn.Flatten(), nn.Dropout(0.3),
                         nn.Linear(128, 32), nn.ReLU(), nn.Linear(32, 1))


def main():
    from _hundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(2000, g, label_noise=0.08)
    xva, yva = traces(500, g, label_noise=0.0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20 * 32)
    f = open(out / "brush_wear.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["iter", "train_l1", "val_l1", "val_rmse_pct"])
    it = 0
    for _ in range(20):
        model.train()
        perm = torch.randperm(2000, generator=g)
        tot = 0.0
        for i in range(0, 2000, 64):
            idx = perm[i:i + 64]
            loss = F.l1_loss(model(xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            it += 1
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            p = model(xva).squeeze(1)
            row = [it, round(tot / 2000, 3), round(F.l1_loss(p, yva).item(), 3),
                   round(F.mse_loss(p, yva).sqrt().item(), 3)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "lr_sched": sched.state_dict(), "iter": it, "target": "wear_pct"},
               out / "brush_wear_cnn.ckpt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=[],
           checkpoint="brush_wear_cnn.ckpt", log="brush_wear.csv",
           what="car wash brush wear from motor current, 1-D CNN regression (healthy)")


if __name__ == "__main__":
    main()
