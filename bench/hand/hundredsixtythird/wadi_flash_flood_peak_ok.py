"""Desert hydrology: a 1-D CNN predicts the peak discharge of a flash flood at a wadi outlet
from the 48 hourly rain-gauge totals of the storm at three gauges in the catchment (upper,
middle, lower wadi) plus the channel state (days since the last flow, as a channel input held
constant). Desert runoff is threshold-driven: the hard, crusted slopes shed rain only above an
intensity of ~6–9 mm/h (Hortonian runoff), the dry alluvial channel swallows the first flow
(transmission losses, smaller when the bed is still wet from a recent flood), and the upper
gauge's runoff arrives 3 h later than the lower gauge's; convective cells give short, intense
bursts at one or two gauges. The target is log(1 + peak m³/s), standardised; 32 % of the
storms have no flow at all (target at its floor), and the gauged peaks carry 15 % rating-curve
noise. Conv1d 4 → 16 (k 5) → 32 (k 5, stride 2) → 32 (k 3), ReLU, global max and mean pools, a
linear head. Adam 1e-3, batch 32, 15 epochs of 1500 storms; a CSV log per epoch (train MSE, val
MSE, val MAE in log units, val R²).
Healthy, with a jumpy validation: val R² 0.47, 0.70, 0.78, 0.78, 0.80, 0.84, 0.85, 0.84, then
0.81 at epoch 9 (val MSE 0.158 → 0.189), 0.87, 0.84 and up to 0.89 (0.891 at epoch 15, val MSE
0.108, val MAE 0.45 in log1p(m³/s)); train MSE 0.81 → 0.100, val close to train from epoch 3.
"""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

HOURS = 48


def storms(n, g):
    rain = torch.zeros(n, 3, HOURS)
    for i in range(n):
        for _ in range(int(torch.randint(1, 5, (1,), generator=g))):
            gauge = int(torch.randint(0, 3, (1,), generator=g))
            t0 = int(torch.randint(0, HOURS - 6, (1,), generator=g))
            dur = int(torch.randint(1, 5, (1,), generator=g))
            peak = -10.0 * float(torch.log(torch.rand(1, generator=g)))  # exponential, mean 10
            spread = torch.rand(3, generator=g) * 0.6 * (torch.arange(3) != gauge)
            for k in range(3):
                w = 1.0 if k == gauge else float(spread[k])
                rain[i, k, t0:t0 + dur] += peak * w * (0.5 + torch.rand(dur, generator=g))
    rain = rain + 0.3 * torch.rand(n, 3, HOURS, generator=g) * (rain > 0)
    dry_days = -120.0 * torch.log(torch.rand(n, generator=g))  # exponential, mean 120 days
    thresh = 6 + 3 * torch.rand(n, 1, 1, generator=g)
    excess = (rain - thresh).clamp(min=0)
    lag = torch.stack([torch.roll(excess[:, 0], 3, -1), torch.roll(excess[:, 1], 1, -1),
                       excess[:, 2]], 1)
    hydro = F.avg_pool1d(lag.sum(1, keepdim=True), 3, 1, 1)[:, 0] * 4.0
    loss_ch = 2 + 6 * (1 - torch.exp(-dry_days / 60))
    peak = (hydro.amax(1) - loss_ch).clamp(min=0)
    peak = peak * torch.exp(0.15 * torch.randn(n, generator=g))
    y = torch.log1p(peak)
    x = torch.cat([torch.log1p(rain), (dry_days / 100)[:, None, None].expand(n, 1, HOURS)], 1)
    return x, y


class FloodCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(4, 16, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        h = self.conv(x)
        return self.head(torch.cat([h.amax(-1), h.mean(-1)], 1))[:, 0]


def build():
    torch.manual_seed(0)
    return FloodCNN()


def main():
    from _hundredsixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = storms(1900, g)
    print("no-flow share:", (y == 0).float().mean().item())
    y_mu, y_sd = y[:1500].mean(), y[:1500].std()
    ys = (y - y_mu) / y_sd
    xtr, ytr, xva, yva = x[:1500], ys[:1500], x[1500:], ys[1500:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "wadi_training.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "Train MSE", "Val MSE", "Val MAE (log1p m3/s)", "Val R2"])
    for epoch in range(1, 16):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            p = model(xva)
        mse = F.mse_loss(p, yva).item()
        row = [epoch, round(tot / len(xtr), 4), round(mse, 4),
               round(((p - yva).abs().mean() * y_sd).item(), 4),
               round(1 - mse / yva.var().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"net": model.state_dict(), "adam": opt.state_dict(), "epoch": 15,
                "target_mean": y_mu, "target_std": y_sd, "hours": HOURS},
               out / "wadi_floodcnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="wadi_floodcnn.pth", log="wadi_training.csv",
           what="1-D CNN wadi flash-flood peak from three rain gauges (healthy)")


if __name__ == "__main__":
    main()
