"""Plain torch, a small random hyper-parameter search: an MLP predicts whether a haggle at a
carpet stall in a covered bazaar ends in a sale, from 12 standardised numbers the stall's
tablet logs per haggle (opening ask over list price, the buyer's first offer ratio, number of
counter-offers, minutes spent, tea offered, buyer is a tourist, group size, items looked at,
time of day, footfall in the aisle, neighbour stall's price, rain). Whether the sale closes
depends nonlinearly on a few of them (the gap between ask and first offer, the number of
rounds, tea × minutes) and is noisy: about 75 % is what the features allow.
14 trials (hidden width, depth, learning rate, dropout, weight decay drawn at random), each
trained 12 epochs with Adam, batch 32, on 500 haggles; after every epoch the validation
accuracy is checked and the best (trial, epoch) snapshot so far is kept; at the end that
snapshot is reloaded and scored once on 1000 held-out haggles.
Log ``search_log.csv`` (trial, epoch, hidden, depth, lr, train_loss, val_loss, val_acc; a last
row ``final`` with the test accuracy); checkpoint ``weights`` / ``optim`` / ``trial`` /
``epoch`` / ``config`` / ``val_acc`` (the winner's).
The bug: ``N_VAL = 20`` — 168 (trial, epoch) snapshots are ranked on 20 haggles, so the
winner is whichever was luckiest on those 20 and its validation accuracy says little about new
haggles. Winner: trial 0, epoch 12 (hidden 64, depth 3, lr 0.0020) with validation accuracy
0.95 (19 of 20); its test accuracy is 0.744.
Control (``N_VAL = 800``): winner trial 5, epoch 4, validation accuracy 0.775, test
accuracy 0.741: the validation number now says what the model does on new haggles."""
import copy
import csv

import torch
import torch.nn as nn

N_VAL = 20
VSEED = 4


def haggles(n, g):
    x = torch.randn(n, 12, generator=g)
    gap = x[:, 0] - x[:, 1]
    s = -0.9 * gap.abs() * (gap > 0) + 0.6 * torch.tanh(x[:, 2]) - 0.4 * x[:, 2] ** 2 \
        + 0.5 * (x[:, 4] > 0).float() * x[:, 3] + 0.35 * x[:, 5] - 0.3 * x[:, 10] + 0.6
    p = torch.sigmoid(2.2 * s)
    return x, (torch.rand(n, generator=g) < p).long()


def make_mlp(hidden, depth, dropout):
    layers, d = [], 12
    for _ in range(depth):
        layers += [nn.Linear(d, hidden), nn.ReLU(), nn.Dropout(dropout)]
        d = hidden
    return nn.Sequential(*layers, nn.Linear(d, 2))


def build():
    """The architecture the search picked (trial 0: hidden 64, depth 3, dropout 0.29)."""
    torch.manual_seed(0)
    return make_mlp(64, 3, 0.29)


def main():
    from _twohundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = haggles(500, g)
    xte, yte = haggles(1000, g)
    xva, yva = haggles(N_VAL, torch.Generator().manual_seed(VSEED))  # this week's haggles
    print("close rate", ytr.float().mean().item())
    rng = torch.Generator().manual_seed(1)
    loss_fn = nn.CrossEntropyLoss()
    best = None
    f = open(out / "search_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["trial", "epoch", "hidden", "depth", "lr", "train_loss", "val_loss", "val_acc"])
    for trial in range(14):
        cfg = {"hidden": [32, 64, 128, 256][int(torch.randint(0, 4, (1,), generator=rng))],
               "depth": int(torch.randint(1, 4, (1,), generator=rng)),
               "lr": float(10 ** (-3.5 + 2 * torch.rand(1, generator=rng))),
               "dropout": float(0.4 * torch.rand(1, generator=rng)),
               "wd": float(10 ** (-5 + 3 * torch.rand(1, generator=rng)))}
        torch.manual_seed(trial)
        model = make_mlp(cfg["hidden"], cfg["depth"], cfg["dropout"])
        opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"], weight_decay=cfg["wd"])
        train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                            batch_size=32, shuffle=True)
        for epoch in range(1, 13):
            model.train()
            tot = 0.0
            for xb, yb in train:
                loss = loss_fn(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            acc = (lv.argmax(1) == yva).float().mean().item()
            w.writerow([trial, epoch, cfg["hidden"], cfg["depth"], round(cfg["lr"], 6),
                        round(tot / 500, 4), round(loss_fn(lv, yva).item(), 4), round(acc, 4)])
            if best is None or acc > best["val_acc"]:
                best = {"weights": copy.deepcopy(model.state_dict()),
                        "optim": copy.deepcopy(opt.state_dict()), "trial": trial,
                        "epoch": epoch, "config": cfg, "val_acc": acc}
    winner = make_mlp(best["config"]["hidden"], best["config"]["depth"], best["config"]["dropout"])
    winner.load_state_dict(best["weights"])
    winner.eval()
    with torch.no_grad():
        test_acc = (winner(xte).argmax(1) == yte).float().mean().item()
    w.writerow(["final", best["trial"], best["config"]["hidden"], best["config"]["depth"],
                round(best["config"]["lr"], 6), "", "test_acc", round(test_acc, 4)])
    f.close()
    print("winner", best["trial"], best["epoch"], best["config"], "val", best["val_acc"],
          "test", test_acc)
    torch.save(best, out / "best_haggle_mlp.pt")
    finish(out, __file__, (xte[:64], yte[:64]), causes=["validation_overfit"],
           checkpoint="best_haggle_mlp.pt", log="search_log.csv",
           what="bazaar haggle-closes MLP picked from 168 search snapshots on a 20-haggle"
                " validation split",
           complaint=("The search picked a model that scored 95% on validation for predicting which"
                      " haggles at the stall close, but on 1000 haggles it has never seen it gets"
                      " 74.4%. The validation haggles are from this week, the test ones from the"
                      " log - has the way customers bargain changed, or is the model broken?"))


if __name__ == "__main__":
    main()
