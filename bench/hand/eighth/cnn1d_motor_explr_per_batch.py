"""Induction-motor fault classes from the stator current (2 channels x 200 samples: healthy,
broken rotor bar, bearing wear, eccentricity -- each a small side-band or ripple on the 50 Hz
line) with a 1-D CNN (BatchNorm, 3 conv blocks, global average pool). Adam 2e-3 with
``ExponentialLR(gamma=0.9)``, batch 32, 12 epochs. Bug: ``scheduler.step()`` sits inside the
batch loop, so the per-epoch decay is applied 50 times an epoch: lr 2e-3 -> 1e-5 after the
first epoch and ~1e-28 at the end. The loss stops at 1.36 after epoch 0 and val accuracy at
0.29 (stepped once per epoch: train loss 0.11, val accuracy 0.90-0.92 in epochs 8-10, a
bumpy 0.78 in the last)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 200


def currents(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T, dtype=torch.float32)[None] / 1000
    phase = 2 * torch.pi * torch.rand(n, 1, generator=g)
    amp = 1 + 0.1 * torch.randn(n, 1, generator=g)
    a = amp * torch.sin(2 * torch.pi * 50 * t + phase)
    b = amp * torch.sin(2 * torch.pi * 50 * t + phase - 2 * torch.pi / 3)
    side = 0.1 * torch.sin(2 * torch.pi * 42 * t + phase) * (y == 1)[:, None]
    ripple = 0.1 * torch.sin(2 * torch.pi * 230 * t) * (y == 2)[:, None]
    ecc = 0.12 * torch.sin(2 * torch.pi * 25 * t + phase) * (y == 3)[:, None]
    x = torch.stack([a + side + ripple + ecc, b + side - ripple + ecc], 1)
    return x + 0.25 * torch.randn(x.shape, generator=g), y


class MotorCNN(nn.Module):
    def __init__(self):
        super().__init__()
        blocks, c = [], 2
        for out_c in (16, 32, 32):
            blocks += [nn.Conv1d(c, out_c, 7, padding=3), nn.BatchNorm1d(out_c), nn.ReLU(),
                       nn.MaxPool1d(2)]
            c = out_c
        self.body = nn.Sequential(*blocks, nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.body(x))


def build():
    torch.manual_seed(0)
    return MotorCNN()


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = currents(1600, g), currents(400, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    with open(out / "motor_metrics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "lr", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(12):
            model.train()
            perm, tot, hit = torch.randperm(len(x), generator=g), 0.0, 0
            lr = opt.param_groups[0]["lr"]
            for i in range(0, len(x), 32):
                idx = perm[i:i + 32]
                logits = model(x[idx])
                loss = F.cross_entropy(logits, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                scheduler.step()  # BUG: an epoch scheduler stepped every batch
                tot += loss.item() * len(idx)
                hit += (logits.argmax(1) == y[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                vo = model(vx)
            row = [epoch, lr, tot / len(x), hit / len(x), F.cross_entropy(vo, vy).item(),
                   (vo.argmax(1) == vy).float().mean().item()]
            w.writerow(row)
            print([f"{v:.4g}" for v in row])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": scheduler.state_dict(), "epoch": epoch}, out / "motor_cnn.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["scheduler_step_per_batch"],
           checkpoint="motor_cnn.pt", log="motor_metrics.csv",
           what="1-D BN CNN, ExponentialLR(0.9) stepped per batch",
           complaint="the loss goes from 1.40 to 1.36 in the first epoch and then does not move at "
                     "all for 11 epochs, validation accuracy stuck at 29%")


if __name__ == "__main__":
    main()
