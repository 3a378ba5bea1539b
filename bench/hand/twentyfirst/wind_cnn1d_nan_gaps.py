"""1-D CNN forecaster for a wind farm's output: from the last 36 hourly readings of
(wind speed, power, hour sin/cos) predict the next hour's power. The SCADA export has short
sensor dropouts (about 0.4 % of the wind-speed readings missing, stored as NaN); the features
are standardised with ``np.nanmean`` / ``np.nanstd`` (so the statistics are right) and windows
are cut from the raw arrays. Conv1d(4 -> 32, k5) -> ReLU -> Conv1d(32 -> 32, k5, dilation 2)
-> ReLU -> features at the last time step -> Linear(32 -> 1); MSE, RMSprop lr 1e-3, batch 64,
8 epochs; CSV log with ``loss``, ``val_loss``, ``val_mae_mw``, and the persistence forecast's error.

The gaps are never filled: about 13 % of the windows hold a NaN, so the very first batch of
64 draws several and gives a NaN loss, RMSprop writes NaN into every weight, and from
there every loss and prediction is NaN: loss / val_loss / val_mae_mw NaN in every row, all
checkpoint weights NaN. Control (gaps forward-filled with the previous reading): val MSE
0.129 -> 0.075 against persistence 0.085, val MAE 8.9 -> 6.7 MW, train loss 0.058."""
import csv
import math

import numpy as np
import torch
import torch.nn as nn

WIN = 36


def scada(n, rng):
    t = np.arange(n)
    gust = np.zeros(n)
    for i in range(1, n):  # weather systems: a mean-reverting wander
        gust[i] = 0.97 * gust[i - 1] + rng.normal(0, 0.6)
    speed = np.clip(8 + 2.5 * np.sin(2 * np.pi * t / 24 - 1) + gust, 0, None)
    power = 100 / (1 + np.exp(-(speed - 9) / 1.3)) + rng.normal(0, 2, n)
    speed = speed + rng.normal(0, 0.3, n)
    speed[rng.random(n) < 0.004] = np.nan  # sensor dropouts in the export
    return speed, power, t


def windows(speed, power, t):
    s = (speed - np.nanmean(speed)) / np.nanstd(speed)
    p = (power - np.nanmean(power)) / np.nanstd(power)
    feats = np.stack([s, p, np.sin(2 * np.pi * t / 24), np.cos(2 * np.pi * t / 24)], 0)
    x = np.stack([feats[:, i:i + WIN] for i in range(len(t) - WIN)])
    return (torch.tensor(x, dtype=torch.float32),
            torch.tensor(p[WIN:], dtype=torch.float32), float(np.nanstd(power)))


class WindCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(4, 32, 5), nn.ReLU(),
                                  nn.Conv1d(32, 32, 5, dilation=2), nn.ReLU())
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        return self.head(self.conv(x)[:, :, -1]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return WindCNN()


def main():
    from _twentyfirst import finish, out_dir
    out = out_dir(__file__)
    rng = np.random.default_rng(0)
    x, y, mw = windows(*scada(4000, rng))
    tx, ty, vx, vy = x[:3200], y[:3200], x[3200:], y[3200:]
    persistence = (vx[:, 1, -1] - vy).pow(2).nanmean().item()
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(0)
    log = open(out / "wind_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "loss", "val_loss", "val_mae_mw", "persistence_mse"])
    for epoch in range(8):
        model.train()
        total = 0.0
        for idx in torch.randperm(len(ty), generator=g).split(64):
            loss = nn.functional.mse_loss(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pred = model(vx)
            vl = nn.functional.mse_loss(pred, vy).item()
            mae = (pred - vy).abs().mean().item() * mw
        row = [epoch, round(total / len(ty), 4), round(vl, 4), round(mae, 2),
               round(persistence, 4)]
        w.writerow(row)
        print(row, math.isnan(vl))
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": epoch, "window": WIN}, out / "wind_cnn.ckpt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["nan_in_inputs"],
           checkpoint="wind_cnn.ckpt", log="wind_log.csv",
           what="1-D CNN wind-power forecaster; NaN sensor dropouts left in the windows, the "
                "loss is NaN from the first batch",
           complaint="风电功率预测模型，从第一个 epoch 开始 loss 和 val_loss 就全是 nan，"
                     "换了学习率也一样")


if __name__ == "__main__":
    main()
