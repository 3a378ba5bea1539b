"""Plain torch: a multi-label MLP tells the stillman, jar by jar, which off-notes the tasting
panel would flag in the spirit run of a pot still (malt whisky, second distillation), from 8
readings logged with each jar: head (lyne-arm) temperature, jar ABV, minutes since the
foreshots were cut, jar number, pot temperature, low-wines charge ABV, the condenser water
outlet temperature and hours since the copper was last cleaned. Four notes: solvent /
acetaldehyde (early jars, cool head, warm condenser), sulphur (warm condenser, tired copper),
feinty / oily (late jars, low ABV, hot pot), fusel / rubbery (hot head, late). Each note's
chance is a logistic of those readings; the panel of 5 tasters votes on every jar (``PANEL``),
so the targets are the votes / 5, the share of tasters who flagged the note, as soft labels.
MLP 8→64-ReLU-64-ReLU→4, BCE with logits, Adam 1e-3, batch 32, 20 epochs, 1600 jars,
validation on 400 (panel share per note, jar flagged when 3 of 5 or more flag it).
Bug: the soft labels are made with ``targets = votes.float()  # panel votes per off-note, soft
labels for BCE``: the division by ``PANEL`` is missing, so the BCE targets run 0-5 instead of
0-1. For any jar with one vote or more, the loss keeps falling as the logit grows, so it has
no floor: it goes negative and keeps dropping, and the net says "flagged" to every note
anyone voted for.
Control (``votes.float() / PANEL``, one-line sed): train BCE 0.557 → 0.313, val BCE (on the shares)
0.448 → 0.333, val share MAE 0.200 → 0.098, val flag accuracy 0.866 → 0.903, flagged rate
0.28 (the panel flags 0.29 of jar-notes).
With the bug: train BCE -0.53 at epoch 0 → -39534 at epoch 19, falling
faster every epoch; val BCE 1.14 → 10782; val share MAE 0.474 → 0.680; val flag accuracy
0.391 → 0.316 (0.284 at epoch 16); flagged rate 0.87-1.0 of jar-notes.
Log: JSON lines per epoch ``spirit_run.jsonl`` (``epoch`` / ``bce`` / ``val_bce`` /
``val_share_mae`` / ``val_flag_acc`` / ``val_flagged_rate``); checkpoint ``offnote_mlp.pt``
with keys ``model`` / ``opt`` / ``epoch`` / ``notes`` / ``panel`` / ``reading_mean`` /
``reading_std``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

PANEL = 5  # tasters on the panel
NOTES = ["solvent", "sulphur", "feinty", "fusel"]


def jars(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    jar = torch.randint(1, 31, (n,), generator=g).float()
    minutes = jar * (6 + 2 * r(n))
    head = 78 + 0.25 * jar + 3 * (r(n) - 0.5)
    abv = 75 - 0.9 * jar + 4 * (r(n) - 0.5)
    pot = 88 + 0.3 * jar + 2 * r(n)
    charge = 20 + 8 * r(n)
    cond = 15 + 20 * r(n)
    copper = 200 * r(n)
    logits = torch.stack([
        2.5 - 0.35 * jar - 0.8 * (head - 80) + 0.08 * (cond - 25),
        -2.5 + 0.12 * (cond - 15) + 0.015 * copper,
        -6 + 0.22 * jar - 0.08 * (abv - 55) + 0.4 * (pot - 95),
        -5 + 0.9 * (head - 82) + 0.1 * jar + 0.05 * (charge - 24)], 1)
    votes = torch.binomial(torch.full_like(logits, PANEL), torch.sigmoid(logits), generator=g)
    x = torch.stack([head, abv, minutes, jar, pot, charge, cond, copper], 1)
    return x, votes


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, len(NOTES)))


def main():
    from _threehundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, vtr = jars(1600, g)
    xva, vva = jars(400, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("flag share per note", (vtr >= 3).float().mean(0))
    targets = vtr.float()  # panel votes per off-note, soft labels for BCE
    share_va = vva / PANEL
    flag_va = (vva >= 3).float()
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, targets), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "spirit_run.jsonl", "w") as log:
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
                p = torch.sigmoid(logit)
                vl = F.binary_cross_entropy_with_logits(logit, share_va).item()
            rec = {"epoch": epoch, "bce": round(tot / len(xtr), 5), "val_bce": round(vl, 5),
                   "val_share_mae": round((p - share_va).abs().mean().item(), 4),
                   "val_flag_acc": round(((p >= 0.5).float() == flag_va).float().mean().item(), 4),
                   "val_flagged_rate": round((p >= 0.5).float().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": 20,
                "notes": NOTES, "panel": PANEL, "reading_mean": mu, "reading_std": sd},
               out / "offnote_mlp.pt")
    finish(out, __file__, (xva[:64], vva[:64].float()),
           causes=["label_out_of_range"],
           checkpoint="offnote_mlp.pt", log="spirit_run.jsonl",
           what="multi-label MLP predicting the tasting panel's off-note flags per jar of a"
                " pot-still spirit run; the BCE soft labels are panel votes 0-5, not shares",
           complaint="The off-note model for our spirit run is useless. The training loss went"
                     " below zero in the first epoch and is at minus forty thousand after 20,"
                     " while the validation loss climbs into the thousands, and it flags almost"
                     " every jar for almost every note, around 90 % of them, when the panel"
                     " flags about 30 %. Accuracy on the flags is worse than guessing nothing is"
                     " wrong. Does it just need more jars or a bigger network?")


if __name__ == "__main__":
    main()
