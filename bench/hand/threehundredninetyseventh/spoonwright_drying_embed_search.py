"""Plain torch: an embedding model tells a spoonwright how a freshly carved spoon will come
through drying: fine, checked (hairline cracks at the end grain) or split. Inputs: wood
species (12: birch, cherry, sycamore, alder, lime, apple, hazel, plum, walnut, beech,
maple, rowan), the carver (16 people in the workshop), the drying method (paper bag,
open shelf, shelf by the stove, kiln box) and three numbers: bowl wall thickness (2-8
mm), moisture at carving (%, green 30-60 or seasoned 12-20) and whether the pith is left
in the blank. Behind the labels, the shop's rule of thumb on a drying-stress score: each
species' tendency to check (fruitwoods and beech high, lime and alder low), a harsher
method, thicker walls and wetter wood raise it, pith in the blank raises it a lot, a
careful carver (who seals the end grain) lowers it; noise on the score; fine / checked
/ split at two thresholds. Model: embeddings species 12→4, carver 16→4, method 4→2,
concatenated with the 3 numbers (standardised), MLP (width and dropout from the search)
→3; cross-entropy, Adam, batch 32. A random search over learning rate, width, dropout,
weight decay and epochs; 400 training spoons, the settings picked on the validation
spoons, the picked model then scored once on 600 spoons from the next season.
The bug: 40 random-search trials are picked on a validation set of only
``N_VAL = 64  # spoons set aside to pick the settings``, and the picked trial's validation
score is what is reported: picked val accuracy 0.781 (trial 35), next season 0.658, a gap
of 0.12 (control, ``N_VAL = 600``: picked val accuracy 0.72 (trial 9), next season 0.67,
a gap of 0.05).
Log: JSON lines per trial ``search.jsonl`` (``trial`` / ``lr`` / ``width`` / ``dropout`` /
``wd`` / ``epochs`` / ``train_ce`` / ``val_ce`` / ``val_acc``) and a JSON ``picked.json``
(the picked trial, its ``val_acc`` and the ``next_season_acc``); checkpoint
``best_spoon.pt`` with keys ``state`` / ``config`` / ``val_acc`` / ``species`` /
``methods`` / ``num_mu`` / ``num_sd``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

SPECIES = ["birch", "cherry", "sycamore", "alder", "lime", "apple", "hazel", "plum", "walnut",
           "beech", "maple", "rowan"]
CHECKINESS = [0.3, 0.9, 0.4, -0.3, -0.6, 1.0, 0.2, 1.1, 0.5, 0.9, 0.4, 0.6]
METHODS = ["paper_bag", "open_shelf", "by_stove", "kiln_box"]
HARSH = [-0.6, 0.0, 0.9, 0.5]
N_CARVERS = 16
N_TRAIN = 400
N_VAL = 64  # spoons set aside to pick the settings
N_TRIALS = 40


def spoons(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    sp = torch.randint(0, 12, (n,), generator=g)
    carver = torch.randint(0, N_CARVERS, (n,), generator=g)
    method = torch.randint(0, 4, (n,), generator=g)
    wall = 2 + 6 * r(n)
    green = r(n) < 0.6
    moist = torch.where(green, 30 + 30 * r(n), 12 + 8 * r(n))
    pith = (r(n) < 0.2).float()
    care = torch.linspace(-0.6, 0.6, N_CARVERS)[torch.randperm(N_CARVERS, generator=g)]
    score = (torch.tensor(CHECKINESS)[sp] + torch.tensor(HARSH)[method] + 0.25 * (wall - 5)
             + 0.03 * (moist - 30) + 1.2 * pith - care[carver] + 0.5 * torch.randn(n, generator=g))
    y = (score > 0.6).long() + (score > 1.6).long()
    return sp, carver, method, torch.stack([wall, moist, pith], 1), y


class SpoonNet(nn.Module):
    def __init__(self, width=64, dropout=0.1):
        super().__init__()
        self.sp, self.carver, self.method = nn.Embedding(12, 4), nn.Embedding(N_CARVERS, 4), nn.Embedding(4, 2)
        self.mlp = nn.Sequential(nn.Linear(13, width), nn.ReLU(), nn.Dropout(dropout),
                                 nn.Linear(width, width), nn.ReLU(), nn.Dropout(dropout),
                                 nn.Linear(width, 3))

    def forward(self, sp, carver, method, num):
        return self.mlp(torch.cat([self.sp(sp), self.carver(carver), self.method(method), num], 1))


def build():
    torch.manual_seed(0)
    return SpoonNet()


def scores(model, data):
    model.eval()
    with torch.no_grad():
        logits = model(*data[:4])
    return F.cross_entropy(logits, data[4]).item(), (logits.argmax(1) == data[4]).float().mean().item()


def main():
    from _threehundredninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    pool = spoons(1000, g)
    nxt = spoons(600, g)
    mu, sd = pool[3][:N_TRAIN].mean(0), pool[3][:N_TRAIN].std(0)
    norm = lambda d: d[:3] + ((d[3] - mu) / sd, d[4])  # noqa: E731
    pool, nxt = norm(pool), norm(nxt)
    tr = tuple(t[:N_TRAIN] for t in pool)
    va = tuple(t[N_TRAIN:N_TRAIN + N_VAL] for t in pool)
    print("classes", torch.bincount(tr[4]).tolist(), torch.bincount(nxt[4]).tolist())
    hp = torch.Generator().manual_seed(1)
    best = None
    with open(out / "search.jsonl", "w") as log:
        for trial in range(N_TRIALS):
            u = torch.rand(4, generator=hp).tolist()
            cfg = {"lr": round(10 ** (-3 + 1.5 * u[0]), 5), "width": [16, 32, 64, 128][int(4 * u[1])],
                   "dropout": [0.0, 0.1, 0.3][int(3 * u[2])], "wd": [0.0, 1e-4, 1e-3][trial % 3],
                   "epochs": [6, 12, 18][int(3 * u[3])]}
            torch.manual_seed(trial)
            model = SpoonNet(cfg["width"], cfg["dropout"])
            opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"], weight_decay=cfg["wd"])
            dl = DataLoader(TensorDataset(*tr), batch_size=32, shuffle=True)
            for _ in range(cfg["epochs"]):
                model.train()
                for *xb, yb in dl:
                    loss = F.cross_entropy(model(*xb), yb)
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
            tr_ce, _ = scores(model, tr)
            v_ce, v_acc = scores(model, va)
            rec = dict(trial=trial, **cfg, train_ce=round(tr_ce, 5), val_ce=round(v_ce, 5),
                       val_acc=round(v_acc, 4))
            log.write(json.dumps(rec) + "\n")
            print(rec)
            if best is None or (v_acc, -v_ce) > (best[0]["val_acc"], -best[0]["val_ce"]):
                best = (rec, {k: v.clone() for k, v in model.state_dict().items()})
    model = SpoonNet(best[0]["width"], best[0]["dropout"])
    model.load_state_dict(best[1])
    _, next_acc = scores(model, nxt)
    picked = {"picked": best[0], "val_acc": best[0]["val_acc"], "next_season_acc": round(next_acc, 4)}
    (out / "picked.json").write_text(json.dumps(picked, indent=1) + "\n")
    print(picked)
    torch.save({"state": best[1], "config": best[0], "val_acc": best[0]["val_acc"],
                "species": SPECIES, "methods": METHODS, "num_mu": mu, "num_sd": sd},
               out / "best_spoon.pt")
    finish(out, __file__, {"inputs": torch.stack([va[0], va[1], va[2]], 1)[:64],
                           "numeric": va[3][:64], "targets": va[4][:64]},
           causes=["validation_overfit"], checkpoint="best_spoon.pt", log="search.jsonl",
           what="embedding model predicting how a carved spoon comes through drying; 40-trial"
                " random search picked on 64 validation spoons",
           complaint="Spoon drying model: after a 40-run random search the best run scored 78 %"
                     " on my validation spoons, but on this season's 600 spoons it only gets"
                     " 66 %. The validation loss of that run was fine (0.56) and train loss"
                     " 0.43, so it doesn't look overfit to the training set. Why does it fall"
                     " apart on new spoons?")


if __name__ == "__main__":
    main()
