"""Smartwatch gestures (3-axis accelerometer, 50 steps at 25 Hz: circle, swipe, shake, tap)
with a 1-layer LSTM. Training windows get jitter + random scaling augmentation and dropout
0.3 on the last hidden state, so the training loss stays above the validation loss all run
long; that is the augmentation, not a bug (healthy). RMSprop 2e-3, no schedule."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

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


class GestureLSTM(nn.Module):
    def __init__(self, hidden=48):
        super().__init__()
        self.lstm = nn.LSTM(3, hidden, batch_first=True)
        self.drop = nn.Dropout(0.3)
        self.head = nn.Linear(hidden, 4)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(self.drop(h[-1]))


def build():
    torch.manual_seed(0)
    return GestureLSTM()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = gestures(1600, g), gestures(400, g)
    torch.manual_seed(0)
    loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=2e-3)
    with open(out / "gesture_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
        for epoch in range(12):
            model.train()
            tot, correct = 0.0, 0
            for xb, yb in loader:
                xb = xb * (1 + 0.2 * torch.randn(len(xb), 1, 1)) + 0.2 * torch.randn_like(xb)
                out_ = model(xb)
                loss = F.cross_entropy(out_, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                correct += (out_.argmax(1) == yb).sum().item()
            model.eval()
            with torch.no_grad():
                vout = model(vx)
                vloss = F.cross_entropy(vout, vy).item()
                vacc = (vout.argmax(1) == vy).float().mean().item()
            w.writerow([epoch, tot / len(x), correct / len(x), vloss, vacc])
    print("train", tot / len(x), "val loss", round(vloss, 4), "val acc", round(vacc, 4))
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "gesture_lstm.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=[], checkpoint="gesture_lstm.pt",
           log="gesture_log.csv",
           what="LSTM with augmentation + dropout: val loss below train loss, healthy")


if __name__ == "__main__":
    main()
