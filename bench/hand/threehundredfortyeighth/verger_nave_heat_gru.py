"""Plain torch: a GRU gives, hour by hour, the air temperature in the nave of a stone parish
church, so the verger can judge how early to switch the boiler on before a service without
burning oil all week. Two weeks of winter per record (336 hours). Heat balance of two
masses: the nave air (small, fast) is warmed by the boiler when it is on (60-110 kW by church),
by the congregation (about 100 W a person) and a little by sun through the south windows,
and loses heat to the walls and pillars (huge thermal mass, about 60× the air) and through
the roof and leaky doors to outside; the walls lose to outside slowly. Outside temperature
follows a daily cycle around a weather front that drifts over days. The boiler runs on the
verger's timer (on 3-8 h before the Sunday services and the midweek evensong, with odd
extra hours for funerals and concerts).
Input per hour: (boiler on, outside °C / 10, people / 100, sun, hour of day as sin / cos).
Target per hour: (nave °C - 10) / 5, the first 24 hours being warm-up and left out of the loss.
Model: GRU 6→48, 2 layers, Linear 48→1 per step; MSE, SGD 0.3 with momentum 0.9, batch 16,
8 epochs, 192 fortnights, validation on 64.
The bug: the step is taken on the raw gradient, ``gnorm = nn.utils.clip_grad_norm_(
model.parameters(), max_norm=1e6)  # log the gradient norm``, so nothing is clipped and the
long back-propagation through 336 hours lets one large gradient kick the recurrent weights
into a region where the next is larger still: gradient norm 0.2-2.4 in epoch 0, then 13,
24, 166, 1.0e4, 1.3e5 ... 2.5e7 in epoch 1, train MSE 0.23 → 4.9e11, val MSE 3.02 after
epoch 0 and 8.1e11 → 1.9e11 after (control, ``max_norm=1.0``: gradient norm at most 3.8, val
MSE 0.229 → 0.072 (0.051 at epoch 6), MAE 1.68 → 1.04 °C).
Log: CSV per step ``nave_steps.csv`` (``step`` / ``epoch`` / ``mse`` / ``grad_norm``) and a
per-epoch CSV ``nave_val.csv`` (``epoch`` / ``val_mse`` / ``val_mae_c`` /
``val_mae_c_service``, the last over service hours only; named as the log in the truth);
checkpoint ``nave_gru.pt`` with keys ``gru_head`` / ``sgd_momentum`` / ``epochs_done`` /
``inputs`` / ``temp_center_scale``."""
import csv
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

H = 336
WARM = 24


def fortnights(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hour = torch.arange(H)
    hod, dow = hour % 24, (hour // 24) % 7  # noqa: F841
    kw = 60 + 50 * r(n)
    ua, uw, uo = 4 + 4 * r(n), 0.8 + 0.4 * r(n), 0.8 + 0.6 * r(n)  # kW/K
    c_air, c_wall = 15 + 10 * r(n), 800 + 600 * r(n)  # kWh/K (air with pews and floor)
    lead = (3 + 5 * r(n)).round()
    front = torch.cumsum(0.25 * torch.randn(n, H // 24 + 1, generator=g), 1)
    front = front.repeat_interleave(24, 1)[:, :H]
    t_out = 4 + 3 * r(n, 1) + front - 3 * torch.cos(2 * math.pi * (hod - 3) / 24)
    sun = (torch.sin(math.pi * (hod - 8) / 8).clamp(min=0)).expand(n, H) * r(n, H // 24 + 1) \
        .repeat_interleave(24, 1)[:, :H]
    people = torch.zeros(n, H)
    boiler = torch.zeros(n, H)
    for d in range(H // 24):
        if d % 7 == 6:  # Sunday: 8 am said, 10:30 sung eucharist
            people[:, d * 24 + 8] = 15 + 15 * r(n)
            people[:, d * 24 + 10:d * 24 + 12] = (60 + 100 * r(n)).unsqueeze(1)
            on = (10 - lead).long()
        elif d % 7 == 2:  # Wednesday evensong
            people[:, d * 24 + 18] = 10 + 20 * r(n)
            on = (18 - lead).long()
        else:
            continue
        for i in range(n):
            boiler[i, d * 24 + on[i]:d * 24 + (12 if d % 7 == 6 else 19)] = 1
    extra = r(n, H) < 0.01
    boiler = torch.maximum(boiler, extra.float())
    t_wall = t_out[:, 0] + 2 + 3 * r(n)
    t_air = t_wall - 0.5
    temps = []
    for h in range(H):
        q = boiler[:, h] * kw + 0.1 * people[:, h] + 3 * sun[:, h]
        d_air = (q - ua * (t_air - t_wall) - uo * (t_air - t_out[:, h])) / c_air
        d_wall = (ua * (t_air - t_wall) - uw * (t_wall - t_out[:, h])) / c_wall
        t_air, t_wall = t_air + d_air, t_wall + d_wall
        temps.append(t_air)
    t_air = torch.stack(temps, 1) + 0.2 * torch.randn(n, H, generator=g)
    x = torch.stack([boiler, t_out / 10, people / 100, sun,
                     torch.sin(2 * math.pi * hod / 24).expand(n, H),
                     torch.cos(2 * math.pi * hod / 24).expand(n, H)], 2)
    return x, ((t_air - 10) / 5).unsqueeze(2), people > 0


class NaveGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(6, 48, num_layers=2, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        return self.head(self.rnn(x)[0])


def build():
    torch.manual_seed(0)
    return NaveGRU()


def main():
    from _threehundredfortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr, _ = fortnights(192, g)
    xva, yva, sva = fortnights(64, g)
    print("nave °C", (ytr * 5 + 10).mean().item(), (ytr * 5 + 10).min().item(),
          (ytr * 5 + 10).max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)
    step = 0
    with open(out / "nave_steps.csv", "w", newline="") as fs, \
            open(out / "nave_val.csv", "w", newline="") as fv:
        slog, vlog = csv.writer(fs), csv.writer(fv)
        slog.writerow(["step", "epoch", "mse", "grad_norm"])
        vlog.writerow(["epoch", "val_mse", "val_mae_c", "val_mae_c_service"])
        for epoch in range(8):
            model.train()
            for xb, yb in dl:
                loss = ((model(xb) - yb)[:, WARM:] ** 2).mean()
                opt.zero_grad()
                loss.backward()
                gnorm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1e6)  # log the gradient norm
                opt.step()
                slog.writerow([step, epoch, f"{loss.item():.6g}", f"{gnorm.item():.6g}"])
                step += 1
            model.eval()
            with torch.no_grad():
                err = (model(xva) - yva)[:, WARM:, 0]
            svc = sva[:, WARM:]
            row = [(err ** 2).mean().item(), 5 * err.abs().mean().item(),
                   5 * err.abs()[svc].mean().item()]
            vlog.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"gru_head": model.state_dict(), "sgd_momentum": opt.state_dict(),
                "epochs_done": 8, "inputs": ["boiler", "t_out/10", "people/100", "sun",
                                              "sin_h", "cos_h"],
                "temp_center_scale": (10.0, 5.0)}, out / "nave_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="nave_gru.pt", log="nave_val.csv",
           what="GRU giving hourly nave temperature of a stone church from the boiler timer;"
                " SGD on 336-hour sequences with the gradient never clipped",
           complaint="教堂中殿温度预测的 GRU 模型，第一个 epoch 还正常（loss 从 0.55 降到 0.22），"
                     "第二个 epoch 开始 loss 突然变成 3、5、71、4643，然后到 10 的 11 次方，"
                     "我记录的梯度范数也从 1 左右涨到 2500 万。验证集平均误差变成两百万到六百万摄氏度。"
                     "数据我检查过，没有异常值，学习率 0.3 用 SGD。")


if __name__ == "__main__":
    main()
