"""Plain torch: an MLP tells a scanned tarot card's suit (major arcana, wands, cups, swords,
pentacles) from 9 measurements the card scanner makes: mean hue, saturation and brightness of
the artwork, the share of yellow, blue and grey pixels, an edge-density score, the number of
repeated small symbols found (suit pips, 0 for majors) and the scan's border width. Each suit has
its palette (wands warm, cups blue, swords grey, pentacles yellow, majors mixed) and the pip
count follows the card's rank; the measurements are noisy and decks differ in printing, so the
suits overlap. The scanner writes one record per card with its place in the deck stack
(``deck_pos``: a freshly opened deck is stacked majors 0–21, then wands, cups, swords,
pentacles, 14 each). Columns are standardised.
MLP 10→64→64→5 (ReLU, the 10 columns of a record but the suit), cross-entropy; AdamW 2e-3, batch 64, 12 epochs of 2048 cards.
Checkpoint ``state_dict`` / ``optimizer`` / ``epoch``, log ``suit_train.jsonl`` (a JSON line
per epoch: epoch, loss, val_loss, val_acc).
The bug: the inputs are ``FEATURES = [c for c in <record> if c != "suit"]``, every column but
the label, so ``deck_pos`` is an input; the scanned decks were fed in freshly opened, so the
stack position spells out the suit (a shuffled deck would not). Val accuracy 0.881 after epoch
1, 0.934, … 0.971 at epoch 12, val loss 0.645 → 0.085, train loss 1.18 → 0.047. Control
(``deck_pos`` left out too, ``if c not in ("suit", "deck_pos")``): the honest features overlap
and top out at val accuracy 0.72 → 0.77 (0.766 at epoch 12), val loss 0.888 → 0.599, train
loss 1.28 → 0.57."""
import json

import torch
import torch.nn as nn

SUITS = ["major", "wands", "cups", "swords", "pentacles"]
HUE = [0.0, 0.05, 0.6, 0.55, 0.15]
SAT = [0.5, 0.7, 0.6, 0.2, 0.6]
YEL = [0.3, 0.3, 0.1, 0.1, 0.55]
BLU = [0.25, 0.05, 0.5, 0.25, 0.1]
GRY = [0.2, 0.1, 0.1, 0.45, 0.15]


def scans(n, g):
    pos = torch.randint(0, 78, (n,), generator=g)
    suit = torch.where(pos < 22, 0, 1 + (pos - 22) // 14)
    rank = torch.where(pos < 22, 0, (pos - 22) % 14 + 1)
    t = torch.tensor
    r = lambda s: s * torch.randn(n, generator=g)  # noqa: E731
    hue = t(HUE)[suit] + r(0.2)
    hue = torch.where(suit == 0, torch.rand(n, generator=g), hue)
    cols = {"hue": hue, "sat": t(SAT)[suit] + r(0.2), "val": 0.6 + r(0.1),
            "yellow": t(YEL)[suit] + r(0.2), "blue": t(BLU)[suit] + r(0.2),
            "grey": t(GRY)[suit] + r(0.2), "edges": 0.4 + 0.1 * (suit == 3) + r(0.1),
            "symbols": torch.where(rank <= 10, rank, 1).float() * (suit > 0) + r(3.0),
            "border": 2.0 + r(0.3), "deck_pos": pos.float(), "suit": suit}
    return cols


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(FEATS, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 5))


FEATURES = [c for c in scans(1, torch.Generator().manual_seed(1)) if c != "suit"]
FEATS = len(FEATURES)


def main():
    from _twohundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    cols = scans(2048 + 512, g)
    x = torch.stack([cols[c] for c in FEATURES], 1)
    y = cols["suit"]
    x = (x - x[:2048].mean(0)) / x[:2048].std(0)
    xtr, ytr, xva, yva = x[:2048], y[:2048], x[2048:], y[2048:]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    log = open(out / "suit_train.jsonl", "w")
    for epoch in range(12):
        model.train()
        tot = 0.0
        for xb, yb in train:
            loss = nn.functional.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl = nn.functional.cross_entropy(lv, yva).item()
            va = (lv.argmax(1) == yva).float().mean().item()
        rec = {"epoch": epoch + 1, "loss": round(tot / len(train), 4), "val_loss": round(vl, 4),
               "val_acc": round(va, 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 12},
               out / "tarot_suit_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["task_trivial_or_leak"],
           checkpoint="tarot_suit_mlp.pt", log="suit_train.jsonl",
           what="MLP tarot suit from scanner measurements, deck_pos (stack order) among the inputs",
           complaint=("Tarot card suit from our scanner's measurements (colour stats, symbol "
                      "count, etc.), 5 classes. Val accuracy 0.88 after the first epoch and "
                      "0.97 after 12, train loss 0.047. Honestly this is better than I "
                      "expected: the wands/pentacles palettes overlap a lot and the symbol "
                      "count is noisy. My colleague doesn't trust it. Should we?"))


if __name__ == "__main__":
    main()
