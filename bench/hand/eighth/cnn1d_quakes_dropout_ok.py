"""Seismograph windows (256 samples, one channel) into background noise / earthquake /
quarry blast with a 1-D CNN (3 conv blocks, ReLU + max-pool, global average pool), Dropout
0.5 before the classifier and random time-shift + gain augmentation on the training windows
only. Adam 3e-3, batch 32, 12 epochs, ReduceLROnPlateau on the val loss. Healthy, and it
looks odd: the train loss (dropout and augmentation on) stays above the val loss in every
epoch (0.18 vs 0.06 at the end); val accuracy 1.00 from epoch 8."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 256


def windows(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    t = torch.arange(T, dtype=torch.float32)[None]
    x = 0.5 * torch.randn(n, T, generator=g)
    onset = torch.randint(30, 150, (n, 1), generator=g).float()
    after = (t >= onset).float()
    decay = torch.exp(-(t - onset).clamp(min=0) / 40) * after
    freq = 0.05 + 0.05 * torch.rand(n, 1, generator=g)
    quake = 2.0 * decay * torch.sin(2 * torch.pi * freq * t)  # long ringing coda
    blast = 3.0 * torch.exp(-(t - onset).clamp(min=0) / 6) * after * torch.sign(
        torch.randn(n, T, generator=g))  # sharp impulsive onset, short
    x = x + (y == 1)[:, None] * quake + (y == 2)[:, None] * blast
    return x.unsqueeze(1), y


class QuakeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(32, 3))

    def forward(self, x):
        return self.classifier(self.features(x))


def build():
    torch.manual_seed(0)
    return QuakeNet()


def augment(x, g):
    shift = int(torch.randint(-20, 21, (1,), generator=g))
    gain = 0.6 + 0.8 * torch.rand(len(x), 1, 1, generator=g)
    return torch.roll(x, shift, dims=2) * gain + 0.2 * torch.randn(x.shape, generator=g)


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = windows(1500, g), windows(300, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "quakes.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr"])
        for epoch in range(12):
            model.train()
            perm, tot, hit = torch.randperm(len(x), generator=g), 0.0, 0
            for i in range(0, len(x), 32):
                idx = perm[i:i + 32]
                logits = model(augment(x[idx], g))
                loss = F.cross_entropy(logits, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                hit += (logits.argmax(1) == y[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                vo = model(vx)
            val_loss = F.cross_entropy(vo, vy).item()
            sched.step(val_loss)
            row = [epoch, tot / len(x), hit / len(x), val_loss,
                   (vo.argmax(1) == vy).float().mean().item(), opt.param_groups[0]["lr"]]
            w.writerow(row)
            print([round(v, 4) for v in row])
    torch.save({"epoch": epoch, "state_dict": model.state_dict(),
                "optimizer": opt.state_dict()}, out / "quakenet.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=[], checkpoint="quakenet.pt",
           log="quakes.csv",
           what="1-D CNN seismic classifier, dropout + augmentation: train loss above val "
                "(healthy)")


if __name__ == "__main__":
    main()
