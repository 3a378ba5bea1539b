"""STGCN traffic forecaster on synthetic loop-detector speeds: 14 sensors on a ring road with
4 cross streets (a fixed graph, symmetric normalised adjacency with self loops), 5-minute
readings. Speed = 58 km/h + a daily cycle (±7) − 9 × a congestion field that diffuses over the
graph (z_t = 0.8 · A z_{t−1} + 0.25 · shocks, heavy-tailed shocks at random sensors) + 2.5 km/h
sensor noise. Standardised with the training mean / std; 12 readings in, the next 3 out. The
model: two ST-conv blocks (a gated temporal conv, kernel 3, GLU; a first-order graph conv
Â X W with ReLU; a second temporal conv; LayerNorm over sensors × channels), then a temporal
conv over the remaining steps to the 3-step horizon. Adam 1e-3 with a step decay (×0.5 after
epoch 3), batch 32, 6 epochs; a CSV per epoch with ``train_mse`` and ``val_mse`` (standardised)
and ``val_mae_kmh`` / ``val_rmse_kmh``. Healthy: val MAE about 2.6 km/h — the 2.5 km/h noise
and the unpredictable shocks set the floor — the val MSE flat after epoch 3, a little above
the train MSE."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N, T_IN, T_OUT = 14, 12, 3


def road_graph():
    a = torch.zeros(N, N)
    for i in range(N):
        a[i, (i + 1) % N] = a[(i + 1) % N, i] = 1
    for i, j in ((0, 7), (3, 10), (5, 12), (2, 9)):
        a[i, j] = a[j, i] = 1
    a = a + torch.eye(N)
    d = a.sum(1).rsqrt()
    return d[:, None] * a * d[None]


def speeds(steps, adj, g):
    z = torch.zeros(N)
    out = torch.zeros(steps, N)
    for t in range(steps):
        shock = torch.zeros(N)
        if float(torch.rand(1, generator=g)) < 0.15:
            at = int(torch.randint(0, N, (1,), generator=g))
            shock[at] = 2 + 2 * float(torch.rand(1, generator=g))
        z = 0.8 * adj @ z + 0.25 * torch.randn(N, generator=g).abs() * 0.5 + shock
        out[t] = 58 + 7 * math.sin(2 * math.pi * t / 288) - 9 * z.clamp(max=4)
    return out + 2.5 * torch.randn(steps, N, generator=g)


def windows(s):
    idx = torch.arange(len(s) - T_IN - T_OUT + 1)
    x = torch.stack([s[i:i + T_IN] for i in idx])
    y = torch.stack([s[i + T_IN:i + T_IN + T_OUT] for i in idx])
    return x[:, None], y  # (B, 1, T_IN, N), (B, T_OUT, N)


class TemporalGLU(nn.Module):
    def __init__(self, cin, cout, k=3):
        super().__init__()
        self.conv = nn.Conv2d(cin, 2 * cout, (k, 1))
        self.res = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()
        self.k = k

    def forward(self, x):  # (B, C, T, N)
        p, q = self.conv(x).chunk(2, 1)
        return (p + self.res(x)[:, :, self.k - 1:]) * torch.sigmoid(q)


class STBlock(nn.Module):
    def __init__(self, cin, mid, cout, t):
        super().__init__()
        self.t1 = TemporalGLU(cin, cout)
        self.theta = nn.Linear(cout, mid)
        self.t2 = TemporalGLU(mid, cout)
        self.norm = nn.LayerNorm([N, cout])

    def forward(self, x, adj):
        h = self.t1(x)
        h = torch.einsum("nm,bctm->bctn", adj, h)
        h = F.relu(self.theta(h.permute(0, 2, 3, 1))).permute(0, 3, 1, 2)
        h = self.t2(h)
        return self.norm(h.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class STGCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("adj", road_graph())
        self.b1 = STBlock(1, 16, 32, T_IN)
        self.b2 = STBlock(32, 16, 32, T_IN - 4)
        self.out = nn.Conv2d(32, T_OUT, (T_IN - 8, 1))

    def forward(self, x):
        h = self.b2(self.b1(x, self.adj), self.adj)
        return self.out(h).squeeze(2)  # (B, T_OUT, N)


def build():
    torch.manual_seed(0)
    return STGCN()


def main():
    from _sixtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    s = speeds(2600, road_graph(), g)
    mu, sd = s[:2000].mean(), s[:2000].std()
    x, y = windows((s - mu) / sd)
    xtr, ytr = x[:1985], y[:1985]
    xva, yva = x[2000:], y[2000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    f = open(out / "stgcn_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "lr", "train_mse", "val_mse", "val_mae_kmh", "val_rmse_kmh"])
    for epoch in range(6):
        model.train()
        tot, cnt = 0.0, 0
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot, cnt = tot + loss.item() * len(idx), cnt + len(idx)
        lr = opt.param_groups[0]["lr"]
        sched.step()
        model.eval()
        with torch.no_grad():
            pred = model(xva)
            mse = F.mse_loss(pred, yva).item()
            err = (pred - yva) * sd
        row = [epoch, lr, round(tot / cnt, 4), round(mse, 4), round(err.abs().mean().item(), 3),
               round(err.pow(2).mean().sqrt().item(), 3)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"params": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 6,
                "norm": {"mean": mu.item(), "std": sd.item()}}, out / "stgcn_last.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="stgcn_last.pt",
           log="stgcn_metrics.csv",
           what="STGCN ring-road speed forecaster, 12 in / 3 out, noise floor (healthy)")


if __name__ == "__main__":
    main()
