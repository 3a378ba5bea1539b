"""The MobileNet-like gauge reader (depthwise-separable blocks, BatchNorm, ReLU6) trained with
SGD + momentum and ``OneCycleLR(max_lr=0.2, epochs=6, steps_per_epoch=len(loader))`` -- but
``scheduler.step()`` sits after the batch loop, once per epoch, as with StepLR (bug: OneCycle
stepped per epoch: after 6 of its 144 steps the lr has only climbed from 0.008 to 0.015, so
the whole run trains at 1/25-1/14 of the intended peak; train loss ends at 0.35 and val
accuracy at 0.94, where the same script stepped per batch ends at 0.03 and 0.97-0.98)."""
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
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    steps_per_epoch = (len(x) + 63) // 64
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.2, epochs=6,
                                                    steps_per_epoch=steps_per_epoch)
    log = csv.writer(open(out / "log.csv", "w", newline=""))
    log.writerow(["epoch", "lr", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(6):
        model.train()
        perm = torch.randperm(len(x), generator=g)
        seen, tot, correct = 0, 0.0, 0
        for i in range(0, len(x), 64):
            xb, yb = x[perm[i:i + 64]], y[perm[i:i + 64]]
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            seen += len(yb)
            tot += loss.item() * len(yb)
            correct += (logits.argmax(1) == yb).sum().item()
        lr = scheduler.get_last_lr()[0]
        scheduler.step()  # BUG: OneCycleLR must step after every batch
        model.eval()
        with torch.no_grad():
            vo = model(vx)
        log.writerow([epoch, lr, tot / seen, correct / seen, F.cross_entropy(vo, vy).item(),
                      (vo.argmax(1) == vy).float().mean().item()])
        print(epoch, tot / seen, correct / seen, (vo.argmax(1) == vy).float().mean().item())
    torch.save({"epoch": epoch, "state_dict": model.state_dict(),
                "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()},
               out / "mobile_gauge.pth")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["lr_too_low"],
           checkpoint="mobile_gauge.pth", log="log.csv",
           what="OneCycleLR stepped once per epoch: the lr never leaves max_lr/25",
           complaint=("OneCycleLR but my lr column only goes 0.008 "
                      "-> 0.0146 and the loss is still 0.35"))


if __name__ == "__main__":
    main()
