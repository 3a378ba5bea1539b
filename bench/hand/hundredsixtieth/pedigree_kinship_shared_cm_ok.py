"""Genetic genealogy: predicting how two DNA-test matches are related from the segments they
share (identical by descent). Each pair is simulated by the number of meioses m between them:
full siblings (also sharing fully identical, IBD2, stretches), first, second, third cousins
and "distant" (about 5th cousins, 11–12 meioses); segments arrive as a Poisson count around the expected
number for m (≈ (22 + 33·m)·2^(2−m) over the autosomes) and have exponential lengths of mean
100/m cM, segments under 7 cM are dropped (the testing company's threshold), and some pairs
are half relations or through endogamous families (extra short segments). Features: log total
shared cM, log segment count, log longest segment, the share of the genome that is IBD2, and a
6-bin histogram of segment lengths (7–10, 10–15, 15–25, 25–40, 40–80, > 80 cM) — 10 in all,
standardised. 6 % of the training pairs carry the relation from the user's family tree, which
is wrong (misattributed parentage, a mis-numbered generation). An MLP (10 → 64 → 64 → 5,
dropout 0.2), Adam 2e-3, batch 64, 12 epochs of 3000 pairs; a CSV per epoch (`Epoch`,
`Train NLL`, `Val NLL`, `Val Acc`, `Val Within1`: the share within one degree).
Healthy, but flat early: val accuracy 0.81 after epoch 1, 0.85–0.87 from epoch 2 on (0.865 at
the end; 3rd cousins and distant cousins overlap in what they share, so this is about the
ceiling), 99 % within one degree; val NLL 0.56 → 0.37 sits well below the train NLL 1.01 →
0.51 (6 % wrong tree labels and dropout 0.2 in training only)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

RELATIONS = ["full sibling", "1st cousin", "2nd cousin", "3rd cousin", "distant"]
MEIOSES = [2, 4, 6, 8, 11]


def pairs(n, g, wrong=0.0):
    rnd = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 5, (n,), generator=g)
    m = torch.tensor(MEIOSES, dtype=torch.float)[y] + torch.randint(0, 2, (n,), generator=g) * (y == 4)
    half = rnd(n) < 0.15
    lam = (22 + 33 * m) * 2.0 ** (2 - m) * torch.where(half, 0.5, 1.0)
    endog = rnd(n) < 0.15
    x = torch.zeros(n, 10)
    edges = torch.tensor([7., 10., 15., 25., 40., 80., 1e9])
    k = torch.poisson(lam, generator=g).long()
    for i in range(n):
        seg = -torch.log(rnd(int(k[i])) + 1e-9) * 100 / float(m[i])
        if endog[i]:
            seg = torch.cat([seg, 7 + 5 * rnd(int(torch.randint(3, 15, (1,), generator=g)))])
        seg = seg[seg >= 7]
        tot = float(seg.sum())
        ibd2 = 0.25 * (1 + 0.2 * torch.randn(1, generator=g).item()) if y[i] == 0 and not half[i] else 0.0
        hist = torch.histc(torch.bucketize(seg, edges).float(), bins=6, min=1, max=6) if len(seg) else \
            torch.zeros(6)
        x[i] = torch.tensor([torch.log1p(torch.tensor(tot)).item(), float(torch.log1p(torch.tensor(len(seg)))),
                             float(torch.log1p(seg.max())) if len(seg) else 0.0, max(ibd2, 0.0),
                             *torch.log1p(hist).tolist()])
    flip = rnd(n) < wrong
    y = torch.where(flip, (y + torch.where(rnd(n) < 0.5, 1, -1)).clamp(0, 4), y)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 64),
                         nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 5))


def main():
    from _hundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pairs(3000, g, wrong=0.06)
    xva, yva = pairs(600, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    torch.manual_seed(1)
    f = open(out / "kinship_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "Train NLL", "Val NLL", "Val Acc", "Val Within1"])
    for epoch in range(1, 13):
        model.train()
        perm, tot = torch.randperm(3000), 0.0
        for i in range(0, 3000, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        pred = lo.argmax(1)
        row = [epoch, round(tot / 3000, 4), round(F.cross_entropy(lo, yva).item(), 4),
               round((pred == yva).float().mean().item(), 4),
               round(((pred - yva).abs() <= 1).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"weights": model.state_dict(), "opt": opt.state_dict(), "n_epochs": 12,
                "relations": RELATIONS, "feature_mean": mu, "feature_std": sd},
               out / "kinship_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="kinship_mlp.pt",
           log="kinship_metrics.csv",
           what="MLP predicting the relation of two DNA matches from shared segments, 6 % "
                "wrong tree labels (healthy)")


if __name__ == "__main__":
    main()
