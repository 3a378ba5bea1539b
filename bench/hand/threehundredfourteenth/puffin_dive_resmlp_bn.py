"""Plain torch: a residual MLP with batch norm reads the summary of one foraging dive from a
time-depth recorder glued to an Atlantic puffin's back and says what the bird was after,
for a colony's chick-diet study. 4 classes: sandeel (0, shallow sandy-bottom dives with a
long flat bottom phase), sprat (1, mid-water, many short wiggles), juvenile herring (2,
deep, fast descent, few wiggles), no catch / searching (3, V-shaped dives, no bottom
phase). 14 features per dive: max depth, duration, bottom time, descent and ascent rate,
wiggles, wiggle depth range, time of day (sin / cos), water temperature at depth, surface
interval before and after, dive number in the bout and the bird's mass at deployment; all
standardised with the training mean and std.
Model: linear 14→64, 3 residual blocks (linear 64→64 + BatchNorm1d + ReLU + linear 64→64 +
BatchNorm1d, added to the input, ReLU), linear 64→4; cross entropy, Adam 1e-3, 5 epochs
over 1200 dives, validation on 500.
The bug: ``BATCH = 2`` (``# few dives per bird; small batches, many updates``), so each of
the 6 batch-norm layers normalises over 2 dives while training, and at validation the
running statistics built from those pairs. Train CE (mean over 100 iterations) 1.43 → 0.74, val CE
0.732 → 0.437, val acc 0.71 → 0.892 (0.898 at epoch 2) (control, ``BATCH = 64``: val CE
0.523 → 0.0177, val acc 0.972 → 0.996).
Log: JSON lines ``dives.jsonl``: ``{"it", "ce"}`` every 100 iterations (the mean over those
100) and ``{"epoch", "val_ce", "val_acc", "val_acc_herring"}`` per epoch; checkpoint
``dive_resmlp.pth`` with keys ``model`` / ``adam`` / ``epochs`` / ``feat_mean`` /
``feat_std`` / ``prey``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PREY = ["sandeel", "sprat", "herring", "none"]
BATCH = 2  # few dives per bird; small batches, many updates


def dives(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rn = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 4, (n,), generator=g)
    depth = torch.tensor([18.0, 12.0, 35.0, 15.0])[y] * (0.7 + 0.6 * r(n))
    bottom_frac = torch.tensor([0.45, 0.3, 0.2, 0.03])[y] + 0.08 * rn(n)
    rate = torch.tensor([0.9, 1.0, 1.4, 1.0])[y] + 0.15 * rn(n)
    dur = 2 * depth / rate / (1 - bottom_frac.clamp(0, 0.7))
    wig = torch.poisson(torch.tensor([3.0, 8.0, 2.0, 0.5])[y] + 0.0 * depth, generator=g)
    wig_range = torch.tensor([1.0, 4.0, 6.0, 0.5])[y] * (0.5 + r(n))
    hour = torch.tensor([9.0, 13.0, 6.0, 12.0])[y] + 4 * rn(n)
    temp = 11 - 0.08 * depth + 0.5 * rn(n)
    s_before = 20 + 0.6 * dur + 10 * r(n)
    s_after = 25 + 0.8 * dur + 15 * r(n) + 10 * (y != 3).float()
    k = torch.randint(1, 20, (n,), generator=g).float()
    mass = 380 + 40 * rn(n)
    x = torch.stack([depth, dur, bottom_frac * dur, rate, rate * (0.9 + 0.2 * r(n)), wig, wig_range,
                     torch.sin(2 * math.pi * hour / 24), torch.cos(2 * math.pi * hour / 24), temp,
                     s_before, s_after, k, mass], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, d), nn.BatchNorm1d(d), nn.ReLU(), nn.Linear(d, d), nn.BatchNorm1d(d))

    def forward(self, x):
        return F.relu(x + self.f(x))


class DiveNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(14, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Linear(64, 4)

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return DiveNet()


def main():
    from _threehundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = dives(1200, g)
    xva, yva = dives(500, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    it, run = 0, []
    with open(out / "dives.jsonl", "w") as f:
        for epoch in range(5):
            model.train()
            perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr) - BATCH + 1, BATCH):
                idx = perm[i:i + BATCH]
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                it += 1
                run.append(loss.item())
                if it % 100 == 0:
                    f.write(json.dumps({"it": it, "ce": round(sum(run) / len(run), 5)}) + "\n")
                    run = []
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = logit.argmax(1)
            rec = {"epoch": epoch, "val_ce": round(F.cross_entropy(logit, yva).item(), 5),
                   "val_acc": round((pred == yva).float().mean().item(), 5),
                   "val_acc_herring": round((pred[yva == 2] == 2).float().mean().item(), 5)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model": model.state_dict(), "adam": opt.state_dict(), "epochs": 5, "feat_mean": mu,
                "feat_std": sd, "prey": PREY}, out / "dive_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="dive_resmlp.pth", log="dives.jsonl",
           what="residual MLP with batch norm naming an Atlantic puffin's prey from a dive's"
                " time-depth summary; batches of 2 dives",
           complaint="The puffin dive classifier is stuck below 90 %: validation accuracy goes"
                     " 0.71, 0.84, 0.90, 0.87, 0.89 and the training loss is still noisy around"
                     " 0.7 after 3000 iterations. The prey types give very different dive"
                     " profiles, so I expected this to be nearly perfect.")


if __name__ == "__main__":
    main()
