"""Temporal convolutional network (dilated causal 1-D convs, dilations 1-2-4-8, residual blocks
of 32 channels, kernel 3) classifies 128-step, 3-axis accelerometer windows of a packaging
machine into 4 states (idle, run, jam, misfeed: different rhythm and burst patterns). The
author copied an init loop "weights from a normal distribution, biases zero" from an old
project: BUG ``nn.init.normal_(m.weight, std=1.0)`` on every conv and the head (fan-in 96:
each layer multiplies the activations by ~10); PyTorch's default init would have done.
SGD lr 0.01 momentum 0.9, batch 64, 8 epochs; CSV log per epoch."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

STEPS, STATES = 128, 4


def windows(n, g):
    y = torch.randint(0, STATES, (n,), generator=g)
    t = torch.arange(STEPS).float()
    period = torch.tensor([32.0, 12.0, 12.0, 20.0])[y]
    phase = 2 * math.pi * torch.rand(n, 1, generator=g)
    amp = torch.tensor([0.1, 1.0, 1.0, 1.0])[y][:, None]
    base = amp * torch.sin(2 * math.pi * t / period[:, None] + phase)
    x = torch.stack([base, 0.5 * base.roll(3, 1), 0.3 * torch.ones_like(base)], 1)
    jam = (y == 2)[:, None] & (t > 64)[None]
    x[:, 0] = torch.where(jam, 0.05 * torch.ones_like(base), x[:, 0])
    burst = (y == 3)[:, None] & ((t % 20) < 3)[None]
    x[:, 1] = x[:, 1] + 1.5 * burst
    return x + 0.2 * torch.randn(n, 3, STEPS, generator=g), y


class Block(nn.Module):
    def __init__(self, cin, cout, dilation):
        super().__init__()
        self.pad = 2 * dilation
        self.conv1 = nn.Conv1d(cin, cout, 3, dilation=dilation)
        self.conv2 = nn.Conv1d(cout, cout, 3, dilation=dilation)
        self.skip = nn.Conv1d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x):
        h = F.relu(self.conv1(F.pad(x, (self.pad, 0))))
        h = F.relu(self.conv2(F.pad(h, (self.pad, 0))))
        return F.relu(h + self.skip(x))


class TCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(Block(3, 32, 1), Block(32, 32, 2), Block(32, 32, 4),
                                    Block(32, 32, 8))
        self.head = nn.Linear(32, STATES)
        for m in self.modules():
            if isinstance(m, (nn.Conv1d, nn.Linear)):
                nn.init.normal_(m.weight, std=1.0)  # BUG: far too large
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.head(self.blocks(x)[:, :, -1])


def build():
    torch.manual_seed(0)
    return TCN()


def main():
    from _fourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = windows(2400, g)
    tx, ty, vx, vy = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    log = open(out / "tcn_history.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
    for epoch in range(8):
        model.train()
        tot, hit = 0.0, 0
        for idx in torch.randperm(2000, generator=g).split(64):
            logits = model(tx[idx])
            loss = F.cross_entropy(logits, ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ty[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            vlog = model(vx)
            vl = F.cross_entropy(vlog, vy).item()
            va = (vlog.argmax(1) == vy).float().mean().item()
        w.writerow([epoch, round(tot / 2000, 4), round(hit / 2000, 4), round(vl, 4), round(va, 4)])
        print(epoch, round(tot / 2000, 4), round(hit / 2000, 4), round(vl, 4), round(va, 4))
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "tcn_machines.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["bad_weight_init"],
           checkpoint="tcn_machines.pt", log="tcn_history.csv",
           what="dilated TCN with every weight drawn from N(0, 1)",
           complaint="TCN for machine states: the loss is nan from the very first epoch and "
                     "the accuracy sits at chance")


if __name__ == "__main__":
    main()
