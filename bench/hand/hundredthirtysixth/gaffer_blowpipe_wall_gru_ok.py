"""Glassblowing studio: predict the mean wall thickness (mm) of a blown vessel, measured after
the annealer, from the blowpipe's sensors during the first inflation. 64 readings at 4 Hz
(16 s) of 4 channels: breath pressure (kPa, a pressure transducer in the mouthpiece), pipe
rotation rate (rev/s, from the gaffer's bench roll), gather surface temperature (°C, a
pyrometer, the gather cools between reheats) and an on/off flag for the glory hole reheat.
The glass stretches where it is hot: the bubble grows with pressure × fluidity (fluidity rises
steeply with temperature), and slow rotation lets it sag and thin on one side; thickness is the
gather mass spread over the bubble area, plus measuring noise (0.1 mm). Channels standardised
with training statistics, the target in mm. A 1-layer GRU (hidden 48) over the sequence, the
last hidden state into a linear head, MSE, Adam 2e-3 with a step decay (×0.3 at epoch 14),
batch 32, 20 epochs of 1200 pieces; a CSV log per epoch.
Healthy, a little odd: the val MSE sits below the train MSE in most epochs (the train MSE is
the running mean over an epoch that starts worse), and both flatten from epoch 12 at about 10×
the measuring-noise floor (0.01): train MSE 1.85 → 0.105, val MSE 0.617 → 0.113, val MAE
0.558 → 0.237 mm (mean-guess val MSE 0.967, MAE 0.755 mm; wall 1.76 ± 0.96 mm), a small
further drop after the lr step at epoch 15."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 64
CHANNELS = ["pressure_kpa", "rotation_rps", "surface_temp_c", "reheat"]


def pieces(n, g):
    t = torch.arange(T) / 4.0
    temp0 = 1080 + 40 * torch.randn(n, 1, generator=g)
    reheat = torch.zeros(n, T)
    start = torch.randint(20, 40, (n,), generator=g)
    for i in range(n):
        if torch.rand(1, generator=g) < 0.6:
            reheat[i, start[i]:start[i] + 8] = 1.0
    temp = temp0 - 9 * t[None] + 5.5 * torch.cumsum(reheat, 1)       # reheat: +22 °C/s
    temp = temp + 5 * torch.randn(n, T, generator=g)
    puffs = torch.rand(n, T, generator=g) < 0.12
    pressure = (1.5 + 2.5 * torch.rand(n, 1, generator=g)) * F.avg_pool1d(
        puffs.float()[:, None], 5, 1, 2)[:, 0] * 5 * (1 - reheat)
    pressure = pressure + 0.1 * torch.randn(n, T, generator=g)
    rotation = (0.4 + 0.8 * torch.rand(n, 1, generator=g)) + 0.1 * torch.randn(n, T, generator=g)
    fluidity = torch.exp((temp - 1000) / 60)
    growth = (pressure.clamp(min=0) * fluidity).sum(1) / 40
    sag = (fluidity / rotation.clamp(min=0.2)).mean(1) / 8
    mass = 1.0 + 0.15 * torch.randn(n, generator=g)
    wall = 6.0 * mass / (1 + growth) ** 0.8 * (1 - 0.3 * torch.tanh(sag))
    wall = wall + 0.1 * torch.randn(n, generator=g)
    x = torch.stack([pressure, rotation, temp, reheat], 2)
    return x, wall


class WallGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h[:, -1]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return WallGRU()


def main():
    from _hundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = pieces(1500, g)
    mu, sd = x[:1200].mean((0, 1)), x[:1200].std((0, 1))
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:1200], y[:1200], x[1200:], y[1200:]
    print(f"wall mm: mean {ytr.mean():.2f} std {ytr.std():.2f}")
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=14, gamma=0.3)
    f = open(out / "wall_training.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "lr", "train_mse", "val_mse", "val_mae_mm"])
    for epoch in range(20):
        model.train()
        perm = torch.randperm(1200, generator=g)
        tot = 0.0
        for i in range(0, 1200, 32):
            idx = perm[i:i + 32]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            p = model(xva)
            row = [epoch + 1, sched.get_last_lr()[0], round(tot / 1200, 4),
                   round(F.mse_loss(p, yva).item(), 4), round((p - yva).abs().mean().item(), 4)]
        sched.step()
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"weights": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 20, "channels": CHANNELS,
                "channel_mean": mu, "channel_std": sd}, out / "wall_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="wall_gru.pt", log="wall_training.csv",
           what="GRU regression of blown-glass wall thickness from blowpipe pressure, rotation "
                "and temperature (healthy)")


if __name__ == "__main__":
    main()
