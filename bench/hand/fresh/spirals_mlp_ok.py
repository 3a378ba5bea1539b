"""Three interleaved 2-D spirals (3 classes), a 3-layer ReLU MLP with the default init,
Adam 3e-3, full-batch-ish minibatches of 128 (healthy)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

HIDDEN = 64


def spirals(n_per_class, seed, noise=0.15):
    g = torch.Generator().manual_seed(seed)
    xs, ys = [], []
    for k in range(3):
        r = torch.linspace(0.1, 1.0, n_per_class)
        t = 4.0 * r + 2 * math.pi * k / 3 + noise * torch.randn(n_per_class, generator=g)
        xs.append(torch.stack([r * t.sin(), r * t.cos()], 1) * 2)
        ys.append(torch.full((n_per_class,), k))
    return torch.cat(xs), torch.cat(ys)


class Net(nn.Module):
    def __init__(self, hidden=HIDDEN):
        super().__init__()
        self.fc1 = nn.Linear(2, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.fc3 = nn.Linear(hidden, 3)

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def build():
    torch.manual_seed(0)
    return Net()


def main():
    from _fresh import finish, out_dir
    out = out_dir(__file__)
    x, y = spirals(600, 0)
    vx, vy = spirals(200, 1)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    w = csv.writer(open(out / "spiral_log.csv", "w", newline=""))
    w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
    g = torch.Generator().manual_seed(0)
    for epoch in range(60):
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), 128):
            b = perm[i:i + 128]
            loss = F.cross_entropy(net(x[b]), y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            tr, va = net(x), net(vx)
        w.writerow([epoch, F.cross_entropy(tr, y).item(), (tr.argmax(1) == y).float().mean().item(),
                    F.cross_entropy(va, vy).item(), (va.argmax(1) == vy).float().mean().item()])
    print("val acc", (va.argmax(1) == vy).float().mean().item())
    torch.save({"net": net.state_dict(), "opt": opt.state_dict()}, out / "spiral_net.pt")
    finish(out, __file__, (vx[::3], vy[::3]), causes=[], checkpoint="spiral_net.pt",
           log="spiral_log.csv", what="spiral ReLU MLP, Adam: healthy")


if __name__ == "__main__":
    main()
