"""Gait-based person identification from a waist IMU (3-axis accelerometer + 3-axis gyroscope)
on synthetic 2-s windows at 50 Hz (100 samples × 6 channels): 8 walkers, each with their own
cadence (1.6–2.2 steps/s), harmonic mix, left/right asymmetry and axis gains; per window a
random phase, ±5 % cadence drift and sensor noise. Conv1d 6 → 32 (k 5) → 32 (k 5, stride 2),
a GRU with 32 units over the 50 steps, the last state → linear to 8 walkers. Batch 32, 8 epochs
of 1280 windows; a CSV log every 10 steps with the step, train loss, and at each epoch end val
loss and val accuracy.
Bug: the recipe the author followed trains with SGD momentum 0.9 at lr 0.3; they switched to
``torch.optim.Adam`` and kept ``lr=0.3``. Adam's step is about lr per weight whatever the
gradient scale, so every step moves each weight by ~0.3: the GRU gates saturate, the loss
jumps to 3.0 and then bounces between 2.1 and 2.7, above ln 8 = 2.08, and val accuracy sits at
chance (0.10–0.13 every epoch, 0.125 at the end, val loss 2.67). The control (Adam 3e-3) reaches
val accuracy 1.0, val loss 0.008."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T, FS, WALKERS = 100, 50, 8


def walkers(g):
    return {"cad": 1.6 + 0.6 * torch.rand(WALKERS, generator=g),
            "harm": torch.rand(WALKERS, 6, 3, generator=g),
            "asym": 0.3 * torch.rand(WALKERS, generator=g),
            "gain": 0.6 + 0.8 * torch.rand(WALKERS, 6, generator=g)}


def windows(n, w, g):
    y = torch.randint(0, WALKERS, (n,), generator=g)
    t = torch.arange(T).float() / FS
    cad = w["cad"][y] * (1 + 0.05 * (2 * torch.rand(n, generator=g) - 1))
    ph = 6.283 * torch.rand(n, 1, 1, generator=g)
    base = 6.283 * cad[:, None, None] * t[None, None] / 2 + ph  # stride = two steps
    x = torch.zeros(n, 6, T)
    for h in range(3):
        x = x + w["harm"][y][:, :, h, None] * torch.sin((h + 1) * base + h)
    x = x + w["asym"][y][:, None, None] * torch.sin(base / 2)
    x = x * w["gain"][y][:, :, None] + 0.3 * torch.randn(n, 6, T, generator=g)
    return x, y


class ConvGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(6, 32, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 5, stride=2, padding=2), nn.ReLU())
        self.gru = nn.GRU(32, 32, batch_first=True)
        self.fc = nn.Linear(32, WALKERS)

    def forward(self, x):
        h, _ = self.gru(self.conv(x).transpose(1, 2))
        return self.fc(h[:, -1])


def build():
    torch.manual_seed(0)
    return ConvGRU()


def main():
    from _ninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    w = walkers(g)
    x, y = windows(1600, w, g)
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.3)
    f = open(out / "gait_train.csv", "w", newline="")
    wr = csv.writer(f)
    wr.writerow(["step", "loss", "val_loss", "val_acc"])
    step = 0
    for epoch in range(8):
        model.train()
        for idx in torch.randperm(1280, generator=g).split(32):
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0 and step % 40:
                wr.writerow([step, round(loss.item(), 4), "", ""])
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = F.cross_entropy(lo, yva).item()
            acc = (lo.argmax(1) == yva).float().mean().item()
        wr.writerow([step, round(loss.item(), 4), round(vl, 4), round(acc, 4)])
        print(epoch, step, round(loss.item(), 3), round(vl, 3), round(acc, 3))
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "global_step": step, "walkers": WALKERS}, out / "gait_convgru.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="gait_convgru.pth", log="gait_train.csv",
           what="Conv+GRU gait identification, Adam with lr 0.3 (an SGD recipe's lr)",
           complaint="步态识别模型（卷积 + GRU，IMU 窗口）完全学不到东西：loss 一直在 2 到 3 之间"
                     "来回跳，根本不下降，8 个人的验证准确率只有 12% 左右，就是瞎猜的水平。")


if __name__ == "__main__":
    main()
