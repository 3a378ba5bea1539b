"""Plain torch: a GRU reads 4 s of 3-axis accelerometer data (10 Hz, 40 samples) from a tag
glued to the carapace of a radio-tracked desert tortoise and names what the animal was
doing, for a time-budget study over the active season. 4 classes: resting (0, flat, only
sensor noise and the shell's tilt), walking (1, a slow 0.8-1.4 Hz rocking on x and z as the
legs swing the shell), feeding (2, short head-bob bursts on y, the shell dipping as the head goes down),
digging (3, strong irregular front-leg strokes on x with the shell tilted nose-down). Each
clip has its own tag orientation (tilt), gain and noise. Input: (40, 3) acceleration in g.
Model: GRU 3→32, 1 layer, mean over time → linear 32→4; cross entropy, RMSprop 5e-3,
batch 32, 10 epochs over 1200 clips, validation on 400.
The bug: the ``TagClips`` dataset augments by default (random gain 0.6-1.4, a random
circular time shift, Gaussian noise 0.3 g, and a random swap of the shell's sign on x,
``# tags go on either way round``), and the validation set is built as
``TagClips(xva, yva)`` like the training set, so every validation pass scores freshly
augmented clips. Train CE 1.316 → 0.373, val CE 1.154 → 0.333 (0.644 at
epoch 5), val acc 0.50 → 0.865 (0.74 at epoch 5) (control,
``TagClips(xva, yva, augment=False)``: val CE 1.082 → 0.219, val acc 0.525 → 0.928).
Log: CSV per epoch ``activity_train.csv`` (``epoch`` / ``loss``) and a separate CSV per
epoch ``activity_val.csv`` (``epoch`` / ``val_loss`` / ``val_accuracy`` /
``val_recall_digging``); checkpoint ``tag_gru.pt`` with keys ``gru_model`` /
``rmsprop`` / ``epoch`` / ``activities`` / ``hz``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

T = 40
HZ = 10.0
ACTIVITIES = ["resting", "walking", "feeding", "digging"]


def clips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float() / HZ
    y = torch.randint(0, 4, (n,), generator=g)
    tilt = 0.3 * torch.randn(n, 3, generator=g)
    gravity = torch.tensor([0.0, 0.0, 1.0]) + tilt
    f = 0.8 + 0.6 * r(n, 1)
    ph = 2 * math.pi * r(n, 1)
    walk = torch.stack([0.5 * torch.sin(2 * math.pi * f * t + ph), 0.1 * torch.sin(4 * math.pi * f * t),
                        0.35 * torch.cos(2 * math.pi * f * t + ph)], 2)
    on = (torch.sin(2 * math.pi * 0.3 * t + ph) > 0.3).float()
    feed = torch.stack([torch.zeros(n, T), on * (0.6 * torch.sin(2 * math.pi * 3 * t + ph) - 0.4),
                        0.05 * on * torch.sin(2 * math.pi * 3 * t)], 2)
    strokes = (torch.rand(n, T, generator=g) < 0.25).float() * (0.8 + 0.6 * r(n, T))
    dig = torch.stack([strokes, 0.1 * strokes, -0.2 * strokes], 2) + torch.tensor([0.35, 0.0, -0.1])
    motion = torch.stack([torch.zeros(n, T, 3), walk, feed, dig], 1)[torch.arange(n), y]
    gain = 0.85 + 0.3 * r(n, 1, 1)
    x = gain * (gravity.unsqueeze(1) + motion) + 0.03 * torch.randn(n, T, 3, generator=g)
    return x, y


class TagClips(Dataset):
    def __init__(self, x, y, augment=True):
        self.x, self.y, self.augment = x, y, augment

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i]
        if self.augment:
            x = x * (0.6 + 0.8 * torch.rand(1))
            x = torch.roll(x, int(torch.randint(0, T, (1,))), 0)
            x = x + 0.3 * torch.randn_like(x)
            if torch.rand(1) < 0.5:  # tags go on either way round
                x = x * torch.tensor([-1.0, 1.0, 1.0])
        return x, self.y[i]


class TagGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 32, batch_first=True)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.fc(h.mean(1))


def build():
    torch.manual_seed(0)
    return TagGRU()


def main():
    from _threehundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clips(1200, g)
    xva, yva = clips(400, g)
    torch.manual_seed(0)
    model = build()
    train_dl = DataLoader(TagClips(xtr, ytr), batch_size=32, shuffle=True)
    val_dl = DataLoader(TagClips(xva, yva), batch_size=200)
    opt = torch.optim.RMSprop(model.parameters(), lr=5e-3)
    with open(out / "activity_train.csv", "w", newline="") as ft, \
            open(out / "activity_val.csv", "w", newline="") as fv:
        tlog, vlog = csv.writer(ft), csv.writer(fv)
        tlog.writerow(["epoch", "loss"])
        vlog.writerow(["epoch", "val_loss", "val_accuracy", "val_recall_digging"])
        for epoch in range(10):
            model.train()
            tot = 0.0
            for xb, yb in train_dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            logits, ys = [], []
            with torch.no_grad():
                for xb, yb in val_dl:
                    logits.append(model(xb))
                    ys.append(yb)
            logit, yv = torch.cat(logits), torch.cat(ys)
            pred = logit.argmax(1)
            row = [F.cross_entropy(logit, yv).item(), (pred == yv).float().mean().item(),
                   (pred[yv == 3] == 3).float().mean().item()]
            tlog.writerow([epoch, f"{tot / len(xtr):.5f}"])
            vlog.writerow([epoch] + [f"{v:.5f}" for v in row])
            print(epoch, tot / len(xtr), row)
    torch.save({"gru_model": model.state_dict(), "rmsprop": opt.state_dict(), "epoch": 10,
                "activities": ACTIVITIES, "hz": HZ}, out / "tag_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["eval_data_augmented"],
           checkpoint="tag_gru.pt", log="activity_val.csv",
           what="GRU naming a desert tortoise's activity from 4 s of carapace accelerometer"
                " data; the validation set is augmented like the training set",
           complaint="陆龟行为分类模型的验证结果每个 epoch 都在乱跳：准确率从 0.76 掉到 0.74，"
                     "又升到 0.84，再掉到 0.81，验证损失也跟着上下跳，最后只有 86% 左右。"
                     "这几类动作的加速度波形用肉眼看都很好分，训练损失也一直在稳定下降。")


if __name__ == "__main__":
    main()
