"""Temporal convolutional network as an anomaly scorer for a synthetic plant sensor: 3
channels (a daily cycle, a faster vibration tone and a slow drift, cross-coupled, with noise
0.1). The TCN (causal dilated ``Conv1d`` blocks, kernel 3, dilations 1, 2, 4, 8, 32 channels,
residual, ReLU) reads a 48-step window and forecasts the next step of all 3 channels (MSE);
at test time the forecast error scores each step, and a held-out stretch with injected
anomalies (spikes, a stuck channel, short level shifts) gives the ROC AUC. Adam 3e-3 with
``StepLR(step_size=1, gamma=0.7)`` meant per epoch, batch 64, 8 epochs, 2400 training
windows; the log is JSON lines (``it`` / ``mse`` every 10 iterations, ``epoch`` /
``val_mse`` / ``anomaly_auc`` per epoch).
Bug: ``sched.step()`` sits inside the batch loop, so the rate is multiplied by 0.7 on every
one of the 38 iterations of an epoch: 3e-3 → 4e-9 by the end of the first epoch, and the
model is frozen where it stood after a few dozen steps."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

WIN, CH = 48, 3


def series(n, g, anomalies=False):
    t = torch.arange(n, dtype=torch.float32)
    phase = torch.rand(3, generator=g) * 6.28
    daily = torch.sin(2 * math.pi * t / 96 + phase[0])
    vib = torch.sin(2 * math.pi * t / 13 + phase[1])
    drift = torch.sin(2 * math.pi * t / 700 + phase[2])
    x = torch.stack([daily + 0.3 * drift, 0.6 * vib + 0.4 * daily, drift - 0.5 * vib], 1)
    x = x + 0.1 * torch.randn(n, CH, generator=g)
    label = torch.zeros(n)
    if anomalies:
        for start in torch.randint(WIN, n - 20, (24,), generator=g).tolist():
            kind = start % 3
            c = start % CH
            if kind == 0:
                x[start, c] += 2.5
                label[start] = 1
            elif kind == 1:
                x[start:start + 8, c] = x[start, c]
                label[start + 1:start + 8] = 1
            else:
                x[start:start + 6, c] += 1.2
                label[start:start + 6] = 1
    return x, label


def windows(x):
    idx = torch.arange(WIN)[None] + torch.arange(len(x) - WIN)[:, None]
    return x[idx].transpose(1, 2), x[WIN:]


class Block(nn.Module):
    def __init__(self, cin, cout, dil):
        super().__init__()
        self.pad = 2 * dil
        self.conv1 = nn.Conv1d(cin, cout, 3, dilation=dil)
        self.conv2 = nn.Conv1d(cout, cout, 3, dilation=dil)
        self.skip = nn.Conv1d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x):
        h = F.relu(self.conv1(F.pad(x, (self.pad, 0))))
        h = F.relu(self.conv2(F.pad(h, (self.pad, 0))))
        return F.relu(h + self.skip(x))


class TCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(Block(CH, 32, 1), Block(32, 32, 2), Block(32, 32, 4),
                                    Block(32, 32, 8))
        self.out = nn.Linear(32, CH)

    def forward(self, x):  # (B, CH, WIN) -> (B, CH), the next step
        return self.out(self.blocks(x)[:, :, -1])


def build():
    torch.manual_seed(0)
    return TCN()


def auc(score, label):
    order = score.argsort()
    ranks = torch.empty_like(score)
    ranks[order] = torch.arange(1, len(score) + 1, dtype=score.dtype)
    pos = label.bool()
    npos, nneg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def main():
    from _fortyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, _ = series(2400 + WIN, g)
    test, label = series(1200 + WIN, g, anomalies=True)
    tx, ty = windows(train)
    vx, vy = windows(test)
    vlab = label[WIN:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.7)
    log = open(out / "tcn_log.jsonl", "w")
    it = 0
    for epoch in range(8):
        model.train()
        for idx in torch.randperm(len(tx), generator=g).split(64):
            loss = F.mse_loss(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            it += 1
            if it % 10 == 0:
                log.write(json.dumps({"it": it, "mse": round(loss.item(), 5)}) + "\n")
        model.eval()
        with torch.no_grad():
            err = (model(vx) - vy).pow(2)
            normal = vlab == 0
            val_mse = err[normal].mean().item()
            a = auc(err.sum(1), vlab)
        log.write(json.dumps({"it": it, "epoch": epoch, "val_mse": round(val_mse, 5),
                              "anomaly_auc": round(a, 4)}) + "\n")
        print(epoch, round(loss.item(), 5), round(val_mse, 5), round(a, 4))
    log.close()
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": epoch, "it": it}, out / "tcn.pt")
    finish(out, __file__, (tx[:64], ty[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="tcn.pt", log="tcn_log.jsonl",
           what="TCN forecaster / anomaly scorer, StepLR(gamma 0.7) stepped every batch",
           complaint="the sensor forecaster stops improving after the first few dozen "
                     "iterations; the forecast error stays high and the anomaly AUC is "
                     "mediocre no matter how many epochs I train")


if __name__ == "__main__":
    main()
