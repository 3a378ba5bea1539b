"""Plain torch: an MLP with BatchNorm grades a zamboni's ice-shaving blade (sharp, worn,
replace) from 16 resurfacing readings (motor current, cut depth, vibration bands, hours since
the last change, ...). The grade comes from a wear score of the features. MLP 16-64(BN)-64(BN)-3,
SGD momentum 0.9 lr 0.05, batch 64, 8 epochs of 1536 logs (512 per grade).
Checkpoint ``{"model_state", "opt_state", "epoch", "iteration"}``, CSV per epoch.
The bug: the depot exports one file per grade, the script concatenates them
(``torch.cat([sharp, worn, replace])``) and walks them in order, so every batch holds a
single grade. Train CE 2.98 → 1.55, val CE
1.22, val accuracy 0.27 (epoch 8). Control (a ``torch.randperm`` order): val CE 0.27, val
accuracy 0.89."""
import csv
import sys

import torch
import torch.nn as nn


def logs(n, g):
    x = torch.randn(n, 16, generator=g)
    wear = 1.0 * x[:, 0] + 0.8 * x[:, 1] - 0.6 * x[:, 2] + 0.5 * x[:, 3] * x[:, 4]
    y = torch.bucketize(wear, torch.tensor([-0.6, 0.6]))
    return x, y


def by_grade(g):
    x, y = logs(6000, g)
    parts = [x[y == k][:512] for k in range(3)]
    return torch.cat(parts), torch.arange(3).repeat_interleave(512)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 64), nn.BatchNorm1d(64), nn.ReLU(),
                         nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 3))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = by_grade(g)
    xva, yva = logs(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    rows, it = [], 0
    for epoch in range(8):
        model.train()
        order = torch.arange(1536)
        tot = 0.0
        for i in range(0, 1536, 64):
            idx = order[i:i + 64]
            loss = nn.functional.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            tot += loss.item() / 24
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rows.append({"epoch": epoch + 1, "train_ce": round(tot, 4),
                     "val_ce": round(nn.functional.cross_entropy(lv, yva).item(), 4),
                     "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)})
        print(rows[-1])
    with open(out / "blade_grades.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 8,
                "iteration": it}, out / "blade_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["batch_single_class"],
           checkpoint="blade_mlp.pt", log="blade_grades.csv",
           what="BN MLP grading a zamboni blade's wear from resurfacing readings",
           complaint="Blade-wear grader: train loss stuck at 1.55 from epoch 2 on, val accuracy "
                     "0.27 (worse than always guessing one grade), val loss 1.22. Same features "
                     "the old gradient-boosting model used fine. Is SGD the wrong choice?")


if __name__ == "__main__":
    main()
