"""Plain torch: a residual MLP predicts how many minutes a Chiltern chair bodger will spend
turning one chair leg on his pole lathe, so the woodland camp can price a set of legs for
the Wycombe chair makers. 8 inputs: billet diameter (mm, 38-62), leg length (mm, 380-470),
largest finished diameter (mm, 28-38), wood hardness (Janka kN: beech 6.4, ash 5.9, cherry
4.2, elm 3.7), moisture content (%, 22-80: green wood cuts easily), beads and coves in the
pattern (0-6), hours since the gouge and skew were last honed (0-4), and whether the billet
was cleft on the grain or sawn (cross grain tears out). Time = 1.5 min setting up + wood
volume removed / removal rate (falling with hardness and dullness, rising with moisture, one
stroke in two cutting) + 0.8 min a bead, + 15 % for sawn billets, times 5 % log-normal noise
(4-50 min, mean 16).
Input: (8,) standardised with the train mean / std. Target: (minutes - 16) / 7. Model:
Linear 8→96, 3 residual blocks x + Linear(ReLU(Linear(x))) (96→96→96), ReLU, Linear 96→1;
MSE, SGD 0.02 (Nesterov momentum 0.9) with MultiStepLR (×0.2 at epochs 40 and 55), batch
128, 60 epochs, 3072 legs, validation on 768.
Healthy; numbers in the README.
Log: JSON lines per epoch ``leg_time.jsonl`` (``ep`` / ``lr`` / ``loss`` / ``val_loss`` /
``val_mae_min``); checkpoint ``leg_timer.pth`` with keys ``weights`` / ``opt_state`` /
``sched_state`` / ``ep`` / ``feat_mu`` / ``feat_sigma`` / ``minutes_mean`` /
``minutes_scale``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def legs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    billet = 38 + 24 * r(n)
    length = 380 + 90 * r(n)
    fin = 28 + 10 * r(n)
    fin = torch.minimum(fin, billet - 6)
    hard = torch.tensor([6.4, 5.9, 4.2, 3.7])[torch.randint(0, 4, (n,), generator=g)]
    mc = 22 + 58 * r(n)
    beads = torch.randint(0, 7, (n,), generator=g).float()
    dull = 4 * r(n)
    sawn = (r(n) < 0.3).float()
    removed = math.pi / 4 * (billet ** 2 - 0.8 * fin ** 2) * length / 1000  # cm³
    rate = 250 * (1 + 0.012 * (mc - 22)) / hard * torch.exp(-0.15 * dull)  # cm³ a minute
    minutes = (1.5 + removed / rate + 0.8 * beads) * (1 + 0.15 * sawn)
    minutes = minutes * torch.exp(0.05 * torch.randn(n, generator=g))
    x = torch.stack([billet, length, fin, hard, mc, beads, dull, sawn], 1)
    return x, minutes


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, x):
        return x + self.fc2(F.relu(self.fc1(x)))


class LegTimer(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 96)
        self.blocks = nn.Sequential(*[Block(96) for _ in range(3)])
        self.out = nn.Linear(96, 1)

    def forward(self, x):
        return self.out(F.relu(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return LegTimer()


def main():
    from _threehundredfiftysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, mtr = legs(3072, g)
    rva, mva = legs(768, g)
    mu, sigma = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sigma, (rva - mu) / sigma
    ytr, yva = ((mtr - 16) / 7).unsqueeze(1), ((mva - 16) / 7).unsqueeze(1)
    print("minutes", mtr.min().item(), mtr.max().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[40, 55], gamma=0.2)
    with open(out / "leg_time.jsonl", "w") as log:
        for ep in range(60):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            rec = {"ep": ep, "lr": lr, "loss": round(tot / len(xtr), 6),
                   "val_loss": round(F.mse_loss(p, yva).item(), 6),
                   "val_mae_min": round(7 * (p - yva).abs().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            if ep % 10 == 0 or ep == 59:
                print(rec)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "ep": 60, "feat_mu": mu, "feat_sigma": sigma,
                "minutes_mean": 16.0, "minutes_scale": 7.0}, out / "leg_timer.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="leg_timer.pth", log="leg_time.jsonl",
           what="residual MLP predicting a bodger's pole-lathe turning time for a chair leg"
                " (healthy)")


if __name__ == "__main__":
    main()
