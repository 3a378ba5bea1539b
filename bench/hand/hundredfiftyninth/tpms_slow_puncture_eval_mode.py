"""Tyre-pressure monitoring (TPMS): classify a 2-hour window of one wheel sensor's readings
(pressure in bar and tyre temperature in °C, one sample a minute → 2 × 120) as ok, slow
puncture (a leak of 0.05–0.25 bar/h hidden under the temperature-driven pressure swing),
valve leak while parked (steps down at stops) or sensor fault (stuck value, dropouts to 0,
spikes). Synthetic drives: temperature warms up and cools at stops, pressure follows the gas
law plus noise. Inputs standardised per channel with the training set's mean/std. A 1-D CNN:
4 conv blocks (conv k5 → BatchNorm → ReLU, pooling), dropout 0.3, a linear head; SGD lr 0.1 (×0.1 after epochs 8 and 12),
momentum 0.9, weight decay 5e-4, batch 64, 15 epochs of 2400 windows; a CSV log per epoch
(``epoch``, ``loss``, ``val_loss``, ``val_acc``, ``puncture_recall``).
Bug: the script prints a baseline first with ``evaluate(model, ...)``, a helper that calls
``model.eval()``; the training loop never calls ``model.train()`` (the author relied on the
default mode of a fresh model), so every step runs with BatchNorm on its initial running
statistics (mean 0, var 1: no normalisation at all, running stats never updated) and without
dropout. At the lr a BatchNorm net takes, the un-normalised net is unstable: val accuracy 0.52,
0.61, 0.67, 0.64, 0.69 (puncture recall 0–0.38) over epochs 1–5, then loss NaN from epoch 6 to
15, val accuracy 0.40 (all "ok"). The control (``model.train()`` at the top of each epoch) has
val accuracy 0.94 by epoch 5 and 0.983 at epoch 15, puncture recall 0.983, val loss 0.045, train
loss 0.068."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 120
CLASSES = ["ok", "slow_puncture", "valve_leak_parked", "sensor_fault"]


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = torch.multinomial(torch.tensor([0.4, 0.2, 0.2, 0.2]), n, replacement=True, generator=g)
    t = torch.arange(T).float()
    x = torch.zeros(n, 2, T)
    for i in range(n):
        amb = 5 + 25 * float(r(1))
        stops = (torch.sin(t / (8 + 10 * float(r(1))) + 6 * float(r(1))) > 0.6).float()
        temp = amb + 30 * (1 - torch.exp(-t / 25)) * (1 - 0.6 * stops)
        temp = temp + torch.randn(T, generator=g) * 0.5
        p0 = 2.1 + 0.5 * float(r(1))
        p = p0 * (temp + 273) / (amb + 273)
        k = int(y[i])
        if k == 1:
            p = p - (0.05 + 0.2 * float(r(1))) * t / 60
        elif k == 2:
            p = p - 0.04 * torch.cumsum(stops, 0) / (1 + stops.sum() / 10)
        p = p + torch.randn(T, generator=g) * 0.02
        if k == 3:
            kind = int(torch.randint(0, 3, (1,), generator=g))
            a = int(torch.randint(10, 100, (1,), generator=g))
            if kind == 0:
                p[a:] = p[a]
            elif kind == 1:
                p[a:a + 4] = 0.0
            else:
                p[a] += 1.5
        x[i, 0], x[i, 1] = p, temp
    return x, y


class TpmsNet(nn.Module):
    def __init__(self):
        super().__init__()
        layers, cin = [], 2
        for cout in (24, 32, 48, 64):
            layers += [nn.Conv1d(cin, cout, 5, padding=2), nn.BatchNorm1d(cout), nn.ReLU(),
                       nn.MaxPool1d(2)]
            cin = cout
        self.features = nn.Sequential(*layers)
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(64, 4)

    def forward(self, x):
        return self.head(self.drop(self.features(x).mean(-1)))


def build():
    torch.manual_seed(0)
    return TpmsNet()


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        lo = model(x)
        pred = lo.argmax(1)
        rec = ((pred == 1) & (y == 1)).sum().item() / max((y == 1).sum().item(), 1)
        return F.cross_entropy(lo, y).item(), (pred == y).float().mean().item(), rec


def main():
    from _hundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(3000, g)
    mu, sd = x[:2400].mean((0, 2), keepdim=True), x[:2400].std((0, 2), keepdim=True)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:2400], y[:2400], x[2400:], y[2400:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[8, 12], gamma=0.1)
    print("baseline (untrained) val loss/acc/recall:", evaluate(model, xva, yva))
    f = open(out / "tpms_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "val_loss", "val_acc", "puncture_recall"])
    for epoch in range(1, 16):
        perm = torch.randperm(2400, generator=g)
        tot = 0.0
        for i in range(0, 2400, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        sched.step()
        vl, va, rec = evaluate(model, xva, yva)
        w.writerow([epoch, f"{tot / 2400:.4f}", f"{vl:.4f}", f"{va:.4f}", f"{rec:.4f}"])
        print(epoch, round(tot / 2400, 4), round(vl, 4), round(va, 4), round(rec, 4))
    f.close()
    torch.save({"net": model.state_dict(), "sgd": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 15,
                "channel_mean": mu.flatten(), "channel_std": sd.flatten(), "classes": CLASSES},
               out / "tpms_cnn.pth")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["train_in_eval_mode"],
           checkpoint="tpms_cnn.pth", log="tpms_train.csv",
           what="TPMS 1-D CNN with BatchNorm + dropout trained in eval mode (model.eval() in "
                "the baseline helper, model.train() never called)",
           complaint="胎压监测的 1-D CNN 训练不起来：前 5 个 epoch 验证准确率只有 0.52 到 0.69，"
                     "慢漏气的召回率最高 0.38，从第 6 个 epoch 开始 loss 直接变成 NaN，一直到第 15 "
                     "个 epoch，准确率停在 0.40（全部判为正常）。同样的网络结构别人用 SGD 0.1 "
                     "训练是没问题的，数据我也已经做了标准化。")


if __name__ == "__main__":
    main()
