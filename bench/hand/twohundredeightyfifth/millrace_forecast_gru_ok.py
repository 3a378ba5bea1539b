"""Plain torch: a GRU forecasts the water depth in a mill race for the next hour so the miller
can decide whether to open the wheel gate fully or let the head pond fill. Inputs: the last 8
hours at 10-minute steps (48 steps) of race depth (m), rainfall over the catchment (mm per 10
min: up to three showers of 2-12 steps, 0.2-2.5 mm, all starting
within the 8 hours) and the wheel gate (0 shut / 1 open, opened and
shut on the miller's schedule). Physics: the stream's flow is a base flow plus the rain routed
through a linear reservoir (time constant 40-120 min, a 30-minute lag); the depth in the race is
0.35·q^0.6 minus 0.08 m while the gate is open; 5 mm gauge noise. Targets: the depth change
at +10 ... +60 min (6 values, in cm), with the gate kept as it is at the last step (it is
switched only at the start of a trace).
Features scaled (depth / 0.5, rain / 2). GRU(3→48, 1 layer) → last hidden → Linear 48→48-Tanh-
Linear 48→6. MSE on the changes / 10 cm, RMSprop 2e-3 with ExponentialLR (x0.9 per epoch),
batch 48, 14 epochs of 1500 traces, validation on 300 (val MSE, RMSE at +60 min in cm).
Log: JSON lines every 10 steps ``forecast_train.jsonl`` (``step`` / ``epoch`` / ``mse`` / ``lr``)
and a separate per-epoch validation CSV ``forecast_val.csv`` (``epoch`` / ``val_mse`` /
``rmse_60min_cm`` / ``persistence_rmse_60min_cm``); checkpoint ``race_gru.pt`` with keys
``gru_state`` / ``rmsprop`` / ``exp_lr`` / ``epoch`` / ``feature_scale``.
Healthy; numbers in the README."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T, H = 48, 6
SCALE = torch.tensor([0.5, 2.0, 1.0])


def traces(n, g):
    tot = T + H
    rain = torch.zeros(n, tot)
    for i in range(n):
        for _ in range(int(torch.randint(0, 4, (1,), generator=g))):
            s = int(torch.randint(0, T - 2, (1,), generator=g))
            ln = int(torch.randint(2, 13, (1,), generator=g))
            rain[i, s:s + ln] += 0.2 + 2.3 * torch.rand(1, generator=g)
    u = torch.rand(n, 4, generator=g)
    k = 10 / (40 + 80 * u[:, 0])
    base = 0.3 + 0.5 * u[:, 1]
    gate = (u[:, 2] < 0.5).float().unsqueeze(1).expand(n, tot).clone()
    sw = (u[:, 3] * 20).long()
    for i in range(n):
        gate[i, :sw[i]] = 1 - gate[i, 0]
    store = torch.zeros(n)
    q = torch.zeros(n, tot)
    for t in range(tot):
        r_in = rain[:, t - 3] if t >= 3 else torch.zeros(n)
        store = store + r_in * 0.1 - k * store
        q[:, t] = base + k * store * 6
    depth = 0.35 * q ** 0.6 - 0.08 * gate + 0.005 * torch.randn(n, tot, generator=g)
    x = torch.stack([depth[:, :T], rain[:, :T], gate[:, :T]], 2) / SCALE
    y = (depth[:, T:] - depth[:, T - 1:T]) * 100
    return x, y


class RaceGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 48, batch_first=True)
        self.head = nn.Sequential(nn.Linear(48, 48), nn.Tanh(), nn.Linear(48, H))

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return RaceGRU()


def main():
    from _twohundredeightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(1500, g)
    xva, yva = traces(300, g)
    print("change cm", ytr.std(0), ytr.abs().max())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr / 10), batch_size=48, shuffle=True)
    model = build()
    rms = torch.optim.RMSprop(model.parameters(), lr=2e-3)
    exp_lr = torch.optim.lr_scheduler.ExponentialLR(rms, gamma=0.9)
    persist = yva[:, -1].pow(2).mean().sqrt().item()
    step = 0
    with open(out / "forecast_train.jsonl", "w") as ft, open(out / "forecast_val.csv", "w") as fv:
        fv.write("epoch,val_mse,rmse_60min_cm,persistence_rmse_60min_cm\n")
        for epoch in range(1, 15):
            model.train()
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                rms.zero_grad()
                loss.backward()
                rms.step()
                step += 1
                if step % 10 == 0:
                    ft.write(json.dumps({"step": step, "epoch": epoch, "mse": round(loss.item(), 6),
                                         "lr": exp_lr.get_last_lr()[0]}) + "\n")
            exp_lr.step()
            model.eval()
            with torch.no_grad():
                p = model(xva) * 10
                vmse = F.mse_loss(p / 10, yva / 10).item()
                r60 = (p[:, -1] - yva[:, -1]).pow(2).mean().sqrt().item()
            fv.write(f"{epoch},{vmse:.6f},{r60:.4f},{persist:.4f}\n")
            print(epoch, round(loss.item(), 5), round(vmse, 5), round(r60, 3), round(persist, 3))
    torch.save({"gru_state": model.state_dict(), "rmsprop": rms.state_dict(),
                "exp_lr": exp_lr.state_dict(), "epoch": 14, "feature_scale": SCALE},
               out / "race_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64] / 10), causes=[],
           checkpoint="race_gru.pt", log="forecast_val.csv",
           what="GRU forecasting a mill race's depth over the next hour from depth, rain and"
                " the wheel gate (healthy)")


if __name__ == "__main__":
    main()
