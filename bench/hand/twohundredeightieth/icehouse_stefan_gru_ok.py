"""Plain torch: a GRU follows the thickness of lake ice through the first 60 days of a winter,
so the ice harvesting crew knows when the field will carry the horses and the saws and when
the clear ice will be thick enough to cut 30 cm blocks. Per day: mean air temperature (C, a
seasonal cooling with 3-7 day cold snaps and thaws) and the snow lying on the ice (cm, from
snowfalls, packed down and blown off over time). Physics: Stefan's law with snow insulation,
dh/dt = 86400 * k_ice * (0 - T_air) / (rho L (h + k_ice / k_snow * s)) while the air is below
0 C, a slow melt from the top when it is above; the ice starts at 2-6 cm. Target: ice thickness
(cm) every day, 1 cm auger-hole scatter. Inputs per day: air temperature / 10 and snow / 20;
target thickness / 30.
nn.GRU(2, 48, batch_first=True), linear 48→1, MSE over all 60 days, RMSprop 2e-3 with StepLR
(x0.5 every 6 epochs), 18 epochs, batch 40, 1000 winters, validation on 250.
Log: JSON lines per epoch ``icegrowth.jsonl`` (``epoch`` / ``loss`` / ``val_loss`` /
``val_rmse_cm`` / ``lr``); checkpoint ``icegrowth_gru.pt`` with keys ``gru_state`` /
``rmsprop_state`` / ``epoch`` / ``target_scale``.
Healthy; numbers in the README."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

DAYS = 60


def winters(n, g):
    x = torch.zeros(n, DAYS, 2)
    y = torch.zeros(n, DAYS)
    for i in range(n):
        trend = -2 - 12 * torch.rand(1, generator=g).item()
        t = torch.linspace(0, 1, DAYS) * trend + 1
        d = 0
        while d < DAYS:
            span = torch.randint(3, 8, (1,), generator=g).item()
            t[d:d + span] += 6 * (torch.rand(1, generator=g).item() - 0.5) * 2
            d += span
        t = t + 1.5 * torch.randn(DAYS, generator=g)
        s = torch.zeros(DAYS)
        snow = 0.0
        h = 2 + 4 * torch.rand(1, generator=g).item()
        hs = torch.zeros(DAYS)
        for d in range(DAYS):
            if torch.rand(1, generator=g).item() < 0.12:
                snow += 3 + 12 * torch.rand(1, generator=g).item()
            snow *= 0.95
            s[d] = snow
            if t[d] < 0:
                h += 2.2 * (-t[d].item()) / (h + 7 * snow)  # cm/day, k_ice/k_snow ~ 7
            else:
                h = max(h - 0.25 * t[d].item(), 1.0)
            hs[d] = h
        x[i, :, 0] = t / 10
        x[i, :, 1] = s / 20
        y[i] = (hs + 1.0 * torch.randn(DAYS, generator=g)) / 30
    return x, y


class IceGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h).squeeze(-1)


def build():
    torch.manual_seed(0)
    return IceGRU()


def main():
    from _twohundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = winters(1000, g)
    xva, yva = winters(250, g)
    print("thickness cm, day 60:", (30 * ytr[:, -1]).min().item(), (30 * ytr[:, -1]).max().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.5)
    with open(out / "icegrowth.jsonl", "w") as f:
        for epoch in range(18):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                n += len(yb)
            sched.step()
            model.eval()
            with torch.no_grad():
                v = F.mse_loss(model(xva), yva).item()
            rec = {"epoch": epoch, "loss": round(tot / n, 6), "val_loss": round(v, 6),
                   "val_rmse_cm": round(30 * v ** 0.5, 3), "lr": sched.get_last_lr()[0]}
            print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"gru_state": model.state_dict(), "rmsprop_state": opt.state_dict(), "epoch": 17,
                "target_scale": 30.0}, out / "icegrowth_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="icegrowth_gru.pt", log="icegrowth.jsonl",
           what="GRU following lake ice thickness through a winter from air temperature and"
                " snow cover (healthy)")


if __name__ == "__main__":
    main()
