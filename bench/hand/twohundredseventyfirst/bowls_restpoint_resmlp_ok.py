"""Plain torch: a residual MLP predicts where a lawn bowl comes to rest, relative to the kitty
(along the lane and sideways, in cm), from 7 numbers a coach's tracker gives at release: the
release speed (m/s), the release angle off the centre line (deg), which hand (forehand /
backhand as +1/-1), the surface pace (seconds a bowl takes to run 27 m), the kitty's length
(m), wind across the lane (m/s) and the bowl's bias rating (1-5). The bowl decelerates with
the surface pace, so the run-out length goes with speed squared times pace; the bias curls it
in late and more on a faster surface, the wind pushes it sideways; plus 4 cm tracker noise.
Standardised inputs and targets. Linear 7→64, 3 residual blocks (LayerNorm-Linear-ReLU-Linear,
64 wide), Linear 64→2, MSE, Adam 2e-3 with OneCycleLR, batch 256, 40 epochs of 4000
deliveries, validation on 1000 (val MSE standardised, val miss error in cm).
Log: JSON lines per epoch ``restpoint.jsonl`` (``epoch`` / ``mse`` / ``val_mse`` /
``val_err_cm`` / ``lr``); checkpoint ``restpoint_resmlp.ckpt`` with keys ``net_weights`` /
``adam`` / ``onecycle`` / ``epochs`` / ``in_mean`` / ``in_std`` / ``out_mean`` / ``out_std``.
Healthy; numbers in the README."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def releases(n, g):
    speed = 2.2 + 0.8 * torch.rand(n, generator=g)
    angle = 2 + 4 * torch.rand(n, generator=g)
    hand = torch.where(torch.rand(n, generator=g) < 0.5, 1.0, -1.0)
    pace = 11 + 5 * torch.rand(n, generator=g)
    kitty = 23 + 8 * torch.rand(n, generator=g)
    wind = 2 * torch.randn(n, generator=g)
    bias = 1 + 4 * torch.rand(n, generator=g)
    run = speed ** 2 * pace / 3.8
    curl = hand * (torch.sin(angle * 3.1416 / 180) * run
                   - (0.25 + 0.05 * bias) * run * (pace / 14) ** 1.5 * 0.15) + 0.08 * wind * run / 25
    along = (run - kitty) * 100 + 4 * torch.randn(n, generator=g)
    side = curl * 100 + 4 * torch.randn(n, generator=g)
    x = torch.stack([speed, angle, hand, pace, kitty, wind, bias], 1)
    return x, torch.stack([along, side], 1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.a, self.b = nn.LayerNorm(d), nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x):
        return x + self.b(F.relu(self.a(self.norm(x))))


class RestPoint(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 2)

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return RestPoint()


def main():
    from _twohundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ttr = releases(4000, g)
    rva, tva = releases(1000, g)
    im, isd, om, osd = rtr.mean(0), rtr.std(0), ttr.mean(0), ttr.std(0)
    print("target std cm", osd.tolist())
    xtr, xva = (rtr - im) / isd, (rva - im) / isd
    ytr, yva = (ttr - om) / osd, (tva - om) / osd
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=256, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=40 * len(loader))
    with open(out / "restpoint.jsonl", "w") as f:
        for epoch in range(40):
            model.train()
            tot, nb = 0.0, 0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item()
                nb += 1
            model.eval()
            with torch.no_grad():
                p = model(xva)
            err = ((p - yva) * osd).norm(dim=1).mean().item()
            rec = {"epoch": epoch, "mse": round(tot / nb, 6),
                   "val_mse": round(F.mse_loss(p, yva).item(), 6), "val_err_cm": round(err, 3),
                   "lr": round(sched.get_last_lr()[0], 7)}
            if epoch % 5 == 0 or epoch == 39:
                print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"net_weights": model.state_dict(), "adam": opt.state_dict(),
                "onecycle": sched.state_dict(), "epochs": 40, "in_mean": im, "in_std": isd,
                "out_mean": om, "out_std": osd}, out / "restpoint_resmlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="restpoint_resmlp.ckpt", log="restpoint.jsonl",
           what="residual MLP predicting a lawn bowl's rest point from release data (healthy)")


if __name__ == "__main__":
    main()
