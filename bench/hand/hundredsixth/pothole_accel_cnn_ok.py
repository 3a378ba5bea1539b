"""Road-surface event detection from a dashboard-mounted smartphone accelerometer: synthetic
3-s windows at 50 Hz (150 samples × 3 axes, gravity removed, in m/s²) while driving at
20–70 km/h over smooth road, a pothole (a sharp drop-and-hit pair on z with a y kick, its
width shrinking with speed), a speed bump (a slow wide up-down on z) or rough pavement
(broadband vibration); engine vibration, a random phone tilt mixing the axes and braking /
cornering offsets on every window. 8 % of the training labels are wrong (crowd-sourced taps
on "pothole" a second late, or on the wrong event). A 1-D CNN (3 → 32 → 64, kernel 7, max
pooling, dropout 0.3, global max + mean), AdamW 1e-3, weight decay 1e-2, batch 64, 12 epochs
of 2048 windows; a long-format CSV log with one row per epoch and split (``epoch``,
``split``, ``loss``, ``acc``, ``macro_f1``).
Healthy, a little odd: the val loss sits at half the train loss from epoch 2 on (0.56 vs
0.86, 0.26 vs 0.52 at the end: the wrong labels and the dropout are in training only); val
accuracy 0.68 → 0.947 → 0.961 (epoch 3) and then wobbles between 0.936 and 0.959 (0.936 at
epoch 12, macro-F1 0.939) while the val loss stays flat at 0.26–0.27."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T, FS = 150, 50
EVENTS = ["smooth", "pothole", "speed_bump", "rough"]


def windows(n, g, flip=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T).float() / FS
    v = 20 + 50 * torch.rand(n, 1, generator=g)                    # km/h
    c = 0.8 + 1.4 * torch.rand(n, 1, generator=g)                  # event time (s)
    z = 0.3 * torch.sin(2 * math.pi * (25 + 10 * torch.rand(n, 1, generator=g)) * t
                        + 6.28 * torch.rand(n, 1, generator=g))   # engine (aliased)
    w = 0.6 / v                                                     # pothole width (s)
    pot = -4 * torch.exp(-((t - c) / w) ** 2) + 6 * torch.exp(-((t - c - 1.5 * w) / w) ** 2)
    bump = 2.5 * torch.sin(2 * math.pi * (t - c) / (2.5 * w * 8)) * \
        (((t - c) >= 0) & ((t - c) < 2.5 * w * 8)).float()
    rough = 1.2 * torch.randn(n, T, generator=g)
    z = z + torch.where(y[:, None] == 1, pot, 0) + torch.where(y[:, None] == 2, bump, 0) + \
        torch.where(y[:, None] == 3, rough, 0)
    yk = torch.where(y[:, None] == 1, 1.5 * torch.exp(-((t - c - w) / w) ** 2), 0)
    x = torch.stack([0.5 * torch.randn(n, 1, generator=g).expand(n, T), yk, z], 1)
    tilt = 0.3 * torch.randn(n, 3, 3, generator=g) + torch.eye(3)
    x = tilt @ x + 0.4 * torch.randn(n, 3, T, generator=g)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return x, y


class RoadCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(3, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(32, 64, 7, padding=3), nn.ReLU())
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(128, len(EVENTS))

    def forward(self, x):
        h = self.conv(x)
        return self.fc(self.drop(torch.cat([h.amax(-1), h.mean(-1)], 1)))


def build():
    torch.manual_seed(0)
    return RoadCNN()


def macro_f1(pred, y):
    f = []
    for k in range(4):
        tp = ((pred == k) & (y == k)).sum().item()
        fp = ((pred == k) & (y != k)).sum().item()
        fn = ((pred != k) & (y == k)).sum().item()
        f.append(2 * tp / max(2 * tp + fp + fn, 1))
    return sum(f) / 4


def main():
    from _hundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(2048, g, flip=0.08)
    xva, yva = windows(512, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    f = open(out / "road_events_log.csv", "w", newline="")
    wr = csv.writer(f)
    wr.writerow(["epoch", "split", "loss", "acc", "macro_f1"])
    best = 0.0
    for epoch in range(1, 13):
        model.train()
        tot = 0.0
        for idx in torch.randperm(2048, generator=g).split(64):
            out_ = model(xtr[idx])
            loss = F.cross_entropy(out_, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = F.cross_entropy(lo, yva).item()
            vp = lo.argmax(1)
        hits = (vp == yva).float().mean().item()
        f1 = macro_f1(vp, yva)
        best = max(best, f1)
        wr.writerow([epoch, "train", round(tot / 2048, 4), "", ""])
        wr.writerow([epoch, "val", round(vl, 4), round(hits, 4), round(f1, 4)])
        print(epoch, round(tot / 2048, 4), round(vl, 4), round(hits, 4), round(f1, 4))
    f.close()
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "epoch": 12, "best_val_f1": best,
                "events": EVENTS}, out / "road_cnn_epoch12.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="road_cnn_epoch12.pt",
           log="road_events_log.csv",
           what="1-D CNN pothole / speed-bump / rough-road detection from a phone "
                "accelerometer, 8 % label noise, dropout (healthy)")


if __name__ == "__main__":
    main()
