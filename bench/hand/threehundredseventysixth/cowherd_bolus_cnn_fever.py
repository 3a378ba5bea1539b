"""Plain torch: a 1-D CNN without batch norm reads three days of a cow's reticulorumen bolus
temperature (one reading every 15 min, 288 readings) and flags the cows the cowherd should
bring in for the vet: a fever building over the last day or so (the cow's own level rising
0.6-1.3 °C over 8-20 h and staying up), the early sign of mastitis or metritis. What the
bolus sees: the cow's own level (38.0-40.0 °C: cows and bolus calibrations differ), a daily
swing of ±0.15-0.3 °C peaking in the evening, drinking dips (cold water drops the reading
2-6 °C, recovering with a 40-90 min time constant, 6-12 drinks a day) and 0.08 °C noise; a
quarter of the cows develop a fever.
Input: (1, 288) as (°C - 39) / 2. Model: three Conv1d layers (1→16→32→32, ``KERNEL`` = 5
taps, ReLU, ``nn.MaxPool1d(POOL)`` after the first two), global max pool over time, Linear
32→1; BCE with logits, RMSprop 1e-3, batch 64, 14 epochs, 2000 cows, validation on 500.
The bug: ``POOL = 1  # keep every reading between the conv layers: ...``, so with nothing to
widen the 5-tap convolutions every feature sees 13 readings (3 h 15 min) and the max pool
can only say that some stretch of the record is warm, never that the cow is warmer than
she was the day before: val accuracy 0.716 → 0.894 (0.71 is the no-fever share), val BCE
0.632 → 0.254, fever recall 0.83, precision 0.81 at the end (control, ``POOL = 4``: 100
readings per feature (25 h), val accuracy 0.714 → 0.962, val BCE 0.602 → 0.109, recall
0.88, precision 0.98).
Log: CSV every 4 steps ``fever_steps.csv`` (``step`` / ``bce``) with a separate per-epoch CSV
``fever_val.csv`` (``epoch`` / ``val_bce`` / ``val_acc`` / ``val_recall_fever`` /
``val_precision_fever``); checkpoint ``bolus_cnn.tar`` with keys ``weights`` / ``rmsprop``
/ ``epoch`` / ``kernel`` / ``pool`` / ``readings_per_hour`` / ``degc_center_scale``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 288  # 3 days at 15 min
KERNEL = 5  # taps per conv layer
POOL = 1  # keep every reading between the conv layers: a fever can start within the hour


def boluses(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float()
    hours = t / 4
    level = 38.0 + 2.0 * r(n, 1)
    swing = (0.15 + 0.15 * r(n, 1)) * torch.sin(2 * math.pi * (hours - 12) / 24 + 0.5 * r(n, 1))
    fever = (r(n) < 0.25).float().unsqueeze(1)
    onset = 156 + 60 * r(n, 1)
    ramp = 32 + 48 * r(n, 1)
    rise = (0.6 + 0.7 * r(n, 1)) * torch.sigmoid((t - onset) / (ramp / 4))
    temp = level + swing + fever * rise
    drink = torch.zeros(n, T)
    ndrinks = (3 * (6 + 6 * r(n))).long()
    for i in range(n):
        at = torch.randint(0, T, (int(ndrinks[i]),), generator=g)
        for a, depth, tau in zip(at.tolist(), (2 + 4 * r(len(at))).tolist(),  # noqa: B905
                                 (2.7 + 3.3 * r(len(at))).tolist()):
            dt = torch.arange(T - a).float()
            drink[i, a:] -= depth * torch.exp(-dt / tau)
    temp = temp + drink + 0.08 * torch.randn(n, T, generator=g)
    return ((temp - 39.0) / 2.0).unsqueeze(1), fever


class BolusCNN(nn.Module):
    def __init__(self):
        super().__init__()
        pad = KERNEL // 2
        self.conv = nn.Sequential(nn.Conv1d(1, 16, KERNEL, padding=pad), nn.ReLU(),
                                  nn.MaxPool1d(POOL),
                                  nn.Conv1d(16, 32, KERNEL, padding=pad), nn.ReLU(),
                                  nn.MaxPool1d(POOL),
                                  nn.Conv1d(32, 32, KERNEL, padding=pad), nn.ReLU())
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        return self.head(self.conv(x).amax(2))


def build():
    torch.manual_seed(0)
    return BolusCNN()


def main():
    from _threehundredseventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = boluses(2000, g)
    xva, yva = boluses(500, g)
    print("fever share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    step = 0
    with open(out / "fever_steps.csv", "w", newline="") as fs, \
            open(out / "fever_val.csv", "w", newline="") as fv:
        steps, val = csv.writer(fs), csv.writer(fv)
        steps.writerow(["step", "bce"])
        val.writerow(["epoch", "val_bce", "val_acc", "val_recall_fever", "val_precision_fever"])
        for epoch in range(14):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 4 == 0:
                    steps.writerow([step, f"{loss.item():.6g}"])
            model.eval()
            with torch.no_grad():
                z = model(xva)
            p = (z > 0).float()
            tp = (p * yva).sum().item()
            row = [F.binary_cross_entropy_with_logits(z, yva).item(),
                   (p == yva).float().mean().item(), tp / yva.sum().item(),
                   tp / max(p.sum().item(), 1.0)]
            val.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"weights": model.state_dict(), "rmsprop": opt.state_dict(), "epoch": 14,
                "kernel": KERNEL, "pool": POOL, "readings_per_hour": 4,
                "degc_center_scale": (39.0, 2.0)},
               out / "bolus_cnn.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["receptive_field_too_small"],
           checkpoint="bolus_cnn.tar", log="fever_val.csv",
           what="1-D CNN without BN flagging a building fever from three days of rumen bolus"
                " temperature; three 5-tap convs, no pooling, each feature sees 3 h 15 min",
           complaint="Rumen bolus fever alarm for our herd: the CNN tops out at 89 % validation accuracy"
                     " when 71 % of the cows have no fever, the validation BCE will not go below"
                     " 0.25, and at the end it still misses 17 % of the fevers while a fifth of the"
                     " cows it flags are fine.")


if __name__ == "__main__":
    main()
