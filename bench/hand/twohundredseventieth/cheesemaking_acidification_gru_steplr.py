"""Plain torch: a GRU names what went on in a cheesemaking make from its acidification curve
(pH and milk temperature logged every 10 minutes for the first 6 hours, 36 readings): 0 normal
make, 1 slow starter (a phage hit: pH stalls near 6.3 after 2 h), 2 over-acid (a hot starter,
pH below 5.0 by hour 4), 3 cold make (temperature sags 3-4 °C and the drop is late). Readings
carry probe noise and a per-make milk pH offset; standardised per channel with the training
mean/std. GRU(2→32), last hidden state → Linear 32→4, cross-entropy, Adam 3e-3, batch 32, 12
epochs of 1600 makes, validation on 400 makes (val CE, val acc, lr) each epoch.
The bug: ``sched = StepLR(opt, step_size=3, gamma=0.5)  # halve the lr every 3 epochs`` but
``sched.step()`` sits in the batch loop (50 batches an epoch), so the lr is halved every 3
batches: 3e-3 → 4.6e-8 by the end of epoch 1 and 1.9e-63 at epoch 12. Result: train CE 1.215 →
1.196 (1.196 from epoch 2 on), val CE 1.188 and val acc 0.71 from epoch 1 to 12 (frozen).
Control (``step_size=3 * len(loader)``, the same halving every 3 epochs): train CE 0.727 →
0.018, val CE 0.290 → 0.0088, val acc 0.928 → 0.998 (1.0 at epochs 4, 5, 9).
Log: CSV per epoch ``makes.csv`` (``epoch`` / ``train_ce`` / ``val_ce`` / ``val_acc`` / ``lr``);
checkpoint ``make_gru.pt`` with keys ``model`` / ``optimizer`` / ``scheduler`` / ``epoch`` /
``outcomes`` / ``mean`` / ``std``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset

STEPS = 36
OUTCOMES = ["normal", "slow_starter", "over_acid", "cold_make"]


def makes(n, g):
    kind = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(STEPS).float() / 6  # hours
    start = 6.6 + 0.05 * torch.randn(n, 1, generator=g)
    rate = torch.tensor([0.28, 0.28, 0.42, 0.18])[kind][:, None] * (1 + 0.08 * torch.randn(n, 1, generator=g))
    drop = rate * t ** 1.3
    slow = kind[:, None] == 1
    drop = torch.where(slow & (t > 2), rate * 2 ** 1.3 + 0.03 * (t - 2), drop)
    ph = start - drop + 0.03 * torch.randn(n, STEPS, generator=g)
    temp = 32 + 0.4 * torch.randn(n, 1, generator=g) - (kind[:, None] == 3) * (3.5 * torch.sigmoid(3 * (t - 1)))
    temp = temp + 0.2 * torch.randn(n, STEPS, generator=g)
    return torch.stack([ph, temp], -1), kind


class MakeGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True)
        self.out = nn.Linear(32, 4)

    def forward(self, x):
        _, h = self.gru(x)
        return self.out(h[-1])


def build():
    torch.manual_seed(0)
    return MakeGRU()


def main():
    from _twohundredseventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = makes(1600, g)
    rva, yva = makes(400, g)
    mean, std = rtr.mean((0, 1)), rtr.std((0, 1))
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = StepLR(opt, step_size=3, gamma=0.5)  # halve the lr every 3 epochs
    with open(out / "makes.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_ce", "val_ce", "val_acc", "lr"])
        for epoch in range(1, 13):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            row = [epoch, round(tot / len(xtr), 5), round(F.cross_entropy(logits, yva).item(), 5),
                   round((logits.argmax(1) == yva).float().mean().item(), 5),
                   f"{opt.param_groups[0]['lr']:.3e}"]
            print(row)
            w.writerow(row)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 12, "outcomes": OUTCOMES,
                "mean": mean, "std": std}, out / "make_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_decay_too_fast"],
           checkpoint="make_gru.pt", log="makes.csv",
           what="cheesemaking make-outcome GRU whose per-epoch StepLR is stepped every batch",
           complaint=("Our make-outcome classifier (a small GRU on the pH and temperature log of"
                      " each make) learns for a few batches and then just stops: train and val"
                      " cross-entropy sit at 1.19-1.20 from epoch 1 to 12 and val accuracy is stuck"
                      " at exactly 0.71, with 4 outcomes. The curves of a phage-hit make or an over-acid make"
                      " are obvious to anyone in the make room. Is the GRU too small, or are the"
                      " readings too noisy?"))


if __name__ == "__main__":
    main()
