"""Plain torch: a residual MLP estimates how many days a driftwood log has been at sea from 12
things a beachcomber can measure on the log: wood density (waterlogging), bark remaining
(fraction), shipworm bore-hole count per dm², goose barnacle cover, largest barnacle
capitulum length, algal film thickness, end-grain rounding, surface hardness, length, girth,
and two uninformative ones (beach id hash, photo brightness). Drift days come from a growth
/decay model (barnacle size grows like the square root of time, bark falls off exponentially,
density rises to saturation) with log-normal noise; the net regresses log(days).
Residual MLP: Linear(12, 64) then 3 blocks x → x + Linear(ReLU(LayerNorm(Linear(x)))) and a
Linear(64, 1) head; SGD lr 0.02, Nesterov momentum 0.9, weight decay 1e-3, StepLR(8, 0.3),
batch 16, 20 epochs of 1200 logs, validation on 300 (features and target standardised with
the training mean/std; the target's variance is about 0.33).
Healthy: numbers in the README (the val MSE is noisy epoch to epoch and dips below train).
Log: JSON lines per epoch (``ep`` / ``train_mse`` / ``val_mse`` / ``val_mae_days``);
checkpoint keys ``model`` / ``optim`` / ``sched`` / ``ep``."""
import json

import torch
import torch.nn as nn


def logs(n, g):
    days = torch.exp(3 + 2 * torch.rand(n, generator=g))
    t = days / 100
    r = torch.rand(n, 12, generator=g)
    dens = 0.45 + 0.5 * (1 - torch.exp(-t * (0.5 + r[:, 0]))) + 0.03 * torch.randn(n, generator=g)
    bark = torch.exp(-t * (0.8 + r[:, 1])) + 0.02 * torch.randn(n, generator=g)
    bores = torch.poisson(8 * t * (0.5 + r[:, 2]), generator=g)
    cover = (t * (0.3 + r[:, 3])).clamp(max=1)
    capit = 6 * torch.sqrt(t) * (0.7 + 0.6 * r[:, 4])
    algae = 0.3 * t * (0.5 + r[:, 5])
    rounding = 1 - torch.exp(-t * (0.5 + r[:, 6]))
    hard = 1 - 0.4 * rounding + 0.1 * torch.randn(n, generator=g)
    x = torch.stack([dens, bark, torch.log1p(bores), cover, capit, algae, rounding, hard,
                     2 + 3 * r[:, 8], 0.3 + r[:, 9], r[:, 10], r[:, 11]], 1)
    return x, torch.log(days) + 0.1 * torch.randn(n, generator=g)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), Block(64), Block(64), Block(64), nn.Linear(64, 1))


def main():
    from _twohundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = logs(1200, g)
    xva, yva = logs(300, g)
    mu, sd, ym = xtr.mean(0), xtr.std(0), ytr.mean()
    xtr, xva, ytr, yva = (xtr - mu) / sd, (xva - mu) / sd, ytr - ym, yva - ym
    torch.manual_seed(0)
    net = build()
    opt = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9, nesterov=True,
                          weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, 8, 0.3)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=16,
                                         shuffle=True)
    with open(out / "drift.jsonl", "w") as f:
        for ep in range(20):
            net.train()
            tot = 0.0
            for xb, yb in loader:
                loss = nn.functional.mse_loss(net(xb).squeeze(-1), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            sched.step()
            net.eval()
            with torch.no_grad():
                p = net(xva).squeeze(-1)
            rec = {"ep": ep, "train_mse": round(tot / len(ytr), 5),
                   "val_mse": round(nn.functional.mse_loss(p, yva).item(), 5),
                   "val_mae_days": round((torch.exp(p + ym) - torch.exp(yva + ym)).abs().mean().item(), 3)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model": net.state_dict(), "optim": opt.state_dict(), "sched": sched.state_dict(),
                "ep": 20}, out / "drift_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="drift_resmlp.pt", log="drift.jsonl",
           what="residual MLP regressing driftwood days at sea from log measurements (healthy)")


if __name__ == "__main__":
    main()
