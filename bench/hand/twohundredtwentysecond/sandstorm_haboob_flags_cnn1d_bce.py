"""Plain torch: a 1-D CNN reads 6 h of a desert weather station (5-min samples → 72 steps,
6 channels: wind speed, wind direction sin/cos, PM10 dust, relative humidity, pressure) and
flags three things a sandstorm warning needs, multi-label: a haboob dust front arriving
(PM10 ramps up sharply after a gust front), a wind shift (direction rotates by > 90°), and a
visibility drop (dust stays high for the last hour with strong wind). Each label is drawn
and written into the series as that event, with diurnal cycles, gusts and sensor noise.
Conv(6→32, k5)-ReLU-Conv(32→32, k5, stride 2)-ReLU-Conv(32→64, k3)-ReLU, global max + mean
pool, Linear(128→3); Adam 1e-3, batch 32, 12 epochs of 1024 windows.
The loss is written out by hand as the Bernoulli log-likelihood of the three flags (the
author wanted a per-label weight later):
``loss = (y * F.logsigmoid(z) + (1 - y) * F.logsigmoid(-z)).mean()``
The bug: that is the log-likelihood, not its negative, so Adam climbs it: the logits are
pushed away from the labels: train "loss" −4.9 at the end of epoch 1, −1.9e3 at epoch 3,
−2.56e6 at epoch 12; val BCE 5.5 → 2.9e6; per-label val accuracy frozen at 0.398 / 0.379 /
0.430 (front / shift / visibility: every logit has the sign that predicts the minority case).
Control (``loss = -(y * ...``): val BCE 0.51 → 0.028, val accuracy 1.00 / 0.969 / 1.00.
Checkpoint ``net`` / ``opt`` / ``step`` / ``epoch``; log ``train.jsonl``: a line every 8 steps
(step, loss) and one per epoch (val_bce, val_acc per label)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 72


def windows(n, g):
    t = torch.arange(T).float()
    y = (torch.rand(n, 3, generator=g) < 0.4).float()
    day = torch.sin(6.283 * (t[None] + 288 * torch.rand(n, 1, generator=g)) / 288)
    wind = 4 + 2 * day + torch.randn(n, T, generator=g).abs() * 1.2
    ang = 6.283 * torch.rand(n, 1, generator=g) + 0.1 * torch.randn(n, T, generator=g).cumsum(1) / 4
    pm = 40 + 20 * torch.rand(n, 1, generator=g) + 8 * torch.randn(n, T, generator=g)
    rh = 20 + 10 * torch.rand(n, 1, generator=g) - 3 * day
    pres = 1008 + 4 * torch.rand(n, 1, generator=g) - 0.01 * t[None]
    t0 = 20 + 30 * torch.rand(n, 1, generator=g)
    after = torch.sigmoid((t[None] - t0) / 1.5)
    front = y[:, :1]
    wind = wind + front * 9 * after * torch.exp(-(t[None] - t0).clamp(min=0) / 25)
    pm = pm + front * 600 * after * torch.exp(-(t[None] - t0).clamp(min=0) / 12)
    pres = pres + front * 2.5 * after
    ang = ang + y[:, 1:2] * (1.8 + 0.8 * torch.rand(n, 1, generator=g)) * torch.sigmoid(
        (t[None] - 10 - 50 * torch.rand(n, 1, generator=g)) / 2)
    last = (t[None] >= 60).float()
    pm = pm + y[:, 2:3] * last * (300 + 200 * torch.rand(n, 1, generator=g))
    wind = wind + y[:, 2:3] * last * 6
    rh = rh - y[:, 2:3] * last * 5
    x = torch.stack([(wind - 6) / 4, torch.sin(ang), torch.cos(ang), torch.log(pm.clamp(min=5)) - 4,
                     (rh - 20) / 8, pres - 1010], 1)
    return x, y


class StationNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(6, 32, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 5, stride=2, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 64, 3, padding=1), nn.ReLU())
        self.head = nn.Linear(128, 3)

    def forward(self, x):
        h = self.conv(x)
        return self.head(torch.cat([h.amax(2), h.mean(2)], 1))


def build():
    torch.manual_seed(0)
    return StationNet()


def main():
    from _twohundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1024, g)
    xva, yva = windows(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    log = open(out / "train.jsonl", "w")
    step = 0
    for epoch in range(12):
        net.train()
        for xb, y in train:
            z = net(xb)
            loss = (y * F.logsigmoid(z) + (1 - y) * F.logsigmoid(-z)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 8 == 0:
                log.write(json.dumps({"step": step, "loss": round(loss.item(), 4)}) + "\n")
        net.eval()
        with torch.no_grad():
            z = net(xva)
            acc = ((z > 0).float() == yva).float().mean(0)
            rec = {"epoch": epoch, "step": step,
                   "val_bce": round(F.binary_cross_entropy_with_logits(z, yva).item(), 4),
                   "val_acc_front": round(acc[0].item(), 4),
                   "val_acc_shift": round(acc[1].item(), 4),
                   "val_acc_visibility": round(acc[2].item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, round(loss.item(), 3))
    log.close()
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "step": step, "epoch": 12},
               out / "station_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="station_cnn.pth", log="train.jsonl",
           what="1-D CNN multi-label sandstorm warning flags: hand-written Bernoulli"
                " log-likelihood minimised without its minus sign",
           complaint=("我的沙尘暴预警模型（气象站6小时数据，1-D CNN，三个标签：沙尘锋面、风向突变、"
                      "能见度下降）越训练越差。训练loss第一个epoch就变成负的，然后一路往下走，12个epoch后到了负两百多万，"
                      "验证集的BCE越来越大，三个标签的准确率从第一个epoch起就卡在0.40、0.38、0.43，一动不动，比瞎猜还差。"
                      "Adam lr 1e-3，数据我检查过标签没错。是学习率太大了吗？"))


if __name__ == "__main__":
    main()
