"""Water utility: forecast the influent flow of a wastewater treatment works 6 hours ahead, for
storm-tank and pump scheduling. Input: the last 48 hours of hourly influent flow and of the
catchment's rainfall (radar, mm/h), the radar nowcast shifted 6 h ahead (rain up to the end of
the forecast window, 20 % multiplicative error), plus hour-of-day sin/cos; target: the next 6
hourly flows.
Synthetic: a dry-weather diurnal pattern (night minimum, morning and evening peaks, weekend
shape), slowly varying groundwater infiltration, and rain-derived inflow through a fast
(combined sewers, peak after ~2 h) and a slow (infiltration, days) unit hydrograph; storms of
random depth and duration; meter noise 2 %. Flow standardised by the training mean and std,
rain by its std. A GRU (5 → 48), a linear head to 6 steps; Adam 3e-3 with the gradient norm
clipped at 1, batch 64, 10 epochs of 2000 windows from a year of training series; JSON lines:
``it`` with ``train/mse`` every 25 iterations, and ``val/mse``, ``val/mae_m3h`` and
``val/nse`` (Nash–Sutcliffe efficiency) at the end of each epoch.
Healthy, with a noisy train curve (a batch with a storm in it costs ten times one without):
train MSE 0.48, 0.27, 0.40, 0.24 at iterations 25–100, then 0.07 → 0.009–0.028; val MSE 0.32
→ 0.033 over the 10 epochs (a small bump at epochs 5 and 7), val MAE 416 → 150 m³/h, NSE
0.64 → 0.963, still improving at the end."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

IN_H, OUT_H = 48, 6


def catchment(hours, g):
    t = torch.arange(hours).float()
    hod = t % 24
    day = (t // 24) % 7
    diurnal = (1 + 0.35 * torch.exp(-((hod - 8.5) / 2.0) ** 2) + 0.25 * torch.exp(-((hod - 19.5) / 2.5) ** 2)
               - 0.4 * torch.exp(-((hod - 4) / 2.5) ** 2))
    diurnal = torch.where(day >= 5, 1 + 0.8 * (diurnal - 1) * 0.9, diurnal)
    gw = 0.3 + 0.1 * torch.sin(2 * math.pi * t / (24 * 365)) + 0.02 * torch.cumsum(
        torch.randn(hours, generator=g), 0) / math.sqrt(hours)
    rain = torch.zeros(hours)
    i = 0
    while i < hours:
        i += int(torch.randint(20, 160, (1,), generator=g))
        dur = int(torch.randint(1, 10, (1,), generator=g))
        rain[i:i + dur] = float(torch.rand(1, generator=g)) ** 2 * 12
    k = torch.arange(72).float()
    fast = k * torch.exp(-k / 1.5)
    slow = torch.exp(-k / 30)
    uh = 0.12 * fast / fast.sum() * 6 + 0.03 * slow / slow.sum() * 6
    rdii = F.conv1d(F.pad(rain[None, None], (71, 0)), uh.flip(0)[None, None])[0, 0]
    flow = 1000 * (diurnal * 0.7 + gw + rdii * 3)
    flow = flow * (1 + 0.02 * torch.randn(hours, generator=g))
    return flow, rain, hod


def windows(flow, rain, nowcast, hod, starts):
    x = torch.stack([torch.stack([flow[s:s + IN_H], rain[s:s + IN_H],
                                  nowcast[s + OUT_H:s + IN_H + OUT_H],
                                  torch.sin(2 * math.pi * hod[s:s + IN_H] / 24),
                                  torch.cos(2 * math.pi * hod[s:s + IN_H] / 24)], -1)
                     for s in starts])
    y = torch.stack([flow[s + IN_H:s + IN_H + OUT_H] for s in starts])
    return x, y


class InfluentGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 48, batch_first=True)
        self.head = nn.Linear(48, OUT_H)

    def forward(self, x):
        return self.head(self.gru(x)[0][:, -1])


def build():
    torch.manual_seed(0)
    return InfluentGRU()


def main():
    from _hundredfortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    flow, rain, hod = catchment(24 * 365 + 24 * 120, g)
    split = 24 * 365
    mu, sd, rs = flow[:split].mean(), flow[:split].std(), rain[:split].std()
    fz, rz = (flow - mu) / sd, rain / rs
    nz = rz * (1 + 0.2 * torch.randn(len(rz), generator=g)).clamp(min=0)  # radar nowcast
    tr_starts = torch.randint(0, split - IN_H - OUT_H, (2000,), generator=g).tolist()
    va_starts = list(range(split, len(flow) - IN_H - OUT_H, 5))
    xtr, ytr = windows(fz, rz, nz, hod, tr_starts)
    xva, yva = windows(fz, rz, nz, hod, va_starts)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "influent_gru.jsonl", "w")
    it = 0
    for epoch in range(10):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            it += 1
            if it % 25 == 0:
                log.write(json.dumps({"it": it, "train/mse": round(loss.item(), 5)}) + "\n")
        model.eval()
        with torch.no_grad():
            p = model(xva)
            mse = F.mse_loss(p, yva).item()
            mae = ((p - yva).abs().mean() * sd).item()
            nse = 1 - ((p - yva) ** 2).sum().item() / ((yva - yva.mean()) ** 2).sum().item()
        rec = {"it": it, "epoch": epoch + 1, "val/mse": round(mse, 5),
               "val/mae_m3h": round(mae, 2), "val/nse": round(nse, 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 10,
                "horizon_h": OUT_H, "flow_mean": mu, "flow_std": sd, "rain_std": rs},
               out / "influent_gru_e10.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=[],
           checkpoint="influent_gru_e10.pt", log="influent_gru.jsonl",
           what="GRU 6-h wastewater influent forecast from flow and rainfall (healthy)")


if __name__ == "__main__":
    main()
