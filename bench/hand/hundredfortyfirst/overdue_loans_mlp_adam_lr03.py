"""Will this loan come back late? A university library's circulation export: one row per loan
with borrower category (undergraduate, postgraduate, staff, public, inter-library) and item
type (book, short loan, DVD, laptop, journal volume) as embeddings (4 dims each) plus 6
standardised numbers — loan period in days, the borrower's past overdue count, renewals so
far, week of term, distance from campus (km) and items on loan. The overdue log-odds rise with
past overdues, items on loan and distance, fall with renewals, jump for short loans and laptops
and for the weeks before exams, and are lower for staff; 8000 training loans, about 20 % of them late. MLP
14 → 64 → 64 → 1 with ReLU and dropout 0.1, BCE-with-logits. Adam, batch 128, 12 epochs;
a CSV per epoch (ep, trn_bce, val_bce, val_auc, val_acc).
Bug: ``torch.optim.Adam(model.parameters(), lr=0.3)`` — the author wrote the lr of the
notebook's SGD cell above it. Train BCE 0.884 in epoch 1, then 0.512–0.516 for 11 epochs (the
base-rate entropy of 20 % late), val BCE 0.505–0.518 wobbling, val AUC 0.497 in every epoch
and val accuracy 0.797 = "never late" for every loan; the control (Adam 1e-3) reaches val AUC
0.738 after epoch 1 and 0.765 at epoch 12, val BCE 0.430, train BCE 0.431."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

BORROWERS = ["undergraduate", "postgraduate", "staff", "public", "inter-library"]
ITEMS = ["book", "short loan", "DVD", "laptop", "journal volume"]


def loans(n, g):
    b = torch.multinomial(torch.tensor([0.5, 0.2, 0.12, 0.13, 0.05]), n, True, generator=g)
    it = torch.multinomial(torch.tensor([0.6, 0.15, 0.08, 0.07, 0.1]), n, True, generator=g)
    period = torch.tensor([28., 4., 7., 2., 14.])[it] * (1 + 0.1 * torch.randn(n, generator=g))
    past = torch.poisson(torch.full((n,), 0.8), generator=g)
    renew = torch.randint(0, 4, (n,), generator=g).float()
    week = torch.randint(1, 13, (n,), generator=g).float()
    dist = torch.rand(n, generator=g).pow(2) * 40
    onloan = torch.poisson(torch.full((n,), 3.0), generator=g)
    logit = (-2.9 + 0.6 * past + 0.12 * onloan + 0.03 * dist - 0.4 * renew
             + torch.tensor([0., 1.3, 0.5, 1.5, 0.])[it] + 1.2 * (week >= 10).float()
             + torch.tensor([0., -0.2, -1.0, 0.3, 0.2])[b])
    y = (torch.rand(n, generator=g) < torch.sigmoid(logit)).float()
    num = torch.stack([period, past, renew, week, dist, onloan], 1)
    return b, it, num, y


class LoanMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.borrower = nn.Embedding(5, 4)
        self.item = nn.Embedding(5, 4)
        self.mlp = nn.Sequential(nn.Linear(14, 64), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 1))

    def forward(self, num, b, it):
        return self.mlp(torch.cat([self.borrower(b), self.item(it), num], 1)).squeeze(1)


def build():
    torch.manual_seed(0)
    return LoanMLP()


def auc(score, y):
    order = score.argsort()
    ranks = torch.empty_like(score)
    ranks[order] = torch.arange(1, len(score) + 1).float()
    npos = y.sum()
    return ((ranks[y == 1].sum() - npos * (npos + 1) / 2) / (npos * (len(y) - npos))).item()


def main():
    from _hundredfortyfirst import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    b, it, num, y = loans(10000, g)
    mu, sd = num[:8000].mean(0), num[:8000].std(0)
    num = (num - mu) / sd
    va = slice(8000, 10000)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.3)
    f = open(out / "overdue_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "trn_bce", "val_bce", "val_auc", "val_acc"])
    for ep in range(1, 13):
        model.train()
        perm = torch.randperm(8000)
        tot = 0.0
        for i in range(0, 8000, 128):
            idx = perm[i:i + 128]
            loss = F.binary_cross_entropy_with_logits(model(num[idx], b[idx], it[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            s = model(num[va], b[va], it[va])
            row = [ep, round(tot / 8000, 4),
                   round(F.binary_cross_entropy_with_logits(s, y[va]).item(), 4),
                   round(auc(s, y[va]), 4), round(((s > 0).float() == y[va]).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"mdl": model.state_dict(), "optim": opt.state_dict(), "ep": 12,
                "num_mean": mu, "num_std": sd, "borrowers": BORROWERS, "items": ITEMS},
               out / "overdue_mlp.pt")
    finish(out, __file__, {"inputs": num[va][:64], "borrower": b[va][:64], "item": it[va][:64],
                           "targets": y[va][:64]},
           causes=["lr_too_high"], checkpoint="overdue_mlp.pt", log="overdue_metrics.csv",
           what="overdue-loan MLP with embeddings, Adam at lr 0.3",
           complaint=COMPLAINT)


COMPLAINT = ("Our overdue-loan model isn't learning anything. After the first epoch (train loss "
             "0.88) the loss stays at about 0.51 for all 12 epochs, validation AUC is 0.497 every "
             "single epoch and accuracy is exactly 0.797, which is just the share of loans that "
             "come back on time. The features (past overdues, laptops, exam weeks) obviously "
             "matter when I look at the data.")

if __name__ == "__main__":
    main()
