"""A conditional neural process on synthetic 1-D functions: damped waves
y = A · exp(−d · (x + 2)) · sin(ω x + φ) + b on x ∈ [−2, 2] (A ∈ [0.5, 2], d ∈ [0, 0.5],
ω ∈ [1, 4], b ∈ [−1, 1]) with observation noise σ 0.05. Per batch of 16 functions, 4–20
context points and 40 target points (the context among them). The encoder (an MLP 2 → 64 →
64 → 64 on each (x, y) pair) is mean-aggregated; the decoder (an MLP on [r, x] → 64 → 64 → 2)
gives a mean and σ = 0.05 + 0.95 · softplus; Gaussian NLL over the targets. Adam 1e-3 with
``StepLR(step_size=10, gamma=0.5)`` meant per epoch over 40 epochs of 25 batches (a fixed pool
of 400 training functions, 160 for validation). The log is CSV per epoch (``epoch``,
``train_nll``, ``val_nll``, ``val_mse``). The bug: ``sched.step()`` sits inside the batch
loop, so the rate halves every 10 batches and is below 1e-9 by epoch 4."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def waves(n, g):
    A = 0.5 + 1.5 * torch.rand(n, 1, generator=g)
    d = 0.5 * torch.rand(n, 1, generator=g)
    w = 1 + 3 * torch.rand(n, 1, generator=g)
    ph = 2 * math.pi * torch.rand(n, 1, generator=g)
    b = 2 * torch.rand(n, 1, generator=g) - 1
    x = 4 * torch.rand(n, 40, generator=g) - 2
    y = A * torch.exp(-d * (x + 2)) * torch.sin(w * x + ph) + b
    return x[..., None], (y + 0.05 * torch.randn(y.shape, generator=g))[..., None]


class CNP(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 64))
        self.dec = nn.Sequential(nn.Linear(65, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 2))

    def forward(self, x_context, y_context, x_target):
        r = self.enc(torch.cat([x_context, y_context], -1)).mean(1, keepdim=True)
        h = self.dec(torch.cat([r.expand(-1, x_target.shape[1], -1), x_target], -1))
        return h[..., :1], 0.05 + 0.95 * F.softplus(h[..., 1:])


def build():
    torch.manual_seed(0)
    return CNP()


def split(x, y, nc):
    return x[:, :nc], y[:, :nc], x, y


def main():
    from _thirtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tx, ty = waves(400, g)
    vx, vy = waves(160, g)
    v_nc = torch.randint(4, 21, (1,), generator=g).item()
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    f = open(out / "cnp_metrics.csv", "w", newline="")
    log = csv.writer(f)
    log.writerow(["epoch", "train_nll", "val_nll", "val_mse"])
    for epoch in range(40):
        model.train()
        perm = torch.randperm(400, generator=g)
        total = 0.0
        for b in range(0, 400, 16):
            idx = perm[b:b + 16]
            nc = torch.randint(4, 21, (1,), generator=g).item()
            xc, yc, xt, yt = split(tx[idx], ty[idx], nc)
            mu, sigma = model(xc, yc, xt)
            loss = -torch.distributions.Normal(mu, sigma).log_prob(yt).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        model.eval()
        with torch.no_grad():
            mu, sigma = model(*split(vx, vy, v_nc)[:3])
            vn = -torch.distributions.Normal(mu, sigma).log_prob(vy).mean().item()
            vm = F.mse_loss(mu, vy).item()
        log.writerow([epoch, round(total / 25, 5), round(vn, 5), round(vm, 5)])
        if epoch % 5 == 4:
            print(epoch, round(total / 25, 4), round(vn, 4), round(vm, 4),
                  opt.param_groups[0]["lr"])
    f.close()
    torch.save({"cnp": model.state_dict(), "optimizer": opt.state_dict(),
                "lr_scheduler": sched.state_dict(), "epoch": epoch},
               out / "cnp_epoch40.pt")
    xc, yc, xt, yt = split(vx[:32], vy[:32], v_nc)
    finish(out, __file__, {"inputs": xc, "y_context": yc, "x_target": xt, "targets": yt},
           causes=["scheduler_step_per_batch"],
           checkpoint="cnp_epoch40.pt", log="cnp_metrics.csv",
           what="conditional neural process, StepLR(step_size=10 epochs) stepped every batch",
           complaint="神经过程模型：验证 NLL 只在前三个 epoch 降了一点（1.19 → 1.14），之后几十个 "
                     "epoch 一动不动，预测曲线很平滑但明显没贴住上下文点，加 epoch 也没用。")


if __name__ == "__main__":
    main()
