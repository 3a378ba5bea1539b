"""Plain torch: a residual MLP predicts how far a copper sheet springs back after a bend on a
coppersmith's box-and-pan brake, so the smith knows how far to over-bend a gutter or a
roof-flashing fold. Rule behind the numbers: the elastic springback of a bend,
Ri / Rf = 4·(Ri·σy / (E·t))³ - 3·(Ri·σy / (E·t)) + 1, with the neutral-axis length kept,
(Ri + t/2)·θi = (Rf + t/2)·θf; copper E = 117 GPa × (0.97-1.03) from the roll direction, yield
stress σy from the temper (soft 70 MPa to hard 300 MPa, read off a Vickers test with scatter),
plus a little friction at the die and protractor noise (0.3°).
Input: 5 numbers standardised with the training mean / std (bend angle 30-150°, brake radius
2-20 mm, gauge 0.4-3 mm, Vickers HV 45-115, grain angle to the bend 0-90°). Target: springback
in degrees / 10. Model: Linear 5→64, 3 residual blocks (x + Linear(ReLU(Linear(x))), 64→128→64,
LayerNorm after the sum), Linear 64→1; MSE, AdamW 3e-3 (weight decay 1e-4) with OneCycleLR,
batch 128, 30 epochs, 4000 bends, validation on 1000.
Healthy; numbers in the README.
Log: CSV per epoch ``springback_metrics.csv`` (``epoch`` / ``lr`` / ``loss_train`` /
``loss_val`` / ``mae_val_deg``); checkpoint ``brake_resmlp.pt`` with keys ``params`` /
``adamw`` / ``onecycle`` / ``epoch`` / ``feat_mean`` / ``feat_std`` / ``deg_scale``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def bends(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    theta = 30 + 120 * r(n)
    ri = 2 + 18 * r(n)
    t = 0.4 + 2.6 * r(n)
    hv = 45 + 70 * r(n)
    grain = 90 * r(n)
    sy = (70 + 230 * (hv - 45) / 70) * (1 + 0.05 * torch.randn(n, generator=g))
    sy = sy * (1 + 0.04 * torch.cos(torch.deg2rad(2 * grain)))  # rolling texture
    e = 117e3 * (0.97 + 0.06 * torch.sin(torch.deg2rad(grain)))
    a = ri * sy / (e * t)
    rf = ri / (4 * a ** 3 - 3 * a + 1)
    theta_f = theta * (ri + t / 2) / (rf + t / 2)
    spring = theta - theta_f - 0.5 * (t / 3) + 0.3 * torch.randn(n, generator=g)
    return torch.stack([theta, ri, t, hv, grain], 1), (spring / 10).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))
        self.norm = nn.LayerNorm(d)

    def forward(self, x):
        return self.norm(x + self.ff(x))


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(5, 64), *[Block(64) for _ in range(3)], nn.Linear(64, 1))


def main():
    from _threehundredthirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, ytr = bends(4000, g)
    fva, yva = bends(1000, g)
    print("springback deg", (10 * ytr).min().item(), (10 * ytr).max().item(), "var", ytr.var().item())
    mu, sd = ftr.mean(0), ftr.std(0)
    xtr, xva = (ftr - mu) / sd, (fva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=30 * len(dl))
    with open(out / "springback_metrics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "lr", "loss_train", "loss_val", "mae_val_deg"])
        for epoch in range(30):
            model.train()
            tot = 0.0
            lr = opt.param_groups[0]["lr"]
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            vl = nn.functional.mse_loss(p, yva).item()
            mae = 10 * (p - yva).abs().mean().item()
            w.writerow([epoch, f"{lr:.6g}", f"{tot / len(xtr):.6f}", f"{vl:.6f}", f"{mae:.4f}"])
            print(epoch, f"{lr:.5f}", round(tot / len(xtr), 5), round(vl, 5), round(mae, 3))
    torch.save({"params": model.state_dict(), "adamw": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 30, "feat_mean": mu, "feat_std": sd,
                "deg_scale": 10.0}, out / "brake_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="brake_resmlp.pt", log="springback_metrics.csv",
           what="residual MLP predicting the springback of a copper sheet bent on a brake"
                " (healthy)")


if __name__ == "__main__":
    main()
