"""Life insurer: will a deferred-annuity policy lapse (be surrendered) in the next year? 14
policy features (age, years in force, surrender charge left, guaranteed rate minus market rate,
premium mode, rider flags, distribution channel one-hot, last-year partial withdrawals, ...),
synthetic; the lapse rate is 18 % and rises with the rate gap, falls with the surrender charge.
An MLP 14-64-32-1, BCE-with-logits, SGD lr 0.02 momentum 0.9, batch 50, 12 epochs of 6000
policies; a CSV per epoch: "Epoch", "Train BCE", "Valid BCE", "Valid Acc", "Valid AUC".
Bug: in a refactor that moved the batch loop into ``run_epoch``, ``optimizer.zero_grad()`` was
left at the top of the epoch loop, so it runs once per epoch and the gradients of all 120
batches of an epoch add up. Train BCE 2.68, 7.96, 22.7, 40.5, 62.1, 17.0, 6.75, ... 22.3 in epoch
11; valid BCE 2.0–77, valid accuracy flipping between 0.786 (all "no lapse") and 0.214 (all
"lapse"); valid AUC 0.0 from epoch 2 (every score saturated to one value: ties count as 0 in
this AUC). The control (``zero_grad()`` per batch) reaches train BCE 0.369, valid BCE 0.379,
valid accuracy 0.835, valid AUC 0.843 (near the Bayes rate of the synthetic lapses)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def policies(n, g):
    r = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    age = 55 + 8 * r(n)
    inforce = (6 + 4 * r(n)).clamp(0)
    charge = (7 - inforce).clamp(0) / 7
    gap = 0.5 + 1.2 * r(n)
    mode = (torch.rand(n, generator=g) < 0.4).float()
    riders = (torch.rand(n, 3, generator=g) < 0.3).float()
    chan = F.one_hot(torch.randint(0, 4, (n,), generator=g), 4).float()
    withdraw = (torch.rand(n, generator=g) < 0.15).float()
    z = -2.2 + 1.3 * gap - 2.0 * charge + 1.2 * withdraw + 0.5 * chan[:, 2] - 0.02 * (age - 55) \
        - 0.4 * riders[:, 0]
    y = (torch.rand(n, generator=g) < torch.sigmoid(z)).float()
    x = torch.cat([((age - 55) / 8)[:, None], ((inforce - 6) / 4)[:, None], charge[:, None],
                   gap[:, None], mode[:, None], riders, chan, withdraw[:, None],
                   r(n, 1)], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(14, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 1))


def auc(s, y):
    pos, neg = s[y == 1], s[y == 0]
    return ((pos[:, None] > neg[None]).float().mean()).item()


def run_epoch(model, opt, x, y, g):
    perm = torch.randperm(len(x), generator=g)
    tot = 0.0
    for i in range(0, len(x), 50):
        idx = perm[i:i + 50]
        loss = F.binary_cross_entropy_with_logits(model(x[idx]).squeeze(1), y[idx])
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    return tot / len(x)


def main():
    from _hundredthirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = policies(8000, g)
    xtr, ytr, xva, yva = x[:6000], y[:6000], x[6000:], y[6000:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    f = open(out / "lapse_metrics.csv", "w", newline="")
    w = csv.DictWriter(f, ["Epoch", "Train BCE", "Valid BCE", "Valid Acc", "Valid AUC"])
    w.writeheader()
    for epoch in range(12):
        model.train()
        opt.zero_grad()
        tr = run_epoch(model, opt, xtr, ytr, g)
        model.eval()
        with torch.no_grad():
            s = model(xva).squeeze(1)
            row = {"Epoch": epoch, "Train BCE": round(tr, 4),
                   "Valid BCE": round(F.binary_cross_entropy_with_logits(s, yva).item(), 4),
                   "Valid Acc": round(((s > 0).float() == yva).float().mean().item(), 4),
                   "Valid AUC": round(auc(s, yva), 4)}
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 12,
                "features": 14}, out / "lapse_mlp_ep12.pt")
    finish(out, __file__, (xva[:50], yva[:50]), causes=["missing_zero_grad"],
           checkpoint="lapse_mlp_ep12.pt", log="lapse_metrics.csv",
           what="annuity-lapse MLP, optimizer.zero_grad() once per epoch after a refactor",
           complaint="Our lapse model for deferred annuities gets worse while it trains. Train BCE "
                     "starts at 2.7 and climbs to 62 by epoch 4, drops back to 6.8, climbs again; "
                     "validation BCE swings between 2 and 77 and the validation accuracy flips between "
                     "0.786 and 0.214 from one epoch to the next, i.e. it predicts everyone or no one. "
                     "AUC is 0.0. It used to work before I cleaned up the training code.")


if __name__ == "__main__":
    main()
