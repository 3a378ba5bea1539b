"""Plain torch, a small hyper-parameter grid: an MLP with BatchNorm predicts whether a runner in
a cheese-rolling race down a steep hill reaches the podium (top 3 of the heat) from 10 numbers
the organisers and the local club record (previous finishes on the hill, body mass, sprint
time on flat ground, start-line position, boot grip score, hill wetness, slope angle of the
lane, age, heat size, whether the runner tumbled in the last race). Podium depends on a few of
them nonlinearly (flat sprint × grip on a wet hill, lane slope, past finishes) and is noisy:
about 85 % is what the features allow.
Grid: hidden width {32, 128} × lr {1e-3, 3e-3, 1e-2} × dropout {0, 0.3}, each trained 10
epochs with Adam, batch 32, BCE-with-logits, on 640 runners; after every epoch the snapshot
is scored on the validation runners and the best (config, epoch) kept; at the end it is
reloaded and scored once on 1000 held-out runners from other years.
JSON lines ``grid.jsonl`` (one per config and epoch: ``cfg``, ``width``, ``lr``, ``dropout``,
``epoch``, ``train_bce``, ``val_acc``; a last line with ``pick`` and ``test_acc``);
checkpoint ``state_dict`` / ``optimizer`` / ``cfg`` / ``epoch`` / ``val_acc``.
The bug: ``VAL_RUNNERS = 20`` — 120 snapshots ranked on 20 runners.
Winner config 5 (width 32, lr 3e-3, dropout 0.3) at epoch 1 with validation
accuracy 0.95 (19 of 20); test accuracy 0.782. Control (``sed 's/^VAL_RUNNERS = 20$/VAL_RUNNERS
= 640/'``): winner config 2 (width 32, lr 1e-3, dropout 0) at epoch 8, validation accuracy
0.866, test accuracy 0.839: the validation number now says what the model does on new runners,
and the pick is a better model.
"""
import copy
import itertools
import json

import torch
import torch.nn as nn

VAL_RUNNERS = 20


def runners(n, g):
    x = torch.randn(n, 10, generator=g)
    s = (1.2 * x[:, 2] * torch.sigmoid(2 * x[:, 4]) * (x[:, 5] > 0).float() + 0.9 * x[:, 0]
         - 0.8 * x[:, 6].abs() + 0.5 * x[:, 9] - 0.3)
    y = (s + 0.7 * torch.randn(n, generator=g) > 0).float()
    return x, y


def build(width=32, dropout=0.0):
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, width), nn.BatchNorm1d(width), nn.ReLU(),
                         nn.Dropout(dropout), nn.Linear(width, width), nn.ReLU(),
                         nn.Linear(width, 1))


def acc(model, x, y):
    model.eval()
    with torch.no_grad():
        return ((model(x).squeeze(1) > 0).float() == y).float().mean().item()


def main():
    from _twohundredthirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = runners(640, g)
    xva, yva = runners(640, g)
    xva, yva = xva[:VAL_RUNNERS], yva[:VAL_RUNNERS]
    xte, yte = runners(1000, g)
    bce = nn.BCEWithLogitsLoss()
    best = None
    f = open(out / "grid.jsonl", "w")
    for cfg, (width, lr, dropout) in enumerate(itertools.product([32, 128], [1e-3, 3e-3, 1e-2],
                                                                 [0.0, 0.3])):
        model = build(width, dropout)
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        torch.manual_seed(cfg)
        train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                            batch_size=32, shuffle=True)
        for epoch in range(1, 11):
            model.train()
            tot = 0.0
            for xb, yb in train:
                loss = bce(model(xb).squeeze(1), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            va = acc(model, xva, yva)
            f.write(json.dumps({"cfg": cfg, "width": width, "lr": lr, "dropout": dropout,
                                "epoch": epoch, "train_bce": round(tot / 640, 4),
                                "val_acc": round(va, 4)}) + "\n")
            if best is None or va > best["val_acc"]:
                best = {"cfg": cfg, "width": width, "dropout": dropout, "epoch": epoch,
                        "val_acc": va, "state_dict": copy.deepcopy(model.state_dict()),
                        "optimizer": copy.deepcopy(opt.state_dict())}
    model = build(best["width"], best["dropout"])
    model.load_state_dict(best["state_dict"])
    test = acc(model, xte, yte)
    pick = {k: best[k] for k in ("cfg", "width", "dropout", "epoch", "val_acc")}
    f.write(json.dumps({"pick": pick, "test_acc": round(test, 4)}) + "\n")
    f.close()
    print("pick", pick, "test", round(test, 4))
    torch.save({k: best[k] for k in ("state_dict", "optimizer", "cfg", "epoch", "val_acc")},
               out / "podium_mlp.pt")
    finish(out, __file__, (xte[:64], yte[:64]), causes=["validation_overfit"],
           checkpoint="podium_mlp.pt", log="grid.jsonl",
           what="cheese-rolling podium MLP picked from a 12-config grid on 20 validation runners",
           complaint=COMPLAINT)


COMPLAINT = ("We grid-searched the podium predictor for the cheese-rolling heats (12 configs,"
             " best epoch kept) and the winner scores 95% on validation. On 1000 runners from"
             " other years it gets 78.2%. Is the hill just different every year, or should we"
             " add more features for the weather?")

if __name__ == "__main__":
    main()
