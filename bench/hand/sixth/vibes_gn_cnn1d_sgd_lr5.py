"""Pump vibration windows (1 channel, 256 samples) -> 4 machine states, the same 1-D GroupNorm
CNN, now trained with plain SGD in batches of 32. The config said ``lr: 5e-2`` and was read as
``5`` (bug: learning rate 100x too high; the loss jumps around, GroupNorm keeps it finite, and
val accuracy sits at chance). CSV log every 25 steps."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 256


def vibrations(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T).float() / T
    f0 = 5 + 2 * torch.rand(n, 1, generator=g)
    x = torch.sin(2 * math.pi * f0 * t)
    x = x + (y == 1).float()[:, None] * 0.8 * torch.sin(2 * math.pi * 2 * f0 * t)
    x = x + (y == 2).float()[:, None] * 0.8 * torch.sign(torch.sin(2 * math.pi * 3 * f0 * t))
    spikes = (torch.rand(n, T, generator=g) < 0.03).float() * 3
    x = x + (y == 3).float()[:, None] * spikes
    x = x + 0.3 * torch.randn(n, T, generator=g)
    return x[:, None], y


def block(cin, cout):
    return nn.Sequential(nn.Conv1d(cin, cout, 5, padding=2), nn.GroupNorm(4, cout), nn.ReLU(),
                         nn.MaxPool1d(2))


class VibNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(block(1, 16), block(16, 32), block(32, 32))
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.body(x).mean(-1))


def build():
    torch.manual_seed(0)
    return VibNet()


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(1)
    (x, y), (vx, vy) = vibrations(800, g), vibrations(300, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=5)  # BUG: meant 5e-2
    rows, step = [], 0
    for epoch in range(8):
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), 32):
            idx = perm[i:i + 32]
            model.train()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 25 == 0:
                model.eval()
                with torch.no_grad():
                    out_v = model(vx)
                rows.append({"step": step, "epoch": epoch, "train_loss": loss.item(),
                             "val_loss": F.cross_entropy(out_v, vy).item(),
                             "val_acc": (out_v.argmax(1) == vy).float().mean().item()})
    with open(out / "train_log.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(rows[-1])
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "step": step}, out / "vibnet.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["lr_too_high"], checkpoint="vibnet.pt",
           log="train_log.csv", what="plain SGD at lr 5 (meant 5e-2) on a 1-D GroupNorm CNN",
           complaint="loss stuck around 1.4 and val acc at 25% no matter how long I train")


if __name__ == "__main__":
    main()
