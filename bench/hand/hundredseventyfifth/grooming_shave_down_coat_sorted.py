"""Plain torch: an MLP picks the grooming package a salon books for a dog (bath & brush,
breed trim, full shave-down for a matted coat) from 10 numbers the front desk records per
appointment (coat length, weeks since last groom, shedding score, weight, tangles counted at
intake, ...). The package follows nonlinear combinations of those (long coat × long gap →
shave-down). MLP 10-64-64-3, Adam 1e-3, batch 64, 25 epochs of 1600 appointments.
The bug: the train/val split is meant to be chronological (``# oldest 80 % train, newest 20 %
val``) but the sort key is column 0, the coat length, not a date, so every training dog has a
short-to-medium coat and every validation dog a long one: the model never sees the region
where long coats live and extrapolates (class shares train 0.69 / 0.22 / 0.09, val 0.16 / 0.50 /
0.34). Numbers: train accuracy 0.61 → 0.985, train loss 0.94 → 0.07; val accuracy 0.16 at
epoch 1, 0.64 at 12, 0.76 at 25, val loss 1.42 → 1.46 (epoch 12) → 1.23, never below 1.2.
Control (``torch.randperm`` instead of the sort): train accuracy 0.977, val accuracy 0.92,
val loss 0.19 at epoch 25."""
import csv

import torch
import torch.nn as nn


def appointments(n, g):
    x = torch.randn(n, 10, generator=g)
    coat, gap, shed, tangles = x[:, 0], x[:, 1], x[:, 2], x[:, 4]
    s = torch.stack([0.6 - 0.8 * coat - 0.3 * gap + 0.5 * shed,
                     0.3 + 0.5 * coat - 0.4 * coat ** 2 + 0.3 * x[:, 3],
                     coat * gap + 0.7 * tangles - 0.4], 1)
    return x, s.argmax(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 3))


def main():
    from _hundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = appointments(2000, g)
    order = torch.argsort(x[:, 0])  # oldest 80 % train, newest 20 % val
    x, y = x[order], y[order]
    xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]
    print("train shares", torch.bincount(ytr, minlength=3) / 1600,
          "val shares", torch.bincount(yva, minlength=3) / 400)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    f = open(out / "train_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
    for epoch in range(1, 26):
        model.train()
        perm = torch.randperm(1600, generator=g)
        tl = ta = 0.0
        for i in range(0, 1600, 64):
            idx = perm[i:i + 64]
            logits = model(xtr[idx])
            loss = loss_fn(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            ta += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        row = [epoch, round(tl / 1600, 4), round(ta / 1600, 4), round(loss_fn(lv, yva).item(), 4),
               round((lv.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 25}, out / "package_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="package_mlp.pt", log="train_log.csv",
           what="grooming-package MLP whose 'chronological' split sorts by coat length:"
                " val dogs all long-coated",
           complaint=("Our salon's package classifier (bath / breed trim / shave-down) hits 98.5%"
                      " on the training appointments but only 76% on the held-out 400, and the"
                      " validation loss never gets below 1.2 while the training loss is down to"
                      " 0.07. It started at 16% val accuracy after epoch 1. It's a small MLP on"
                      " 1600 appointments, no dropout. Is it just overfitting? Should I add"
                      " regularisation or more data?"))


if __name__ == "__main__":
    main()
