"""Non-chord-tone tagging of folk-tune melodies (a music-theory helper that marks each note as
a chord tone, a passing tone or a neighbour tone): a BiGRU over interval tokens (the step
from the previous note in scale degrees, −4..+4 → 1–9, 10 for the first note; 0 = padding)
tags every note. Synthetic tunes of 8–24 notes move by steps (±1) or by
leaps (±2..4, probability 0.45); a note between two steps in the same direction is a passing
tone (1), between two steps in opposite directions a neighbour tone (2), anything else (leaps,
first and last note) a chord tone (0). The tunes and their tag lists are batched with
``pad_sequence(batch_first=True)`` over the whole collection (96 slots, the longest medley), so
padding is token 0 and tag 0. Embedding 16, one bidirectional GRU of 32 per direction, a linear
head over 3 tags. Adam 1e-3, batch 32, 6 epochs of 1000 tunes; a CSV log per epoch with the
train loss, val loss and val tag accuracy.
Bug: ``F.cross_entropy(logits.flatten(0, 1), tags.flatten())`` over every slot, no
``ignore_index`` and no length mask (and the accuracy likewise): five sixths of the targets are
padding slots tagged 0 ("chord tone"), so the loss and the accuracy are mostly padding and the
tagger is pulled towards "chord tone". Logged val accuracy 0.98 and val loss 0.062 at epoch 6,
but on the real notes: accuracy 0.884, cross-entropy 0.37, passing-tone recall 0.44,
neighbour-tone recall 0.71. The control (padding tags set to −100) tags every real note right
(accuracy 1.000, recall 1.0 for all three tags, real-note cross-entropy 0.066) from epoch 4."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence

T = 96


def tune(g):
    n = int(torch.randint(8, 25, (1,), generator=g))
    d = [int(torch.randint(4, 12, (1,), generator=g))]
    for _ in range(n - 1):
        if float(torch.rand(1, generator=g)) < 0.45:
            s = int(torch.randint(2, 5, (1,), generator=g))
        else:
            s = 1
        s = s if float(torch.rand(1, generator=g)) < 0.5 else -s
        if not 1 <= d[-1] + s <= 15:
            s = -s
        d.append(d[-1] + s)
    tags = [0] * n
    for i in range(1, n - 1):
        a, b = d[i] - d[i - 1], d[i + 1] - d[i]
        if abs(a) == 1 and abs(b) == 1:
            tags[i] = 1 if a == b else 2
    steps = [10] + [5 + d[i] - d[i - 1] for i in range(1, n)]  # interval tokens, 10 = first
    return torch.tensor(steps), torch.tensor(tags)


def collection(n, g):
    notes, tags = zip(*[tune(g) for _ in range(n)], strict=True)
    notes = list(notes) + [torch.zeros(T, dtype=torch.long)]  # the longest medley sets the width
    tags = list(tags) + [torch.zeros(T, dtype=torch.long)]
    return pad_sequence(notes, batch_first=True)[:n], pad_sequence(tags, batch_first=True)[:n]


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(11, 16)
        self.gru = nn.GRU(16, 32, batch_first=True, bidirectional=True)
        self.head = nn.Linear(64, 3)

    def forward(self, x):
        return self.head(self.gru(self.emb(x))[0])


def build():
    torch.manual_seed(0)
    return Tagger()


def main():
    from _hundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = collection(1000, g)
    xva, yva = collection(300, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "nct_tagger.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
    for epoch in range(6):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits.flatten(0, 1), ytr[idx].flatten())
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = F.cross_entropy(lo.flatten(0, 1), yva.flatten()).item()
            pred = lo.argmax(-1)
            acc = (pred == yva).float().mean().item()
            real = xva != 0
            rec = [((pred == k) & (yva == k) & real).sum().item() / max(((yva == k) & real).sum().item(), 1)
                   for k in range(3)]
        w.writerow([epoch + 1, round(tot / len(xtr), 4), round(vl, 4), round(acc, 4)])
        print(epoch + 1, round(tot / len(xtr), 4), round(vl, 4), round(acc, 4), "| notes:",
              round(F.cross_entropy(lo[real], yva[real]).item(), 4),
              round((pred[real] == yva[real]).float().mean().item(), 4),
              "recall", [round(r, 3) for r in rec], "real", round(real.float().mean().item(), 3))
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 6, "tags": ["chord", "passing", "neighbour"]}, out / "nct_bigru.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_ignores_padding"],
           checkpoint="nct_bigru.tar", log="nct_tagger.csv",
           what="BiGRU non-chord-tone tagger, padding slots (tag 0) counted in the loss",
           complaint="My non-chord-tone tagger logs val accuracy 0.98 and val loss 0.062 after 6 "
                     "epochs, but when I check its tags on real tunes it finds only 44 % of the "
                     "passing tones and 71 % of the neighbour tones; almost everything gets "
                     "called a chord tone.")


if __name__ == "__main__":
    main()
