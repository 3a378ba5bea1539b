"""Plain torch: an MLP regresses the lift and drag coefficients of a wing section in a
low-speed wind tunnel from 6 settings of the run (angle of attack, Reynolds number, camber,
thickness, flap deflection, surface roughness). Lift follows a thin-airfoil slope with
camber and flap offsets that saturates past stall (a soft max near 14°), drag a
parabolic polar with a roughness term and a stall rise; 3 % balance noise on both.
MLP 6-64-64-2 (SiLU), Adam 3e-3 with cosine decay over 60 epochs, batch 64, 1024 runs.
Log: ``polar_log.tsv`` per epoch (epoch, lr, mse_train, mse_val, r2_lift_val, r2_drag_val);
checkpoint ``{"net", "opt", "sched", "epoch"}``.
Healthy: val MSE (standardised targets) 0.205 after epoch 2, 0.044 at 6, 0.016 at 24,
0.0109 at 60 (train 0.0078); val R² of lift 0.818 → 0.993, of drag 0.805 → 0.987."""
import sys

import torch
import torch.nn as nn


def tunnel_runs(n, g):
    u = torch.rand(n, 6, generator=g)
    alpha = -4 + 22 * u[:, 0]
    re = 0.2 + 1.8 * u[:, 1]
    camber, thick, flap, rough = 0.06 * u[:, 2], 0.08 + 0.1 * u[:, 3], 20 * u[:, 4], u[:, 5]
    a_eff = alpha + 100 * camber / 4 + 0.4 * flap
    stall = 12 + 20 * thick + 2 * re.log()
    cl = 0.11 * (a_eff - torch.nn.functional.softplus(a_eff - stall, beta=0.7) * 1.3)
    cd = 0.008 + 0.01 * rough / re.sqrt() + 0.04 * thick + 0.012 * cl ** 2 \
        + 0.02 * torch.nn.functional.softplus(alpha - stall, beta=0.5)
    y = torch.stack([cl, cd * 10], 1)
    y = y * (1 + 0.03 * torch.randn(n, 2, generator=g))
    return (u - 0.5) / 0.29, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                         nn.Linear(64, 2))


def r2(pred, y):
    return (1 - ((pred - y) ** 2).sum(0) / ((y - y.mean(0)) ** 2).sum(0)).tolist()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tunnel_runs(1024, g)
    xva, yva = tunnel_runs(256, g)
    mu, sd = ytr.mean(0), ytr.std(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=60)
    lines = ["epoch\tlr\tmse_train\tmse_val\tr2_lift_val\tr2_drag_val"]
    for epoch in range(60):
        model.train()
        perm = torch.randperm(1024, generator=g)
        tot = 0.0
        for i in range(0, 1024, 64):
            idx = perm[i:i + 64]
            loss = ((model(xtr[idx]) - (ytr[idx] - mu) / sd) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        lr = sched.get_last_lr()[0]
        sched.step()
        model.eval()
        with torch.no_grad():
            p = model(xva)
            vl = ((p - (yva - mu) / sd) ** 2).mean().item()
            rl, rd = r2(p * sd + mu, yva)
        lines.append(f"{epoch + 1}\t{lr:.6f}\t{tot / 1024:.5f}\t{vl:.5f}\t{rl:.4f}\t{rd:.4f}")
        print(lines[-1])
    (out / "polar_log.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 60, "target_mean": mu, "target_std": sd}, out / "polar_mlp.pt")
    finish(out, __file__, (xva[:64], (yva[:64] - mu) / sd), causes=[],
           checkpoint="polar_mlp.pt", log="polar_log.tsv",
           what="MLP regressing wind-tunnel lift and drag coefficients (healthy)")


if __name__ == "__main__":
    main()
