"""Plain torch: an MLP regresses a building chiller plant's electrical power (kW, one-hour mean)
from 10 building-automation numbers (outdoor dry-bulb and wet-bulb temperature, chilled-water
supply setpoint, condenser-water temperature, building cooling load proxy from the AHU valve
positions, occupancy share, hour of day as sin/cos, number of chillers staged, cooling-tower
fan speed). The power follows a load / lift physics shape (load × (1 + lift / 40) / COP, with
a staging penalty) plus 4 % metering noise. MLP 10-64-64-1 with SiLU, standardised target,
AdamW 2e-3 with weight decay 1e-4, batch 64, 40 epochs of 2048 hours, cosine lr to 0.
Healthy: val MSE (standardised) 0.114 after epoch 1, 0.036 at 5, 0.021 at 20, 0.0195 at 40
(MAE 7.7 → 3.3 kW), train MSE 0.0159; val stays a little above train, flattening as the
cosine lr goes to 0 (the metering noise sets the floor)."""
import json

import torch
import torch.nn as nn


def hours(n, g):
    x = torch.randn(n, 10, generator=g)
    dry = 24 + 6 * x[:, 0]
    wet = dry - 6 - 2 * x[:, 1].abs()
    chw = 7 + 1.0 * x[:, 2]
    cond = wet + 5 + 0.8 * x[:, 3]
    load = 400 * torch.sigmoid(0.9 * x[:, 4] + 0.5 * x[:, 5] + 0.3 * (dry - 24) / 6)
    lift = cond - chw
    stage = 1 + (load > 250).float() + 0.3 * x[:, 8].clamp(-1, 1)
    kw = load * (1 + lift / 40) / 5.0 + 12 * stage + 4 * torch.relu(x[:, 9])
    kw = kw * (1 + 0.04 * torch.randn(n, generator=g))
    return x, kw


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                         nn.Linear(64, 1))


def main():
    from _hundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ktr = hours(2048, g)
    xva, kva = hours(512, g)
    mu, sd = ktr.mean(), ktr.std()
    ytr, yva = ((ktr - mu) / sd)[:, None], ((kva - mu) / sd)[:, None]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40)
    mse = nn.MSELoss()
    log = open(out / "chiller_train.jsonl", "w")
    for epoch in range(40):
        model.train()
        perm = torch.randperm(2048, generator=g)
        tot = 0.0
        for i in range(0, 2048, 64):
            idx = perm[i:i + 64]
            loss = mse(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        sched.step()
        model.eval()
        with torch.no_grad():
            pv = model(xva)
        rec = {"epoch": epoch + 1, "lr": round(sched.get_last_lr()[0], 6),
               "train_mse": round(tot / 2048, 5), "val_mse": round(mse(pv, yva).item(), 5),
               "val_mae_kw": round(((pv - yva).abs().mean() * sd).item(), 2)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 40,
                "target_mean": mu.item(), "target_std": sd.item()}, out / "chiller_kw.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="chiller_kw.pt",
           log="chiller_train.jsonl",
           what="MLP regression of chiller plant kW from BMS numbers, AdamW + cosine (healthy)")


if __name__ == "__main__":
    main()
