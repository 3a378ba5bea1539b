"""Fitness wearables: recognise the kettlebell exercise in a 4-s window of wrist IMU at 25 Hz
(6 channels: accelerometer and gyroscope): swing, snatch, clean, goblet squat, Turkish get-up
(slow, near-still) and rest. Synthetic reps: each exercise a periodic template (rep period
1.2–3 s, own axis mix and harmonics) with random phase, per-user gain 0.8–1.2, sensor rotation
jitter and noise 0.35. A small 1D CNN (Conv1d 6→32 k9, 32→32 k9 stride 2, 32→64 k5, BatchNorm,
ReLU, global average pool, dropout 0.2, linear 6). SGD momentum 0.9, lr 0.02 with a cosine
decay, batch 64, 10 epochs of 2400 windows; a semicolon CSV per epoch (epoch; lr; loss_train;
loss_val; acc_val).
Healthy; 10 % of the training windows have the wrong exercise (the user tapped the wrong
button), so train loss stays above val loss: loss_train 0.99, 0.65, 0.58, then 0.52–0.55 from
epoch 3 on; loss_val 0.34 → 0.113; acc_val 0.992 → 1.0 (0.997–1.0 from epoch 2).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

FS, N = 25, 100
EX = ["swing", "snatch", "clean", "goblet_squat", "getup", "rest"]


def windows(n, g, flip=0.0):
    t = torch.arange(N).float() / FS
    y = torch.randint(0, 6, (n,), generator=g)
    mix = torch.randn(6, 6, generator=torch.Generator().manual_seed(11))
    period = torch.tensor([1.3, 1.6, 1.8, 2.6, 6.0, 1.0])
    harm = torch.tensor([0.2, 0.9, 0.5, 0.1, 0.0, 0.0])
    amp = torch.tensor([1.5, 1.8, 1.2, 0.8, 0.3, 0.0])
    x = torch.zeros(n, 6, N)
    for i in range(n):
        k = int(y[i])
        p = period[k] * (0.85 + 0.3 * float(torch.rand(1, generator=g)))
        ph = 6.283 * float(torch.rand(1, generator=g))
        w = torch.sin(6.283 * t / p + ph) + harm[k] * torch.sin(2 * 6.283 * t / p + 2 * ph)
        rot = mix[k] + 0.3 * torch.randn(6, generator=g)
        x[i] = amp[k] * (0.8 + 0.4 * float(torch.rand(1, generator=g))) * rot[:, None] * w
    x = x + 0.35 * torch.randn(x.shape, generator=g)
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 6, (n,), generator=g)) % 6, y)
    return x, y


class KBNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(6, 32, 9, padding=4), nn.BatchNorm1d(32), nn.ReLU(),
            nn.Conv1d(32, 32, 9, stride=2, padding=4), nn.BatchNorm1d(32), nn.ReLU(),
            nn.Conv1d(32, 64, 5, padding=2), nn.BatchNorm1d(64), nn.ReLU())
        self.drop = nn.Dropout(0.2)
        self.fc = nn.Linear(64, 6)

    def forward(self, x):
        return self.fc(self.drop(self.body(x).mean(-1)))


def build():
    torch.manual_seed(0)
    return KBNet()


def main():
    from _hundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(2400, g, flip=0.10)
    xva, yva = windows(600, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    steps = 10 * math.ceil(2400 / 64)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    with open(out / "kb_epochs.csv", "w") as f:
        f.write("epoch;lr;loss_train;loss_val;acc_val\n")
        for epoch in range(10):
            model.train()
            perm = torch.randperm(2400, generator=g)
            tot = 0.0
            for i in range(0, 2400, 64):
                idx = perm[i:i + 64]
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lo = model(xva)
                vl = F.cross_entropy(lo, yva).item()
                acc = (lo.argmax(1) == yva).float().mean().item()
            f.write(f"{epoch};{sched.get_last_lr()[0]:.5f};{tot / 2400:.4f};{vl:.4f};{acc:.4f}\n")
            print(epoch, round(tot / 2400, 4), round(vl, 4), round(acc, 4))
    torch.save({"weights": model.state_dict(), "opt": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 9, "labels": EX}, out / "kbnet.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="kbnet.pth",
           log="kb_epochs.csv",
           what="kettlebell exercise 1D CNN on wrist IMU, 10 % wrong labels (healthy)",
           complaint=COMPLAINT)


COMPLAINT = ("The kettlebell recogniser's training loss will not go down: 0.99 in epoch 0, then "
             "stuck between 0.52 and 0.55 from epoch 3 to 9, while the validation loss is much lower "
             "(0.11) and acc_val is 0.997-1.0. Is the training loss broken, or is the model not "
             "learning?")

if __name__ == "__main__":
    main()
