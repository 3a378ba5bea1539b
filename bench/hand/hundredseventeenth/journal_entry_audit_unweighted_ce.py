"""Audit analytics: flag general-ledger journal entries for the external auditor's
journal-entry testing (ISA 240 "unusual entries") with a small MLP, on a synthetic ledger of
8000 entries from one fiscal year: 40 posting users (embedding 4), 25 debit/credit account
pairs (embedding 4), log10 amount, a round-amount flag (multiple of 1000), manual vs system
posting, hour of posting, weekend flag, days to period end, a reversal-within-5-days flag and
the length of the description. About 3 % of the entries are the ones the audit team flagged
after review (manual, near period end, after hours, round amounts to unusual account pairs by a
handful of users, each signal noisy); the rest are ordinary. MLP 8 + 9 → 64 → 32 → 2,
``nn.CrossEntropyLoss()``, Adam 1e-3, batch 256, 8 epochs of 6400 entries; a CSV per epoch with
loss, val_loss, val_accuracy, val_recall_flagged, val_precision_flagged.
Bug: the flagged class is 3 % of the entries and the loss is plain, unweighted cross-entropy
(no class weights, no resampling), with accuracy as the metric the author watches: the model
learns to call every entry ordinary."""
import csv

import torch
import torch.nn as nn

N_USER, N_PAIR = 40, 25


def ledger(n, g):
    flag = torch.rand(n, generator=g) < 0.03
    f = flag.float()
    risky_users = torch.tensor([3, 17, 29])
    user = torch.where(flag & (torch.rand(n, generator=g) < 0.5),
                       risky_users[torch.randint(0, 3, (n,), generator=g)],
                       torch.randint(0, N_USER, (n,), generator=g))
    pair = torch.where(flag & (torch.rand(n, generator=g) < 0.4),
                       torch.randint(20, N_PAIR, (n,), generator=g),
                       torch.randint(0, N_PAIR, (n,), generator=g))
    amount = 2.5 + 0.8 * torch.randn(n, generator=g) + 0.5 * f
    rnd = (torch.rand(n, generator=g) < 0.08 + 0.35 * f).float()
    manual = (torch.rand(n, generator=g) < 0.25 + 0.5 * f).float()
    hour = (13 + 3 * torch.randn(n, generator=g) + 4 * f * torch.rand(n, generator=g)) % 24
    weekend = (torch.rand(n, generator=g) < 0.04 + 0.2 * f).float()
    to_end = (torch.rand(n, generator=g) * 30 * (1 - 0.6 * f)).round()
    reversal = (torch.rand(n, generator=g) < 0.02 + 0.15 * f).float()
    desc = (30 + 12 * torch.randn(n, generator=g) - 10 * f).clamp(0, 80)
    x = torch.stack([amount - 2.5, rnd, manual, (hour - 13) / 4, weekend, to_end / 15 - 1,
                     reversal, desc / 30 - 1, (hour > 19).float()], 1)
    return user, pair, x, flag.long()


class JournalNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.user = nn.Embedding(N_USER, 4)
        self.pair = nn.Embedding(N_PAIR, 4)
        self.mlp = nn.Sequential(nn.Linear(17, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                                 nn.Linear(32, 2))

    def forward(self, user, pair, x):
        return self.mlp(torch.cat([self.user(user), self.pair(pair), x], 1))


def build():
    torch.manual_seed(0)
    return JournalNet()


def main():
    from _hundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    user, pair, x, y = ledger(8000, g)
    tr, va = torch.arange(6400), torch.arange(6400, 8000)
    model = build()
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "je_testing.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "val_loss", "val_accuracy", "val_recall_flagged",
                "val_precision_flagged"])
    for epoch in range(1, 9):
        model.train()
        perm = tr[torch.randperm(len(tr), generator=g)]
        tot = 0.0
        for i in range(0, len(perm), 256):
            idx = perm[i:i + 256]
            loss = criterion(model(user[idx], pair[idx], x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(user[va], pair[va], x[va])
            pred = lo.argmax(1)
            tp = ((pred == 1) & (y[va] == 1)).sum().item()
            row = [epoch, round(tot / len(tr), 5), round(criterion(lo, y[va]).item(), 5),
                   round((pred == y[va]).float().mean().item(), 4),
                   round(tp / max((y[va] == 1).sum().item(), 1), 4),
                   round(tp / max((pred == 1).sum().item(), 1), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 8, "n_users": N_USER, "n_account_pairs": N_PAIR},
               out / "je_model_epoch8.pt")
    bi = va[:256]
    finish(out, __file__, {"inputs": user[bi], "pair": pair[bi], "x": x[bi], "targets": y[bi]},
           causes=["class_imbalance"], checkpoint="je_model_epoch8.pt", log="je_testing.csv",
           what="journal-entry flagging MLP, 3 % flagged class, plain unweighted cross-entropy",
           complaint="The journal-entry testing model looks great on paper, validation accuracy 0.976 "
                     "after 8 epochs and the loss keeps going down (0.095 train, 0.077 val), but it "
                     "has not flagged one single entry: recall on the flagged class is 0.0 in every "
                     "epoch and precision is 0. The auditors found 38 risky entries in that "
                     "validation slice by hand.")


if __name__ == "__main__":
    main()
