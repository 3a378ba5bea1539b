"""Plain torch: a residual MLP predicts how many cubic yards of road metal a parish
stone-breaker will break in a day at the roadside heap, so the surveyor can price a mile of
turnpike repair before letting the work. 8 inputs: the stone's hardness (limestone 3 to
granite / whinstone 7, Mohs-like), the gauge ring the pieces must pass (1.5-2.5 in), the
hammer's weight (1-4 lb), hours at the heap (6-11), the breaker's age (16-70), years at
the work (0-30), rain (0-12 mm) and whether the stone was tipped already knapped into
fist-sized lumps (0/1). Yardage = hours × a rate that falls with hardness (∝ hardness^-1.3),
rises with the gauge (∝ gauge^1.6), peaks at a 2.5 lb hammer, peaks at age ~35, grows with
experience and saturates, drops 4 % per mm of rain and is ×1.35 on knapped stone; 6 %
multiplicative noise (a day's tally).
Input: (8,) standardised with the train mean / std. Target: (yards - 1.0) / 0.5 as
(N, 1). Model: Linear 8→64, 3 residual blocks (LayerNorm → Linear 64→64 → ReLU →
Linear 64→64, added back), LayerNorm, Linear 64→1; MSE, SGD 0.02 (momentum 0.9, Nesterov)
with ExponentialLR(0.92) per epoch, batch 128, 30 epochs, 3000 days, validation on 600.
Healthy; numbers in the README.
Log: one JSON lines file per epoch ``breaker_epochs.jsonl`` (``epoch`` / ``lr`` /
``loss_train`` / ``loss_val`` / ``mae_yards``); checkpoint ``breaker_resmlp.pth`` with keys
``weights`` / ``sgd_state`` / ``sched`` / ``epoch`` / ``feat_mu`` / ``feat_sd`` /
``yard_shift_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hard = 3 + 4 * r(n)
    gauge = 1.5 + r(n)
    hammer = 1 + 3 * r(n)
    hours = 6 + 5 * r(n)
    age = 16 + 54 * r(n)
    exper = 30 * r(n) * ((age - 16) / 54).clamp(0.05, 1)
    rain = 12 * r(n) ** 2
    knapped = (r(n) < 0.3).float()
    rate = (0.16 * (hard / 5) ** -1.3 * (gauge / 2) ** 1.6 * torch.exp(-((hammer - 2.5) / 1.8) ** 2)
            * torch.exp(-((age - 35) / 30) ** 2) * (0.7 + 0.3 * (1 - torch.exp(-exper / 6)))
            * (1 - 0.04 * rain) * (1 + 0.35 * knapped))
    yards = hours * rate * (1 + 0.06 * torch.randn(n, generator=g))
    x = torch.stack([hard, gauge, hammer, hours, age, exper, rain, knapped], 1)
    return x, yards


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x):
        return x + self.fc2(F.relu(self.fc1(self.norm(x))))


class BreakerNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return BreakerNet()


def main():
    from _threehundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, ytr_raw = days(3000, g)
    fva, yva_raw = days(600, g)
    mu, sd = ftr.mean(0), ftr.std(0)
    xtr, xva = (ftr - mu) / sd, (fva - mu) / sd
    ytr, yva = ((ytr_raw - 1.0) / 0.5).unsqueeze(1), ((yva_raw - 1.0) / 0.5).unsqueeze(1)
    print("yards", ytr_raw.min().item(), ytr_raw.max().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.92)
    with open(out / "breaker_epochs.jsonl", "w") as log:
        for epoch in range(30):
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
            rec = {"epoch": epoch, "lr": round(lr, 6), "loss_train": round(tot / len(xtr), 6),
                   "loss_val": round(F.mse_loss(p, yva).item(), 6),
                   "mae_yards": round(((p - yva).abs().mean() * 0.5).item(), 5)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 30, "feat_mu": mu, "feat_sd": sd,
                "yard_shift_scale": (1.0, 0.5)}, out / "breaker_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="breaker_resmlp.pth", log="breaker_epochs.jsonl",
           what="residual MLP predicting a stone-breaker's daily yardage of road metal from"
                " stone, gauge, hammer, hours and the man (healthy)")


if __name__ == "__main__":
    main()
