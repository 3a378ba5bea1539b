"""Plain torch: a 1-D CNN without batch norm tells the milkmaid's dairy which stage a barrel
churn is at from a 6.4 s window of the crank's torque and the churn's sloshing sound level
(2 channels, 20 Hz, 128 samples), so the crank can be stopped and the buttermilk drawn off
in time: sweet cream, whipped (foam thickens, torque climbs), broken (the fat grains out and
the buttermilk slaps: torque falls, a strong slosh at the barrel's turning rate), gathered
(butter in lumps: thuds twice a turn). The crank turns at 0.9-1.4 Hz; the cream temperature
(13-17 °C) sets how stiff the whip gets; gauge noise.
Input: (2, 128), torque in N·m over 5 and slosh level in dB over 20, centred. Model: Conv1d
2→24 (k7) + ReLU + MaxPool2, Conv1d 24→48 (k5) + ReLU + MaxPool2, Conv1d 48→48 (k3) + ReLU,
global average pool, Linear 48→4; cross-entropy, SGD 0.03 momentum 0.9, batch 50, 10 epochs, 2000
windows (500 per stage), validation on 400 (shuffled).
The bug: the windows are cut from the churn logs stage by stage and kept in that order, and
the loader reads them as they are (no ``shuffle=True``): every epoch is 10 batches of sweet
cream, then 10 of whipped, 10 broken and 10 gathered, and each run of one stage drags the net
onto that stage; it falls into calling every window one stage (broken) and stays there:
val acc 0.2475 (the broken share) at the end, train loss 1.76 → 1.93 (above ln 4 = 1.39),
val loss 1.55 → 1.50 (control, ``shuffle=True``: val acc 0.79 → 1.0 from epoch 1, val loss
0.94 → 0.00017).
Log: JSON lines per epoch ``churn_log.jsonl`` (``epoch`` / ``loss`` / ``val_loss`` /
``val_acc`` / ``val_acc_broken``); checkpoint ``churn_stage.pth`` with keys ``cnn_state`` /
``opt_state`` / ``epochs_done`` / ``stages`` / ``torque_scale``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FS = 20.0
N = 128
STAGES = ["sweet", "whipped", "broken", "gathered"]


def windows(cls, g):
    n = len(cls)
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(N).float() / FS
    f = 0.9 + 0.5 * r(n, 1)
    ph = 2 * math.pi * r(n, 1)
    temp = 13 + 4 * r(n, 1)
    stiff = 1 + 0.15 * (temp - 15)
    c = cls.unsqueeze(1).float()
    base = torch.tensor([1.2, 2.6, 1.6, 2.0])[cls].unsqueeze(1)
    base = base * torch.where(cls.unsqueeze(1) == 1, stiff, torch.ones_like(stiff))
    w = 2 * math.pi * f * t
    torque = base + 0.25 * torch.sin(w + ph)  # crank load, once per turn
    torque = torque + (c == 1).float() * 0.3 * (t / t[-1]) * (0.5 + r(n, 1))  # still thickening
    slosh = 0.3 * torch.sin(w + ph) + torch.where(c == 2, 1.2 * torch.sin(w + ph + 0.8),
                                                  torch.zeros_like(t))
    thud = (torch.cos(2 * w + 2 * ph) > 0.93).float()
    torque = torque + (c == 3).float() * 0.9 * thud
    slosh = slosh + (c == 3).float() * 1.5 * thud - (c == 1).float() * 0.5
    torque = torque + 0.12 * torch.randn(n, N, generator=g)
    slosh = slosh + 0.2 * torch.randn(n, N, generator=g)
    return torch.stack([torque / 5 - 0.35, slosh / 2], 1)


class ChurnCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(2, 24, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(24, 48, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(48, 48, 3, padding=1), nn.ReLU(),
                                      nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.classify = nn.Linear(48, 4)

    def forward(self, x):
        return self.classify(self.features(x))


def build():
    torch.manual_seed(0)
    return ChurnCNN()


def main():
    from _threehundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ytr = torch.arange(4).repeat_interleave(500)  # one churn log per stage, cut in turn
    xtr = windows(ytr, g)
    yva = torch.randint(0, 4, (400,), generator=g)
    xva = windows(yva, g)
    torch.manual_seed(0)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=50)  # windows in churn-log order
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    with open(out / "churn_log.jsonl", "w") as log:
        for epoch in range(10):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            rec = {"epoch": epoch, "loss": round(tot / len(xtr), 6),
                   "val_loss": round(F.cross_entropy(logits, yva).item(), 6),
                   "val_acc": round((pred == yva).float().mean().item(), 4),
                   "val_acc_broken": round((pred[yva == 2] == 2).float().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec, torch.bincount(pred, minlength=4).tolist())
    torch.save({"cnn_state": model.state_dict(), "opt_state": opt.state_dict(),
                "epochs_done": 10, "stages": STAGES, "torque_scale": 5.0},
               out / "churn_stage.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["data_not_shuffled"],
           checkpoint="churn_stage.pth", log="churn_log.jsonl",
           what="1-D CNN without batch norm naming the stage of a butter churn from crank torque"
                " and slosh; training windows fed in stage order, never shuffled",
           complaint="Churn-stage classifier trains to nothing. After 10 epochs it calls every"
                     " validation window 'broken', accuracy 0.25, and the training loss is 1.93,"
                     " worse than guessing among 4 stages. The windows look fine when I plot"
                     " them, the four stages are easy to tell apart by eye.")


if __name__ == "__main__":
    main()
