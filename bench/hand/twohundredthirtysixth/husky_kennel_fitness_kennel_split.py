"""Plain torch: an MLP sorts a sled-dog kennel's huskies into run / light run / rest for the
next day from 9 numbers the musher's app logs per dog (resting heart rate, heart-rate recovery
after the last run, km run in the last 3 days, body weight change, paw-check score, hours slept,
age, outside temperature, snow depth). The decision comes from recovery, recent load,
temperature and paws through a nonlinear workload score. The data set is two kennels' exports
concatenated: a coastal kennel (mild, young dogs) and an inland kennel (−30 °C, older dogs,
deep snow). MLP 9-64-64-3 with features standardised on the training split, AdamW 2e-3, batch
32, 20 epochs; per-epoch CSV (epoch,train_loss,train_acc,val_loss,val_acc).
The bug: the split is ``idx = torch.arange(len(x))`` then the first 80 % train / last 20 %
val, so the training set is (almost) all coastal dogs and the validation set all inland dogs,
whose temperature, age and snow depth lie outside anything seen in training (and whose staff
rest dogs at a lower workload). Numbers: train accuracy 0.96, val accuracy 0.69 (best 0.74 at
epoch 5), val loss 0.60 at epoch 5 → 1.40 at epoch 20. Control (sed
``s/idx = torch.arange(len(x))$/idx = torch.randperm(len(x), generator=g)/``): train accuracy
0.94, val accuracy 0.88, val loss 0.34."""
import csv
import sys

import torch
import torch.nn as nn


def kennel(n, g, inland):
    x = torch.randn(n, 9, generator=g)
    if inland:
        x[:, 6] += 1.5      # older dogs
        x[:, 7] -= 3.0      # −30 °C instead of −5 °C
        x[:, 8] += 2.5      # deep snow
    load = (0.9 * x[:, 2] - 1.1 * x[:, 1] + 0.5 * x[:, 0] - 0.6 * x[:, 4]
            + 0.35 * x[:, 6] ** 2 - 0.4 * x[:, 7] + 0.3 * x[:, 8] * x[:, 2])
    y = torch.bucketize(load, torch.tensor([-0.3, 1.2]) + (3.2 if inland else 0.0))
    return x, 2 - y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 3))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(3)
    xa, ya = kennel(1000, g, inland=False)
    xb, yb = kennel(300, g, inland=True)
    x, y = torch.cat([xa, xb]), torch.cat([ya, yb])
    idx = torch.arange(len(x))
    n_tr = int(0.8 * len(x))
    xtr, ytr, xva, yva = x[idx[:n_tr]], y[idx[:n_tr]], x[idx[n_tr:]], y[idx[n_tr:]]
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    ce = nn.CrossEntropyLoss()
    rows = []
    for epoch in range(1, 21):
        model.train()
        perm = torch.randperm(n_tr, generator=g)
        tot, hit = 0.0, 0
        for i in range(0, n_tr, 32):
            b = perm[i:i + 32]
            logits = model(xtr[b])
            loss = ce(logits, ytr[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(b)
            hit += (logits.argmax(1) == ytr[b]).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rows.append([epoch, round(tot / n_tr, 4), round(hit / n_tr, 4), round(ce(lv, yva).item(), 4),
                     round((lv.argmax(1) == yva).float().mean().item(), 4)])
        print(rows[-1])
    with open(out / "fitness_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        w.writerows(rows)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 20,
                "feature_mean": mu, "feature_std": sd}, out / "husky_fitness.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="husky_fitness.ckpt", log="fitness_log.csv",
           complaint="Husky run/rest model: train accuracy 96% but validation only 69% and val "
                     "loss climbs from 0.60 to 1.40. Dropout? More data? Same code worked in a toy test.",
           what="MLP husky next-day workload, train/val split along the kennel order")


if __name__ == "__main__":
    main()
