"""A random hyper-parameter search picks an MLP that names the bamboo species (6 classes:
moso, madake, giant timber, golden, black, arrow) of a grove culm from 10 field measurements:
culm diameter at breast height, wall thickness, internode length, node ridge prominence,
sheath hairiness, branch count per node, leaf length and width, culm colour index, height.
Species overlap a lot (a young moso looks like a madake), so about 70 % is what the features
allow. 12 trials (hidden width, depth, learning rate, weight decay, dropout drawn at random),
each trained 15 epochs with Adam, batch 64, on 600 culms; after every epoch the validation
accuracy is checked and the best (trial, epoch) so far is kept. The final model is reloaded
from that best snapshot and scored once on a held-out test set of 600 culms.
Log: ``search.csv`` (trial, epoch, lr, hidden, train_loss, val_loss, val_acc) and a last row
``test`` with the test accuracy; checkpoint ``weights`` / ``adam_state`` / ``trial`` /
``epoch`` / ``val_acc`` (the winner's).
Bug: ``N_VAL = 24`` — the validation split is 24 culms, and 180 (trial, epoch) snapshots are
compared on it: the winner is the one whose luck on those 24 culms was best, and its
validation accuracy says nothing about the test set. Numbers: the winner (trial 1, epoch
2, hidden 128) has validation accuracy 0.917 (22 of 24) and test accuracy 0.695.
Control (``N_VAL = 600``): the winner's validation accuracy 0.723, test accuracy
0.705."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

K, F_IN, N_TRAIN, N_VAL, N_TEST = 6, 10, 600, 24, 600


def culms(n, g):
    centres = torch.randn(K, F_IN, generator=torch.Generator().manual_seed(7)) * 0.75
    y = torch.randint(0, K, (n,), generator=g)
    x = centres[y] + torch.randn(n, F_IN, generator=g)
    return x, y


def make(hidden, depth, p):
    layers, d = [], F_IN
    for _ in range(depth):
        layers += [nn.Linear(d, hidden), nn.ReLU(), nn.Dropout(p)]
        d = hidden
    return nn.Sequential(*layers, nn.Linear(d, K))


def build():
    torch.manual_seed(0)
    return make(128, 3, 0.0)


COMPLAINT = ('the search log says my best bamboo species model reaches 91.7 % '
             'validation accuracy, but on the 600 held-out culms it only gets 69.5 '
             '%, and the field crew says it is no better than the other models we '
             'tried')


def main():
    from _hundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = culms(N_TRAIN + 600 + N_TEST, g)
    xt, yt = x[:N_TRAIN], y[:N_TRAIN]
    xv, yv = x[N_TRAIN:N_TRAIN + N_VAL], y[N_TRAIN:N_TRAIN + N_VAL]
    xs, ys = x[-N_TEST:], y[-N_TEST:]
    best = (-1.0, None)
    with open(out / "search.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["trial", "epoch", "lr", "hidden", "train_loss", "val_loss", "val_acc"])
        for trial in range(12):
            torch.manual_seed(100 + trial)
            hidden = [32, 64, 128][int(torch.randint(0, 3, (1,), generator=g))]
            depth = int(torch.randint(1, 4, (1,), generator=g))
            lr = float(10 ** (-3.5 + 1.5 * torch.rand(1, generator=g)))
            wd = float(10 ** (-5 + 3 * torch.rand(1, generator=g)))
            p = 0.3 * float(torch.rand(1, generator=g))
            net = make(hidden, depth, p)
            opt = torch.optim.Adam(net.parameters(), lr=lr, weight_decay=wd)
            for epoch in range(15):
                net.train()
                tot = 0.0
                for idx in torch.randperm(N_TRAIN, generator=g).split(64):
                    loss = F.cross_entropy(net(xt[idx]), yt[idx])
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                    tot += loss.item() * len(idx)
                net.eval()
                with torch.no_grad():
                    lv = net(xv)
                    vl = F.cross_entropy(lv, yv).item()
                    va = (lv.argmax(1) == yv).float().mean().item()
                w.writerow([trial, epoch, f"{lr:.2e}", hidden, round(tot / N_TRAIN, 5),
                            round(vl, 5), round(va, 4)])
                if va > best[0]:
                    best = (va, {"weights": {k: v.clone() for k, v in net.state_dict().items()},
                                 "adam_state": opt.state_dict(), "trial": trial,
                                 "epoch": epoch, "val_acc": va,
                                 "arch": {"hidden": hidden, "depth": depth, "p": p}})
        net = make(**best[1]["arch"])
        net.load_state_dict(best[1]["weights"])
        net.eval()
        with torch.no_grad():
            test = (net(xs).argmax(1) == ys).float().mean().item()
        w.writerow(["test", "", "", "", "", "", round(test, 4)])
    print("best trial", best[1]["trial"], "epoch", best[1]["epoch"], "val", round(best[0], 4),
          "test", round(test, 4))
    torch.save(best[1], out / "bamboo_best.pt")
    finish(out, __file__, (xs[:64], ys[:64]), causes=["validation_overfit"],
           checkpoint="bamboo_best.pt", log="search.csv",
           what="random search over MLPs naming bamboo species from culm measurements",
           complaint=COMPLAINT)


if __name__ == "__main__":
    main()
