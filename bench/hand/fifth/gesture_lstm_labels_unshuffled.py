"""Smartwatch gestures again (3-axis accelerometer windows, 4 gestures), a 2-layer LSTM,
Adam 1e-3 with cosine annealing. The windows come from a ``Dataset`` that returns only the
signal; the DataLoader shuffles it, and the loop takes the labels from the label list by
batch position (bug: inputs shuffled, labels not, so every batch pairs windows with the
labels of other windows; validation runs in order and looks like chance)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

T = 50


def gestures(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.linspace(0, 2, T)
    phase = 2 * math.pi * torch.rand(n, 1, generator=g)
    f = 1 + 0.2 * torch.randn(n, 1, generator=g)
    circle = torch.stack([torch.sin(2 * math.pi * f * t + phase),
                          torch.cos(2 * math.pi * f * t + phase), 0 * t.expand(n, T)], -1)
    swipe = torch.stack([torch.tanh(4 * (t - 1)).expand(n, T), 0 * t.expand(n, T),
                         0.3 * torch.sin(math.pi * t).expand(n, T)], -1)
    shake = torch.stack([torch.sin(12 * math.pi * f * t + phase)] * 3, -1) * 0.7
    tap = torch.stack([0 * t, 0 * t, torch.exp(-((t - 1) / 0.05) ** 2)], -1).expand(n, T, 3)
    x = torch.stack([circle, swipe, shake, tap], 1)[torch.arange(n), y]
    return x + 0.15 * torch.randn(n, T, 3, generator=g), y


class Windows(Dataset):
    def __init__(self, signals):
        self.signals = signals

    def __len__(self):
        return len(self.signals)

    def __getitem__(self, i):
        return self.signals[i]


class GestureLSTM(nn.Module):
    def __init__(self, hidden=48):
        super().__init__()
        self.lstm = nn.LSTM(3, hidden, num_layers=2, batch_first=True)
        self.head = nn.Linear(hidden, 4)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def build():
    torch.manual_seed(0)
    return GestureLSTM()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, labels), (vx, vy) = gestures(1600, g), gestures(400, g)
    torch.manual_seed(0)
    bs = 32
    loader = DataLoader(Windows(x), batch_size=bs, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    with open(out / "train_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "val_loss", "val_acc", "lr"])
        for epoch in range(10):
            model.train()
            tot = 0.0
            for b, xb in enumerate(loader):
                yb = labels[b * bs:(b + 1) * bs]  # BUG: position in the unshuffled list
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            sched.step()
            model.eval()
            with torch.no_grad():
                vout = model(vx)
                vloss = F.cross_entropy(vout, vy).item()
                vacc = (vout.argmax(1) == vy).float().mean().item()
            w.writerow([epoch, tot / len(x), vloss, vacc, sched.get_last_lr()[0]])
    print("train", tot / len(x), "val loss", round(vloss, 4), "val acc", round(vacc, 4))
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "lstm_epoch10.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["labels_wrong"],
           checkpoint="lstm_epoch10.pt", log="train_log.csv",
           what="DataLoader shuffles the windows, labels taken by batch position",
           complaint="LSTM loss stuck at 1.38 and validation accuracy is around 20%, like guessing")


if __name__ == "__main__":
    main()
