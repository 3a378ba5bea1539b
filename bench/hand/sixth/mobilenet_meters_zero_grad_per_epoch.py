"""Gauge-needle photos (1x28x28, synthetic: a needle at one of 6 angle bins on a noisy dial)
classified by a MobileNet-like net: depthwise-separable blocks with BatchNorm and ReLU6,
SGD + momentum 0.9, lr 0.05, batches of 64, CSV log per epoch. ``optimizer.zero_grad()`` sits
one indent too far left, before the batch loop (bug: gradients are cleared once per epoch and
summed over all its batches; the steps grow each batch, the loss blows up within the first
epoch and the net ends predicting one bin)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def gauges(n, g):
    y = torch.randint(0, 6, (n,), generator=g)
    ang = (y.float() + torch.rand(n, generator=g)) * (math.pi / 6) + math.pi / 2
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 28), torch.linspace(-1, 1, 28), indexing="ij")
    along = xx[None] * torch.cos(ang)[:, None, None] - yy[None] * torch.sin(ang)[:, None, None]
    across = xx[None] * torch.sin(ang)[:, None, None] + yy[None] * torch.cos(ang)[:, None, None]
    needle = ((along > 0) & (along < 0.85) & (across.abs() < 0.08)).float()
    dial = ((xx ** 2 + yy ** 2).sqrt() - 0.92).abs().lt(0.05).float()[None]
    img = 0.8 * needle + 0.5 * dial + 0.15 * torch.randn(n, 28, 28, generator=g)
    return ((img - 0.2) / 0.4)[:, None], y


def sep(cin, cout, stride):
    return nn.Sequential(
        nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False), nn.BatchNorm2d(cin),
        nn.ReLU6(), nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU6())


class MobileGauge(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16),
                                  nn.ReLU6())
        self.blocks = nn.Sequential(sep(16, 32, 1), sep(32, 64, 2), sep(64, 64, 1))
        self.fc = nn.Linear(64, 6)

    def forward(self, x):
        return self.fc(F.adaptive_avg_pool2d(self.blocks(self.stem(x)), 1).flatten(1))


def build():
    torch.manual_seed(0)
    return MobileGauge()


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = gauges(1500, g), gauges(400, g)
    model = build()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    log = csv.writer(open(out / "log.csv", "w", newline=""))
    log.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(6):
        model.train()
        perm = torch.randperm(len(x), generator=g)
        seen, tot, correct = 0, 0.0, 0
        optimizer.zero_grad()  # BUG: belongs inside the batch loop
        for i in range(0, len(x), 64):
            xb, yb = x[perm[i:i + 64]], y[perm[i:i + 64]]
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            loss.backward()
            optimizer.step()
            seen += len(yb)
            tot += loss.item() * len(yb)
            correct += (logits.argmax(1) == yb).sum().item()
        model.eval()
        with torch.no_grad():
            vo = model(vx)
        log.writerow([epoch, tot / seen, correct / seen, F.cross_entropy(vo, vy).item(),
                      (vo.argmax(1) == vy).float().mean().item()])
        print(epoch, tot / seen, correct / seen, (vo.argmax(1) == vy).float().mean().item())
    torch.save({"epoch": epoch, "state_dict": model.state_dict(),
                "optimizer": optimizer.state_dict()}, out / "mobile_gauge.pth")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["missing_zero_grad"],
           checkpoint="mobile_gauge.pth", log="log.csv",
           what="optimizer.zero_grad() once per epoch, before the batch loop (MobileNet-like)",
           complaint=("loss goes UP every epoch (2.5 -> 23) and "
                      "accuracy stuck at 1/6, what am I doing wrong"))


if __name__ == "__main__":
    main()
