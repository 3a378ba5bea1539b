"""Neural ODE on two concentric, interleaved 2-D spirals (three quarters of a turn each, radius
0.2 → 1, Gaussian jitter 0.06): a linear lift 2 → 12, dynamics f(t, z) = MLP(12 + t → 48 →
12) with tanh, a hand-written fixed-step RK4 solver (8 steps over [0, 1]), a linear head 12 → 2.
Adam lr 1e-2, batch 64, 24 epochs, cross-entropy; a CSV log per epoch (``epoch``, ``lr``,
``train_nll``, ``val_nll``, ``val_accuracy``).
Bug: the scheduler line reads ``StepLR(opt, step_size=1, gamma=0.2)`` (the author meant to
cut the lr by 5 every 10 epochs, ``step_size=10``), stepped once per epoch: the lr is 1e-2 in
epoch 0, 2e-3 in epoch 1, 8e-5 by epoch 3 and 1e-9 by epoch 10, so the flow stops
learning while the spirals are still half tangled."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

DIM, STEPS = 12, 8


def spirals(n, g):
    y = torch.randint(0, 2, (n,), generator=g)
    s = torch.rand(n, generator=g)
    ang = 1.5 * torch.pi * s + torch.pi * y
    r = 0.2 + 0.8 * s
    x = torch.stack([r * torch.cos(ang), r * torch.sin(ang)], 1)
    return x + 0.06 * torch.randn(n, 2, generator=g), y


class Dynamics(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(DIM + 1, 48)
        self.l2 = nn.Linear(48, DIM)

    def forward(self, t, z):
        tt = torch.full_like(z[:, :1], t)
        return self.l2(torch.tanh(self.l1(torch.cat([z, tt], 1))))


def rk4(f, z, steps=STEPS):
    h = 1.0 / steps
    for i in range(steps):
        t = i * h
        k1 = f(t, z)
        k2 = f(t + h / 2, z + h / 2 * k1)
        k3 = f(t + h / 2, z + h / 2 * k2)
        k4 = f(t + h, z + h * k3)
        z = z + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return z


class ODENet(nn.Module):
    def __init__(self):
        super().__init__()
        self.lift = nn.Linear(2, DIM)
        self.func = Dynamics()
        self.head = nn.Linear(DIM, 2)

    def forward(self, x):
        return self.head(rk4(self.func, self.lift(x)))


def build():
    torch.manual_seed(0)
    return ODENet()


def main():
    from _thirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = spirals(2400, g)
    tx, ty, vx, vy = x[:1900], y[:1900], x[1900:], y[1900:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.2)
    f = open(out / "node_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "lr", "train_nll", "val_nll", "val_accuracy"])
    for epoch in range(24):
        model.train()
        total, seen = 0.0, 0
        lr = opt.param_groups[0]["lr"]
        for idx in torch.randperm(1900, generator=g).split(64):
            loss = F.cross_entropy(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            seen += len(idx)
        sched.step()
        model.eval()
        with torch.no_grad():
            logits = model(vx)
            vl = F.cross_entropy(logits, vy).item()
            acc = (logits.argmax(1) == vy).float().mean().item()
        w.writerow([epoch, f"{lr:.3g}", round(total / seen, 4), round(vl, 4), round(acc, 4)])
        print(epoch, f"{lr:.2g}", round(total / seen, 4), round(vl, 4), round(acc, 4))
    f.close()
    torch.save({"net": model.state_dict(), "adam": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": epoch}, out / "node_spirals.pth")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["lr_decay_too_fast"],
           checkpoint="node_spirals.pth", log="node_log.csv",
           what="neural ODE (hand RK4) on two spirals, StepLR(step_size=1, gamma=0.2) per epoch",
           complaint="my neural ODE on the spirals gets to about 70 % in the first two epochs "
                     "and then just sits there for the remaining 20 epochs, the loss barely "
                     "moves")


if __name__ == "__main__":
    main()
