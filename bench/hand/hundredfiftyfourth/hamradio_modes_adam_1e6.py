"""Amateur-radio mode recognition from 128 complex baseband samples of an SDR waterfall slice
(I and Q as 2 channels, synthetic): CW (keyed carrier), AM (carrier + audio envelope), FM (phase
from integrated audio, deviation 0.3–0.6), USB voice (single-sideband: analytic audio), and FT8
(8-tone FSK, 4 symbols per window); random carrier offset ±0.05 cycles/sample, random phase,
SNR 5–15 dB. A 1-D CNN (2 → 32 → 32 → 64 channels, k 5, BatchNorm, ReLU, max-pool, global
average, dropout 0.2, linear 5), Adam, batch 32, 10 epochs of 1500 slices; a CSV log per epoch
via csv.DictWriter.
Bug: ``lr=1e-6`` (the value left in from fine-tuning a pre-trained model in the blog post the
script came from) instead of 1e-3: the loss creeps down almost linearly.
Train loss 1.723 → 1.692 in 10 epochs, train accuracy 0.20–0.22, val accuracy 0.18–0.19 (chance
0.20); the control (``lr=1e-3``) reaches train loss 0.322, val accuracy 0.893."""
import csv
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

MODES = ["CW", "AM", "FM", "USB", "FT8"]
T = 128


def audio(n, g):
    t = torch.arange(T).float()
    f = 0.01 + 0.04 * torch.rand(n, 3, generator=g)
    a = torch.rand(n, 3, generator=g)
    return (a[:, :, None] * torch.sin(2 * math.pi * f[:, :, None] * t
                                      + 6 * torch.rand(n, 3, 1, generator=g))).sum(1) / 1.5


def slices(n, g):
    t = torch.arange(T).float()
    y = torch.randint(0, 5, (n,), generator=g)
    m = audio(n, g)
    phase = torch.zeros(n, T)
    amp = torch.ones(n, T)
    for k in range(5):
        s = y == k
        if k == 0:
            key = (torch.rand(int(s.sum()), 8, generator=g) < 0.6).float()
            amp[s] = key.repeat_interleave(16, 1)
        elif k == 1:
            amp[s] = 1 + 0.8 * m[s]
        elif k == 2:
            dev = 0.3 + 0.3 * torch.rand(int(s.sum()), 1, generator=g)
            phase[s] = torch.cumsum(dev * m[s], 1)
        elif k == 3:
            amp[s] = m[s].abs() + 0.1
            phase[s] = torch.cumsum(0.05 + 0.2 * m[s].abs(), 1)
        else:
            tones = torch.randint(0, 8, (int(s.sum()), 4), generator=g).float()
            phase[s] = torch.cumsum(2 * math.pi * 0.02 * tones.repeat_interleave(32, 1), 1)
    off = (torch.rand(n, 1, generator=g) - 0.5) * 0.1
    ph = phase + 2 * math.pi * off * t + 6.283 * torch.rand(n, 1, generator=g)
    x = torch.stack([amp * torch.cos(ph), amp * torch.sin(ph)], 1)
    snr = 10 ** ((5 + 10 * torch.rand(n, 1, 1, generator=g)) / 20)
    x = x + torch.randn(x.shape, generator=g) / snr
    return x / x.pow(2).mean((1, 2), keepdim=True).sqrt(), y


class ModeNet(nn.Module):
    def __init__(self):
        super().__init__()
        def blk(i, o):
            return nn.Sequential(nn.Conv1d(i, o, 5, padding=2), nn.BatchNorm1d(o), nn.ReLU(),
                                 nn.MaxPool1d(2))
        self.features = nn.Sequential(blk(2, 32), blk(32, 32), blk(32, 64))
        self.drop = nn.Dropout(0.2)
        self.fc = nn.Linear(64, 5)

    def forward(self, x):
        return self.fc(self.drop(self.features(x).mean(-1)))


def build():
    torch.manual_seed(0)
    return ModeNet()


def main():
    from _hundredfiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = slices(1500, g)
    xva, yva = slices(400, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-6)
    f = open(out / "modes_metrics.csv", "w", newline="")
    w = csv.DictWriter(f, ["Epoch", "TrainLoss", "TrainAcc", "ValLoss", "ValAcc"])
    w.writeheader()
    for epoch in range(1, 11):
        model.train()
        perm = torch.randperm(1500, generator=g)
        tot = cor = 0.0
        for i in range(0, 1500, 32):
            idx = perm[i:i + 32]
            lo = model(xtr[idx])
            loss = F.cross_entropy(lo, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            cor += (lo.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        row = {"Epoch": epoch, "TrainLoss": round(tot / 1500, 4), "TrainAcc": round(cor / 1500, 4),
               "ValLoss": round(F.cross_entropy(lv, yva).item(), 4),
               "ValAcc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
        w.writerow(row)
        print(row, file=sys.stderr)
    f.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 10,
                "modes": MODES}, out / "modenet.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="modenet.ckpt", log="modes_metrics.csv",
           what="1-D CNN amateur-radio mode classifier, Adam lr 1e-6",
           complaint="My CNN for recognising ham radio modes (CW, AM, FM, USB, FT8) from IQ "
                     "samples isn't learning. After 10 epochs the training loss only went from "
                     "1.72 to 1.69 and validation accuracy is 0.19, no better than guessing "
                     "among 5 modes. It goes down a tiny bit every epoch but way too slowly.")


if __name__ == "__main__":
    main()
