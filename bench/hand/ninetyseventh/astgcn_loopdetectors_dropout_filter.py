"""ASTGCN-lite traffic speed forecaster on synthetic loop-detector data: 12 sensors on a ring
road, 15-min speeds with a daily profile (96 steps, morning and evening dips), congestion that
spreads to the downstream neighbour, and noise; about 4% of readings are dropouts (speed 0).
Windows of the last 12 steps for all sensors predict the next step; windows whose input has a
dropout are removed. Model: temporal attention-free
ASTGCN block = a 1-D temporal conv per sensor, a Chebyshev-1 graph conv with the normalised
ring adjacency, a second temporal conv and a linear head. Adam 3e-3 with StepLR(step_size=4
epochs, gamma=0.5), batch 64, 12 epochs; a CSV log per epoch with train MSE, val MSE and val
MAE in km/h."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

NS, W, T = 12, 12, 3400


def speeds(g):
    t = torch.arange(T).float()
    day = (t % 96) / 96
    phase = torch.arange(NS).float()[:, None] * 0.01
    base = 95 - 25 * torch.exp(-((day[None] - 0.33 - phase) / 0.05) ** 2) \
        - 30 * torch.exp(-((day[None] - 0.72 - phase) / 0.06) ** 2)
    v = base + 3 * torch.randn(NS, T, generator=g)
    v = v * (0.9 + 0.2 * torch.rand(NS, 1, generator=g))
    drop = torch.rand(NS, T, generator=g) < 0.004
    return torch.where(drop, torch.zeros_like(v), v).T  # (T, NS)


def ring_adj():
    a = torch.eye(NS)
    for i in range(NS):
        a[i, (i + 1) % NS] = a[i, (i - 1) % NS] = 1
    d = a.sum(1).rsqrt()
    return d[:, None] * a * d[None]


class ASTGCNLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("A", ring_adj())
        self.t1 = nn.Conv1d(1, 16, 3, padding=1)
        self.g = nn.Linear(16, 16)
        self.t2 = nn.Conv1d(16, 16, 3, padding=1)
        self.head = nn.Linear(16 * W, 1)

    def forward(self, x):  # x (B, W, NS), standardised
        b = x.shape[0]
        h = F.relu(self.t1(x.permute(0, 2, 1).reshape(b * NS, 1, W)))  # (B*NS, 16, W)
        h = h.reshape(b, NS, 16, W).permute(0, 3, 1, 2)  # (B, W, NS, 16)
        h = F.relu(self.g(torch.einsum("ij,bwjc->bwic", self.A, h)))
        h = h.permute(0, 2, 3, 1).reshape(b * NS, 16, W)
        h = F.relu(self.t2(h)).reshape(b, NS, 16 * W)
        return self.head(h).squeeze(-1)  # (B, NS)


def build():
    torch.manual_seed(0)
    return ASTGCNLite()


def main():
    from _ninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    v = speeds(g)
    mu, sd = 80.0, 15.0
    x = torch.stack([v[i:i + W] for i in range(T - W)])
    y = v[W:]
    x = x[(x > 0).all(2).all(1)]  # drop windows with a dropout
    y = y[:len(x)]
    x, y = (x - mu) / sd, (y - mu) / sd
    n = int(0.8 * len(x))
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)
    f = open(out / "metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "lr", "train_mse", "val_mse", "val_mae_kmh"])
    for epoch in range(12):
        model.train()
        perm = torch.randperm(n, generator=g)
        tot = 0.0
        for i in range(0, n, 64):
            idx = perm[i:i + 64]
            loss = F.mse_loss(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        lr = opt.param_groups[0]["lr"]
        sched.step()
        model.eval()
        with torch.no_grad():
            p = model(x[n:])
            row = [epoch + 1, f"{lr:.2e}", round(tot / n, 4), round(F.mse_loss(p, y[n:]).item(), 4),
                   round((p - y[n:]).abs().mean().item() * sd, 3)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 12, "mu": mu, "sd": sd}, out / "astgcn_last.pth")
    finish(out, __file__, (x[n:n + 64], y[n:n + 64]), causes=["labels_wrong"],
           checkpoint="astgcn_last.pth", log="metrics.csv",
           what="ASTGCN-lite traffic forecaster, windows filtered but targets only truncated (misaligned)",
           complaint="The traffic forecaster barely learns: train MSE 0.71 → 0.64 over 12 epochs and val MAE stays around 8.3 km/h, which is about what predicting the daily average gives. The speeds have an obvious daily pattern, so one-step-ahead should be easy.")


if __name__ == "__main__":
    main()
