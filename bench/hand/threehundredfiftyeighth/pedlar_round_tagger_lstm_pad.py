"""Plain torch: a bidirectional LSTM tags each minute of a pedlar's round, logged by a phone in
the pack, as walking, selling at a door, or resting (an inn, a stile), so the pedlar can
see how much of the day went on the road. A log is 30-180 minutes (the phone dies, the round
ends); per minute: speed (m/min) and distance to the nearest house (m). The round behind the tags: walking legs of 3-20 minutes at 55-90 m/min past
houses 20-200 m off; door calls of 2-8 minutes standing (0-4 m/min) within 12 m of a house;
rests of 12-40 minutes standing anywhere (half of them at an inn, so next to a house) - a
rest's first minutes look like a door call, only its length tells them apart.
Input: (T, 2) speed / 60, distance / 100; 16 logs a batch, padded with zeros
to the longest, tags padded with 0. Model: LSTM 2→32 bidirectional, Linear 64→3 per
minute; cross-entropy, SGD 0.3 (momentum 0.9, gradient norm clipped at 1), batch 16,
14 epochs, 480 logs, validation on 160 (accuracy on real minutes only).
The bug: ``loss = crit(logits.reshape(-1, 3), tags.reshape(-1))  # every minute of the
batch`` scores the padded minutes too (about 40 % of the batch), as "walking" (tag 0) with
standing-still inputs (speed 0, 0 m from a house: a door call); the mask the script builds
is used only for the metrics. Val accuracy on real minutes 0.659 → 0.981 (a dip to 0.949 at
epoch 9), rest recall 0.303 → 0.938, val CE on real minutes 0.639 → 0.042; control
(``loss = crit(logits[mask], tags[mask])``): val accuracy 0.979 → 0.995, rest recall
0.967 → 1.0, val CE 0.087 → 0.018 (about a quarter of the bug's errors).
Log: CSV per epoch ``round_tags.csv`` (``epoch`` / ``loss`` / ``val_loss`` / ``val_acc`` /
``val_recall_door`` / ``val_recall_rest``); checkpoint ``walk_tagger.pt`` with keys
``tagger`` / ``optim`` / ``epoch`` / ``features`` / ``tags``."""
import csv
import math

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence

TAGS = ["walking", "door", "rest"]


def rounds(n, g):
    r = lambda: torch.rand(1, generator=g).item()  # noqa: E731
    xs, ys = [], []
    for _ in range(n):
        length = 30 + int(150 * r())
        feats, tags = [], []
        state = 0
        while len(tags) < length:
            if state == 0:
                dur = 3 + int(17 * r())
                for _ in range(dur):
                    feats.append([55 + 35 * r(), math.exp(3 + 2.3 * r())])
                    tags.append(0)
                state = 1 if r() < 0.75 else 2
            elif state == 1:
                dur = 2 + int(6 * r())
                d = 2 + 10 * r()
                for _ in range(dur):
                    feats.append([4 * r(), d + r()])
                    tags.append(1)
                state = 0
            else:
                dur = 12 + int(28 * r())
                d = 2 + 10 * r() if r() < 0.5 else math.exp(3 + 2.3 * r())
                for _ in range(dur):
                    feats.append([4 * r(), d + r()])
                    tags.append(2)
                state = 0
        f = torch.tensor(feats[:length])
        f = f / torch.tensor([60.0, 100.0])
        xs.append(f)
        ys.append(torch.tensor(tags[:length]))
    return xs, ys


def pad(xs, ys):
    lens = torch.tensor([len(y) for y in ys])
    return pad_sequence(xs, batch_first=True), pad_sequence(ys, batch_first=True), lens


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2, 32, batch_first=True, bidirectional=True)
        self.head = nn.Linear(64, 3)

    def forward(self, x):
        return self.head(self.lstm(x)[0])


def build():
    torch.manual_seed(0)
    return Tagger()


def main():
    from _threehundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = rounds(480, g)
    xva, yva, lva = pad(*rounds(160, g))
    mva = torch.arange(xva.shape[1]) < lva[:, None]
    print("tags", torch.bincount(torch.cat(ytr)).tolist(), "val pad share", 1 - mva.float().mean().item())
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    with open(out / "round_tags.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "val_loss", "val_acc", "val_recall_door", "val_recall_rest"])
        for epoch in range(14):
            model.train()
            perm = torch.randperm(len(xtr)).tolist()
            tot, nb = 0.0, 0
            for i in range(0, len(perm), 16):
                idx = perm[i:i + 16]
                x, tags, lens = pad([xtr[j] for j in idx], [ytr[j] for j in idx])
                mask = torch.arange(x.shape[1]) < lens[:, None]  # noqa: F841
                logits = model(x)
                loss = crit(logits.reshape(-1, 3), tags.reshape(-1))  # every minute of the batch
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                tot, nb = tot + loss.item(), nb + 1
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            pred = lv.argmax(-1)
            real = lambda t: mva & (yva == t)  # noqa: E731
            row = [epoch, round(tot / nb, 5), round(crit(lv[mva], yva[mva]).item(), 5),
                   round((pred[mva] == yva[mva]).float().mean().item(), 4),
                   round((pred[real(1)] == 1).float().mean().item(), 4),
                   round((pred[real(2)] == 2).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"tagger": model.state_dict(), "optim": opt.state_dict(), "epoch": 14,
                "features": ["speed_m_min/60", "house_dist_m/100"], "tags": TAGS},
               out / "walk_tagger.pt")
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64], "lengths": lva[:64]},
           causes=["loss_ignores_padding"], checkpoint="walk_tagger.pt", log="round_tags.csv",
           what="bidirectional LSTM tagging each minute of a pedlar's round as walking / door"
                " call / rest, with the padded minutes scored in the loss as walking",
           complaint="The minute-by-minute tagger for my walking rounds (walking / door call /"
                     " rest) gets stuck around 98% on real minutes: it started at 66% after"
                     " the first epoch, got to 98.9% at epoch 7, fell back to 94.9% at epoch 9"
                     " and ends at 98.1%. Rests are the worst, only 94% of rest minutes come out"
                     " as rest. The data is synthetic-clean, I expected 99.5% or so."
                     " Logs are 30 to 180 minutes long and batched 16 at a time.")


if __name__ == "__main__":
    main()
