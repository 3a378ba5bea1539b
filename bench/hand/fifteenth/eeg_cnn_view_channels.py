"""1-D CNN on 8-channel EEG-like windows (1.25 s at 128 Hz, exported channels-last as
``(trials, 160, 8)``): 4 classes, each raising a 10 Hz rhythm over its own pair of channels
(0-1, 2-3, 4-5, 6-7) on top of a weaker 10 Hz background in every channel, pink-ish noise
and per-trial channel gains. Conv1d(8 -> 32, k 7) - ReLU - Conv1d(32 -> 32, k 7) - ReLU -
global average pooling - Linear(32 -> 4); RMSprop 1e-3, batch 32, 15 epochs, 1600 / 400
trials, CSV log per epoch.
Bug: the model turns the channels-last window into Conv1d's ``(batch, channels, time)`` with
``x.view(x.size(0), x.size(2), x.size(1))`` instead of ``x.permute(0, 2, 1)``: each of the
8 "channels" it convolves is 20 consecutive samples of all 8 electrodes interleaved, so
which electrode carries the rhythm is lost. Train loss 1.391 -> 1.377 (train accuracy
0.26 -> 0.30), val loss 1.384 -> 1.391 (ln 4 = 1.386), val accuracy 0.23-0.28 (chance
0.25) at every epoch. Control with ``permute``: val accuracy 0.80 after epoch 0, 0.985 at
epoch 1, 1.0 from epoch 4; val loss 0.005 at the end."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T, CH, CLASSES, FS = 160, 8, 4, 128


def trials(n, g):
    y = torch.randint(0, CLASSES, (n,), generator=g)
    t = torch.arange(T) / FS
    phase = 2 * math.pi * torch.rand(n, CH, 1, generator=g)
    alpha = torch.sin(2 * math.pi * 10 * t + phase)  # (n, CH, T)
    amp = 0.3 + torch.zeros(n, CH, 1)
    amp[torch.arange(n), 2 * y] += 0.5
    amp[torch.arange(n), 2 * y + 1] += 0.5
    white = torch.randn(n, CH, T, generator=g)
    pink = torch.cumsum(white, -1) * 0.08 + 0.6 * white
    pink = pink - pink.mean(-1, keepdim=True)
    gain = 0.8 + 0.4 * torch.rand(n, CH, 1, generator=g)
    x = gain * (amp * alpha + pink)
    return x.transpose(1, 2).contiguous(), y  # channels-last, as exported


class EEGNet1d(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(CH, 32, 7, padding=3), nn.ReLU(),
                                  nn.Conv1d(32, 32, 7, padding=3), nn.ReLU())
        self.fc = nn.Linear(32, CLASSES)

    def forward(self, x):  # x: (batch, time, channels)
        x = x.view(x.size(0), x.size(2), x.size(1))
        return self.fc(self.conv(x).mean(-1))


def build():
    torch.manual_seed(0)
    return EEGNet1d()


def main():
    from _fifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = trials(2000, g)
    tx, ty, vx, vy = x[:1600], y[:1600], x[1600:], y[1600:]
    net = build()
    opt = torch.optim.RMSprop(net.parameters(), lr=1e-3)
    f = open(out / "eeg_history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(15):
        net.train()
        tl = tc = 0.0
        for idx in torch.randperm(1600, generator=g).split(32):
            logits = net(tx[idx])
            loss = F.cross_entropy(logits, ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            tc += (logits.argmax(1) == ty[idx]).sum().item()
        net.eval()
        with torch.no_grad():
            logits = net(vx)
            vl = F.cross_entropy(logits, vy).item()
            va = (logits.argmax(1) == vy).float().mean().item()
        row = [epoch, round(tl / 1600, 4), round(tc / 1600, 4), round(vl, 4), round(va, 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "epoch": epoch},
               out / "eeg_cnn.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["input_layout_scrambled"],
           checkpoint="eeg_cnn.pt", log="eeg_history.csv",
           what="EEG 1-D CNN, channels-last windows reshaped with view() instead of permute()",
           complaint="EEG classifier (1-D CNN, 8 channels): loss stays at 1.38-1.39 and validation "
                     "accuracy at chance (25 %) even though the classes are easy to see in the "
                     "channel power by eye")


if __name__ == "__main__":
    main()
