"""Plain torch: a GRU reads the GPS track of a paramotor pilot's wind-check circle (the turn a
pilot flies at altitude before heading cross-country; 40 fixes at 1 Hz) and gives the wind at
that height as east / north components (0-30 km/h from any direction), for the flight computer's
drift and fuel-range estimate. Physics: the wing flies at a trim airspeed of 32-45 km/h
(trimmers and throttle), the heading turns at 8-14 deg/s with the turn rate wandering, so the
circle is 320-560 deg and not flown evenly; ground velocity = air velocity + wind, plus gusts
(2 km/h) and GPS scatter (1 km/h). Per fix: ground velocity east / north (km/h / 50) and the
GPS course change since the previous fix (deg / 20).
nn.GRU(3, 48, 2 layers, batch_first=True), last state → linear 48→2; MSE on (wind east / 30,
wind north / 30), Adam 3e-3 with StepLR (x0.4 every 5 epochs), 14 epochs, batch 32, 1600
circles, validation on 400 (RMSE of the wind speed vector in km/h).
Log: JSON lines per epoch ``windcheck.jsonl`` (``ep`` / ``loss`` / ``val_loss`` /
``val_wind_rmse_kmh`` / ``lr``); checkpoint ``wind_gru.pt`` with keys ``model`` / ``optim`` /
``sched`` / ``ep``.
Healthy; numbers in the README."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 40


def circles(n, g):
    u = torch.rand(n, 5, generator=g)
    wspd = 30 * u[:, 0]
    wdir = 6.2832 * u[:, 1]
    wind = torch.stack([wspd * torch.sin(wdir), wspd * torch.cos(wdir)], 1)
    tas = 32 + 13 * u[:, 2]
    rate = (8 + 6 * u[:, 3]) * torch.where(u[:, 4] < 0.5, -1.0, 1.0)
    hdg = 6.2832 * torch.rand(n, generator=g)
    vel = []
    for _ in range(T):
        r = rate * (1 + 0.3 * torch.randn(n, generator=g))
        hdg = hdg + torch.deg2rad(r)
        air = torch.stack([tas * torch.sin(hdg), tas * torch.cos(hdg)], 1)
        gust = 2 * torch.randn(n, 2, generator=g)
        vel.append(air + wind + gust + 1.0 * torch.randn(n, 2, generator=g))
    v = torch.stack(vel, 1)
    course = torch.atan2(v[..., 0], v[..., 1])
    dc = torch.diff(course, dim=1, prepend=course[:, :1])
    dc = torch.rad2deg(torch.atan2(torch.sin(dc), torch.cos(dc)))
    x = torch.cat([v / 50, (dc / 20).unsqueeze(2)], 2)
    return x, wind / 30


class WindGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, num_layers=2, batch_first=True)
        self.out = nn.Linear(48, 2)

    def forward(self, x):
        return self.out(self.gru(x)[1][-1])


def build():
    torch.manual_seed(0)
    return WindGRU()


def main():
    from _twohundredeightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = circles(1600, g)
    xva, yva = circles(400, g)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    optim = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.StepLR(optim, step_size=5, gamma=0.4)
    with open(out / "windcheck.jsonl", "w") as f:
        for ep in range(14):
            model.train()
            tot, nb = 0.0, 0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                optim.zero_grad()
                loss.backward()
                optim.step()
                tot, nb = tot + loss.item(), nb + 1
            sched.step()
            model.eval()
            with torch.no_grad():
                pv = model(xva)
                vl = F.mse_loss(pv, yva).item()
                rmse = (((pv - yva) * 30) ** 2).sum(1).mean().sqrt().item()
            r = {"ep": ep, "loss": round(tot / nb, 6), "val_loss": round(vl, 6),
                 "val_wind_rmse_kmh": round(rmse, 3), "lr": round(sched.get_last_lr()[0], 6)}
            print(r)
            f.write(json.dumps(r) + "\n")
    torch.save({"model": model.state_dict(), "optim": optim.state_dict(),
                "sched": sched.state_dict(), "ep": 13}, out / "wind_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="wind_gru.pt", log="windcheck.jsonl",
           what="GRU giving the wind from a paramotor pilot's GPS wind-check circle (healthy)")


if __name__ == "__main__":
    main()
