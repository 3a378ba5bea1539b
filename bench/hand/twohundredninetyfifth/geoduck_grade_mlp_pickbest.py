"""Plain torch: a binary MLP tells a geoduck farm's packing shed which clams will grade "A"
for the live export market (a pale, full siphon that fills the shell gape), so the dive
crew can harvest a plot's A-grade share first. Twelve numbers per clam from the harvest
sheet: siphon lightness (colorimeter L*/100), shell length (mm), whole weight (g), siphon to
shell length ratio, sand share of the sediment (%), depth (m below chart datum), age (years
since the seed went into the tubes), plus five columns that carry no signal (diver number,
tide height at the dig, bag number, sheet page, minutes since the boat left). Grade A: pale
(L* > 62) and full (ratio > 1.35), or a clam of 6-8 years in clean sand (> 70 %) that is
pale; the grader calls 12 % of the clams the other way.
Training: a search over 16 settings (width 32 / 96, lr 3e-3 / 1e-2, dropout 0 / 0.3, two
seeds), each an MLP 12→W-ReLU-W-ReLU→1 with BCE-with-logits, Adam, batch 32, 18 epochs on
360 clams; after every epoch of every setting the validation accuracy is read and the best
(setting, epoch) is kept. 600 clams from the next season's harvest are the test.
Bug: ``N_VAL = 16`` (``# the tagged clams the dive team re-dug for the quality check``):
288 (setting, epoch) pairs are ranked on 16 clams, so the winner's validation accuracy is the
luck of sixteen clams (12 of the 288 pairs get 15 of them right). Kept: setting 0, epoch 5,
val acc 0.9375 on 16, test acc 0.767. Control (``N_VAL = 400``, one-line sed): setting 6
(width 32, lr 1e-2, dropout 0.3), epoch 15, val acc 0.810, test acc 0.815.
Log: CSV per (setting, epoch) ``search.csv`` (``setting`` / ``epoch`` / ``width`` / ``lr`` /
``dropout`` / ``seed`` / ``train_loss`` / ``train_acc`` / ``val_acc``) plus ``picked.json``
(the winner with its val and test accuracy); checkpoint ``geoduck_grade.pt`` with keys
``model`` / ``setting`` / ``epoch`` / ``val_acc`` / ``x_mean`` / ``x_std``. Batch: 64 test
clams (standardised, as the model takes them) with 0/1 float labels."""
import csv
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N_VAL = 16  # the tagged clams the dive team re-dug for the quality check
SETTINGS = [(w, lr, d, s) for w in (32, 96) for lr in (3e-3, 1e-2) for d in (0.0, 0.3)
            for s in (0, 1)]


def clams(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    age = 4 + 6 * r(n)
    length = 90 + 60 * (1 - torch.exp(-age / 4)) + 10 * torch.randn(n, generator=g)
    ratio = 1.0 + 0.7 * r(n)
    weight = 0.00045 * length ** 3 * (0.7 + 0.3 * ratio) / 1.6
    light = 0.45 + 0.35 * r(n)
    sand = 30 + 65 * r(n)
    depth = 3 + 15 * r(n)
    pale = light > 0.62
    y = (pale & (ratio > 1.35)) | (pale & (sand > 70) & (age > 6) & (age < 8))
    y = y ^ (r(n) < 0.12)
    junk = torch.stack([torch.randint(1, 9, (n,), generator=g).float(), 4 * r(n),
                        torch.randint(1, 60, (n,), generator=g).float(),
                        torch.randint(1, 30, (n,), generator=g).float(), 30 + 300 * r(n)], 1)
    x = torch.cat([torch.stack([light, length, weight, ratio, sand, depth, age], 1), junk], 1)
    return x, y.float()


def build(width=32, dropout=0.0):
    return nn.Sequential(nn.Linear(12, width), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(width, width), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(width, 1))


def main():
    from _twohundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clams(360, g)
    xva, yva = clams(N_VAL, g)
    xte, yte = clams(600, torch.Generator().manual_seed(7))
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva, xte = (xtr - mu) / sd, (xva - mu) / sd, (xte - mu) / sd
    print("A share", ytr.mean().item(), yva.mean().item(), yte.mean().item())
    rows, best = [], None
    for k, (width, lr, drop, seed) in enumerate(SETTINGS):
        torch.manual_seed(seed)
        model = build(width, drop)
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
        for epoch in range(18):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb).squeeze(1), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                tr_acc = ((model(xtr).squeeze(1) > 0).float() == ytr).float().mean().item()
                va_acc = ((model(xva).squeeze(1) > 0).float() == yva).float().mean().item()
            rows.append([k, epoch, width, lr, drop, seed, round(tot / len(xtr), 5),
                         round(tr_acc, 4), round(va_acc, 4)])
            if best is None or va_acc > best[0]:
                best = (va_acc, k, epoch, {n: p.clone() for n, p in model.state_dict().items()})
    with open(out / "search.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["setting", "epoch", "width", "lr", "dropout", "seed", "train_loss",
                    "train_acc", "val_acc"])
        w.writerows(rows)
    va_acc, k, epoch, state = best
    model = build(SETTINGS[k][0], SETTINGS[k][2])
    model.load_state_dict(state)
    model.eval()
    with torch.no_grad():
        te_acc = ((model(xte).squeeze(1) > 0).float() == yte).float().mean().item()
    pick = {"setting": k, "epoch": epoch, "width": SETTINGS[k][0], "lr": SETTINGS[k][1],
            "dropout": SETTINGS[k][2], "seed": SETTINGS[k][3], "val_acc": round(va_acc, 4),
            "n_val": N_VAL, "test_acc": round(te_acc, 4)}
    (out / "picked.json").write_text(json.dumps(pick, indent=1))
    print(pick)
    torch.save({"model": state, "setting": k, "epoch": epoch, "val_acc": va_acc,
                "x_mean": mu, "x_std": sd}, out / "geoduck_grade.pt")
    finish(out, __file__, (xte[:64], yte[:64]), causes=["validation_overfit"],
           checkpoint="geoduck_grade.pt", log="search.csv",
           what="binary MLP grading geoducks for live export; 288 (setting, epoch) pairs picked"
                " on a 16-clam validation set",
           complaint="Our grading model scored 94 % on the validation clams, so we used it for"
                     " the spring harvest, and in the shed it is right only about 77 % of the"
                     " time: the packers keep finding dark and thin siphons in the A bags. How"
                     " can a model that was perfect on validation do this badly on the next"
                     " harvest?")


if __name__ == "__main__":
    main()
