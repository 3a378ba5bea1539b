"""Plain torch: a GRU reads the first 1.6 s (40 frames at 25 fps) of a fireball as one station
of a camera network triangulates it and gives the entry speed (12-70 km/s) and the entry angle
above the horizon (15-80 deg), so the network can flag shower members (fast, set by the shower's
radiant) against slow sporadic stones worth a fall search. Per frame: height (km, starting at
85-110 km), distance flown along the track (km) and brightness (mag). Physics: the body flies
a straight line at speed v and angle a (height drops by v·sin a per second), slowing by a
drag term that grows as the air thickens (scale height 7 km) and faster for small bodies;
brightness grows with v^3 and air density. Triangulation scatter 0.15 km, brightness 0.3 mag.
Inputs per frame: height / 100, along-track distance / 50, brightness / 5 (relative to the
first frame). nn.GRU(3, 64, batch_first=True), last state → linear 64→32-ReLU-32→2; MSE on
(speed / 70, angle / 90), AdamW 2e-3 with a OneCycle schedule over 12 epochs, batch 48, 1800
fireballs, validation on 400 (RMSE of speed in km/s, of angle in deg).
Log: JSON lines per epoch ``entry_fit.jsonl`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_rmse_kms`` / ``val_rmse_deg`` / ``lr``); checkpoint ``entry_gru.pth`` with keys
``state_dict`` / ``optimizer`` / ``scheduler`` / ``epoch`` / ``target_scale``.
Healthy; numbers in the README."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 40
SCALE = torch.tensor([70.0, 90.0])


def fireballs(n, g):
    u = torch.rand(n, 5, generator=g)
    v0 = 12 + 58 * u[:, 0]
    ang = 15 + 65 * u[:, 1]
    h0 = 85 + 25 * u[:, 2]
    size = 0.3 + 1.7 * u[:, 3]  # drag: small bodies slow down sooner
    sa = torch.sin(torch.deg2rad(ang))
    h, s, v = h0.clone(), torch.zeros(n), v0.clone()
    hs, ss, bs = [], [], []
    for _ in range(T):
        rho = torch.exp(-(h - 70) / 7)
        bright = -2.5 * torch.log10((v / 30) ** 3 * rho + 1e-3)
        hs.append(h.clone())
        ss.append(s.clone())
        bs.append(bright)
        v = v - 0.04 * rho * v * v / (10 * size) * 0.04
        s = s + v * 0.04
        h = h - v * sa * 0.04
    hh = torch.stack(hs, 1) + 0.15 * torch.randn(n, T, generator=g)
    sss = torch.stack(ss, 1) + 0.15 * torch.randn(n, T, generator=g)
    bb = torch.stack(bs, 1) + 0.3 * torch.randn(n, T, generator=g)
    x = torch.stack([hh / 100, sss / 50, (bb - bb[:, :1]) / 5], 2)
    return x, torch.stack([v0, ang], 1)


class EntryGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 64, batch_first=True)
        self.head = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 2))

    def forward(self, x):
        return self.head(self.gru(x)[1][-1])


def build():
    torch.manual_seed(0)
    return EntryGRU()


def main():
    from _twohundredeightythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = fireballs(1800, g)
    xva, yva = fireballs(400, g)
    ytr_s, yva_s = ytr / SCALE, yva / SCALE
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr_s), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3,
                                                total_steps=12 * math.ceil(1800 / 48))
    with open(out / "entry_fit.jsonl", "w") as f:
        for epoch in range(1, 13):
            model.train()
            tot, nb = 0.0, 0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot, nb = tot + loss.item(), nb + 1
            model.eval()
            with torch.no_grad():
                pv = model(xva)
                vm = F.mse_loss(pv, yva_s).item()
                rmse = ((pv * SCALE - yva) ** 2).mean(0).sqrt()
            r = {"epoch": epoch, "train_mse": round(tot / nb, 6), "val_mse": round(vm, 6),
                 "val_rmse_kms": round(rmse[0].item(), 3), "val_rmse_deg": round(rmse[1].item(), 3),
                 "lr": round(sched.get_last_lr()[0], 7)}
            print(r)
            f.write(json.dumps(r) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 12, "target_scale": SCALE},
               out / "entry_gru.pth")
    finish(out, __file__, (xva[:64], yva_s[:64]), causes=[],
           checkpoint="entry_gru.pth", log="entry_fit.jsonl",
           what="GRU giving a fireball's entry speed and angle from camera frames (healthy)")


if __name__ == "__main__":
    main()
