"""Plain torch: a heddlemaker's QC bench predicts whether a flat steel heddle will pass the
weaving mill's snag test (a fine filament yarn drawn through the eye 500 times; fail = a
broken or fuzzed end) from 7 gauge readings: eye length and width (mm), the eye-edge
roughness Ra (µm), the burr height left by the stamping (µm), the chrome plating thickness
(µm), the strip thickness (mm) and the twist of the eye against the heddle (°). The rule
behind the labels: roughness and burr only snag where the plating has not covered them
(burr - 1.5 × plating, Ra - 0.1 × plating), a narrow eye rubs the yarn harder, a twisted
eye makes the yarn ride the edge; the test itself is a coin flip on some heddles (label noise
about 10 %). Input: (7,) standardised with the training mean / std. Model: a residual MLP
(7→width, 2 pre-LayerNorm blocks with GELU and dropout, →1), BCE with logits; a random
search of 20 trials over AdamW learning rate (3e-4-1e-2), width (16-96), weight decay
(1e-5-1e-1), dropout (0-0.3) and epochs (8-40), batch 100, 1000 training heddles; every
epoch of every trial is scored on the validation heddles, the best (trial, epoch) is kept
and its validation accuracy reported, and the next 1000 heddles from the floor are checked
afterwards.
The bug: the validation split is ``n_val = 64``, two trays of hand-tested heddles, and the
20 trials × their epochs are ranked on it and the winner's score on it is the one reported,
so the pick chases the luck of 64 heddles: best val accuracy 0.891 (trial 18, epoch 11; the
trials' bests 0.828-0.891) against 0.819 on the next 1000 from the floor (control,
``n_val = 600``: best val accuracy 0.858, the floor 0.837).
Log: CSV per trial ``search_trials.csv`` (``trial`` / ``lr`` / ``width`` / ``weight_decay``
/ ``dropout`` / ``epochs`` / ``best_epoch`` / ``train_loss`` / ``train_acc`` / ``val_acc``), the pick in
``chosen.json`` (``trial`` / ``val_acc`` / ``floor_acc``); checkpoint ``snag_best.pt`` with
keys ``state_dict`` / ``optim`` / ``config`` (with the epoch) / ``trial`` / ``x_mean`` / ``x_std``."""
import copy
import csv
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def heddles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    eye_l = 5.5 + 1.0 * r(n)
    eye_w = 1.0 + 0.8 * r(n)
    ra = 0.2 + 0.8 * r(n)
    burr = 2 + 10 * r(n)
    plate = 1 + 5 * r(n)
    strip = 0.25 + 0.1 * r(n)
    twist = 8 * r(n) ** 2
    risk = (F.softplus(burr - 1.5 * plate) / 3 + F.softplus(10 * (ra - 0.1 * plate)) / 3
            + 2.5 * (1.3 - eye_w).clamp(min=0) + 0.15 * twist - 1.6)
    fail = torch.sigmoid(4 * risk) > r(n)
    flip = r(n) < 0.1
    y = (fail ^ flip).float()
    return torch.stack([eye_l, eye_w, ra, burr, plate, strip, twist], 1), y


class Block(nn.Module):
    def __init__(self, w, p):
        super().__init__()
        self.norm = nn.LayerNorm(w)
        self.ff = nn.Sequential(nn.Linear(w, 2 * w), nn.GELU(), nn.Dropout(p), nn.Linear(2 * w, w))

    def forward(self, x):
        return x + self.ff(self.norm(x))


class SnagNet(nn.Module):
    def __init__(self, width=48, dropout=0.1):
        super().__init__()
        self.inp = nn.Linear(7, width)
        self.blocks = nn.Sequential(Block(width, dropout), Block(width, dropout))
        self.out = nn.Sequential(nn.LayerNorm(width), nn.Linear(width, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x))).squeeze(1)


def build(width=48, dropout=0.1):
    torch.manual_seed(0)
    return SnagNet(width, dropout)


def accuracy(net, x, y):
    net.eval()
    with torch.no_grad():
        return ((net(x) > 0).float() == y).float().mean().item()


def main():
    from _fourhundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    n_val = 64  # two trays of hand-tested heddles to pick the settings on
    rtr, ytr = heddles(1000, g)
    rva, yva = heddles(n_val, g)
    rfl, yfl = heddles(1000, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    xtr, xva, xfl = (rtr - mu) / sd, (rva - mu) / sd, (rfl - mu) / sd
    print("fail rate", ytr.mean().item())
    hp = torch.Generator().manual_seed(1)
    u = lambda: torch.rand(1, generator=hp).item()  # noqa: E731
    best = None
    with open(out / "search_trials.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["trial", "lr", "width", "weight_decay", "dropout", "epochs", "best_epoch",
                      "train_loss", "train_acc", "val_acc"])
        for trial in range(20):
            cfg = {"lr": 10 ** (-3.5 + 1.5 * u()), "width": int(16 + 80 * u()),
                   "weight_decay": 10 ** (-5 + 4 * u()), "dropout": 0.3 * u(),
                   "epochs": int(8 + 32 * u())}
            net = build(cfg["width"], cfg["dropout"])
            torch.manual_seed(trial)
            opt = torch.optim.AdamW(net.parameters(), lr=cfg["lr"],
                                    weight_decay=cfg["weight_decay"])
            dl = DataLoader(TensorDataset(xtr, ytr), batch_size=100, shuffle=True)
            trial_best = (-1.0, 0)
            for epoch in range(cfg["epochs"]):
                net.train()
                tot = 0.0
                for xb, yb in dl:
                    loss = F.binary_cross_entropy_with_logits(net(xb), yb)
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                    tot += loss.item() * len(xb)
                score = accuracy(net, xva, yva)
                if score > trial_best[0]:
                    trial_best = (score, epoch)
                if best is None or score > best[0]:
                    best = (score, trial, dict(cfg, epoch=epoch), copy.deepcopy(net.state_dict()),
                            copy.deepcopy(opt.state_dict()))
            row = [trial, f"{cfg['lr']:.4g}", cfg["width"], f"{cfg['weight_decay']:.3g}",
                   f"{cfg['dropout']:.3f}", cfg["epochs"], trial_best[1], f"{tot / len(xtr):.5f}",
                   f"{accuracy(net, xtr, ytr):.5f}", f"{trial_best[0]:.5f}"]
            log.writerow(row)
            print(row)
    score, trial, cfg, state, opt_state = best
    net = build(cfg["width"], cfg["dropout"])
    net.load_state_dict(state)
    floor = accuracy(net, xfl, yfl)
    (out / "chosen.json").write_text(json.dumps({"trial": trial, "val_acc": round(score, 5),
                                                 "floor_acc": round(floor, 5)}) + "\n")
    print("chosen", trial, score, "floor", floor)
    torch.save({"state_dict": state, "optim": opt_state, "config": cfg, "trial": trial,
                "x_mean": mu, "x_std": sd}, out / "snag_best.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["validation_overfit"],
           checkpoint="snag_best.pt", log="search_trials.csv",
           what="residual MLP predicting a heddle's snag test from its gauge readings; 20"
                " search trials (every epoch) ranked on a 64-heddle validation split whose best score is"
                " the one reported",
           complaint="Snag-test predictor for our heddles: the hyperparameter search found a"
                     " setting with 89.1 % accuracy on our validation heddles, but on the next"
                     " 1000 heddles off the line it only gets 81.9 %, lower than any trial"
                     " scored on validation. Why does it fall apart in production?")


if __name__ == "__main__":
    main()
