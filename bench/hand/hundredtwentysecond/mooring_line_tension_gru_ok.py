"""Port operations: a GRU forecasts the peak tension in a moored container ship's spring line over
the next 5 minutes from the last 64 samples (10-s means) of 5 channels measured at the berth:
significant wave height, wave period, wind speed across the berth, the ship's surge excursion
from the laser docking system, and the line tension itself. Synthetic records: long-period swell
driving surge through a resonance near the ship's surge natural period (a damped oscillator
sampled every 10 s), wind gusts, tension = pretension + stiffness × surge stretch (one-sided,
the line goes slack) + gust load; the target is the max over the next 30 fine samples, in
tonnes, standardised. GRU(5 → 48), dropout 0.2 on its last state, Linear 48 → 1; AdamW 2e-3,
weight decay 1e-4, batch 64, 10 epochs of 1600 windows (250 steps); a CSV log every 25 steps
(``iter,train_mse,valid_mse``).
Healthy, though it looks stuck: the valid MSE drops 0.48 → 0.37 in 50 steps, then only creeps
down to 0.333 at step 250 (the future gusts and swell are not predictable; a ridge regression on
the flattened window gets 0.389); it sits below the train MSE (dropout, and the train column
is the mean over the last 25 steps) up to step 150 and within 0.015 above it after (0.333 vs
0.331 at the end)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T_IN, T_OUT = 64, 30


def records(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    steps = T_IN + T_OUT
    hs = 0.5 + 1.5 * r(n, 1)
    tp = 8 + 6 * r(n, 1)
    wind = 5 + 10 * r(n, 1)
    omega_n = 6.283 / (60 + 60 * r(n, 1))          # surge natural period 60–120 s
    dt = 10.0
    surge = torch.zeros(n, steps)
    v = torch.zeros(n)
    xpos = torch.zeros(n)
    force = torch.zeros(n, steps)
    drift_f = 0.05 * hs[:, 0] ** 2
    for k in range(steps):
        f = (drift_f * (1 + 0.8 * torch.randn(n, generator=g))
             + 0.01 * wind[:, 0] * torch.randn(n, generator=g))
        force[:, k] = f
        a = f - 2 * 0.08 * omega_n[:, 0] * v - omega_n[:, 0] ** 2 * xpos
        v = v + a * dt
        xpos = xpos + v * dt
        surge[:, k] = xpos
    pre = 8 + 4 * r(n, 1)
    tension = pre + 25 * (surge - 0.2).clamp(min=0) + 0.3 * wind * force.abs() * 4
    tension = tension + 0.5 * torch.randn(n, steps, generator=g)
    x = torch.stack([hs.expand(n, T_IN) + 0.05 * torch.randn(n, T_IN, generator=g),
                     tp.expand(n, T_IN), wind.expand(n, T_IN) + torch.randn(n, T_IN, generator=g),
                     surge[:, :T_IN], tension[:, :T_IN]], -1)
    y = tension[:, T_IN:].amax(1)
    return x, y


class TensionGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 48, batch_first=True)
        self.drop = nn.Dropout(0.2)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(self.drop(h[:, -1]))[:, 0]


def build():
    torch.manual_seed(0)
    return TensionGRU()


def main():
    from _hundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = records(2000, g)
    xm, xs = x[:1600].mean((0, 1)), x[:1600].std((0, 1))
    ym, ys = y[:1600].mean(), y[:1600].std()
    x, y = (x - xm) / xs, (y - ym) / ys
    xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    it, run = 0, []
    with open(out / "tension_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["iter", "train_mse", "valid_mse"])
        for _ in range(10):
            perm = torch.randperm(1600, generator=g)
            for i in range(0, 1600, 64):
                model.train()
                idx = perm[i:i + 64]
                loss = F.mse_loss(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                it += 1
                run.append(loss.item())
                if it % 25 == 0:
                    model.eval()
                    with torch.no_grad():
                        vl = F.mse_loss(model(xva), yva).item()
                    w.writerow([it, round(sum(run) / len(run), 4), round(vl, 4)])
                    print(it, round(sum(run) / len(run), 4), round(vl, 4))
                    run = []
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "iter": it,
                "x_mean": xm, "x_std": xs, "y_mean_t": float(ym), "y_std_t": float(ys)},
               out / "tension_gru.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=[],
           checkpoint="tension_gru.pt", log="tension_log.csv",
           what="GRU forecasting mooring-line peak tension at a container berth (healthy)")


if __name__ == "__main__":
    main()
