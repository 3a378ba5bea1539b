"""Diacritic restoration (a linguistics side project: put the accents back on text typed
without them), a character BiLSTM tagger on a synthetic language: 20 consonants in 4 classes
and 5 vowels; every character gets a tag — 0 (no mark: consonants, spaces and unmarked
vowels), 1 acute, 2 grave, 3 circumflex — and a vowel's mark is fixed by the classes of the
nearest consonants on its left and right (a 4 × 4 table: the heavier of the two classes, like
a tone rule of the orthography; the right one may sit in the next word). Words of 2–7 letters,
sentences of 8–32 characters, every sentence padded to ``MAX_LEN = 128`` (the tokenizer's
``padding="max_length"``) with id 0 and tag 0. Embedding 32, a 1-layer BiLSTM of 48 per
direction, a linear tagger. SGD lr 0.2, momentum 0.9 (the classic BiLSTM-tagger recipe),
batch 32, 7 epochs of 1000 sentences; a CSV log per epoch with the loss and accuracy over the
tags, and the F1 of the marked vowels (tags 1–3) on validation.
Bug: ``F.cross_entropy(logits.flatten(0, 1), tags.flatten())`` — the loss (and the accuracy)
averages over all 128 positions, the ~108 padding positions (84 %) included, and padding
carries the real label 0 ('no mark'); the mask is built but only used for the F1. The loss and
accuracy look fine (train loss 0.063, val accuracy 0.977 at epoch 7) because they are mostly
padding, while the real gradient is scaled by 0.16: the marked-vowel F1 is 0.27, 0.44, 0.46,
0.50, 0.50, 0.56, 0.60. The control (``F.cross_entropy(logits[mask], tags[mask])``) reaches
marked-vowel F1 0.998 (0.97 at epoch 4), train loss over real characters 0.023."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_LEN = 128
CONS = "bcdfghjklmnpqrstvwxz"
VOWELS = "aeiou"
VOCAB = ["<pad>", " "] + list(CONS) + list(VOWELS)
TABLE = torch.tensor([[0, 1, 2, 3], [1, 1, 2, 3], [2, 2, 2, 3], [3, 3, 3, 3]])


def sentence(g):
    r = lambda a, b: int(torch.randint(a, b + 1, (1,), generator=g))  # noqa: E731
    chars = []
    target = r(8, 32)
    while len(chars) < target:
        if chars:
            chars.append(" ")
        for k in range(r(2, 7)):
            if k % 2 == 0:
                chars.append(CONS[r(0, 19)])
            else:
                chars.append(VOWELS[r(0, 4)])
    chars = chars[:target]
    tags = [0] * len(chars)
    for i, c in enumerate(chars):
        if c in VOWELS:
            left = next((CONS.index(d) % 4 for d in reversed(chars[:i]) if d in CONS), 0)
            right = next((CONS.index(d) % 4 for d in chars[i + 1:] if d in CONS), 0)
            tags[i] = int(TABLE[left, right])
    return [VOCAB.index(c) for c in chars], tags


def corpus(n, g):
    ids = torch.zeros(n, MAX_LEN, dtype=torch.long)
    tags = torch.zeros(n, MAX_LEN, dtype=torch.long)  # padding: id 0, tag 0 ('no mark')
    for i in range(n):
        s, t = sentence(g)
        ids[i, :len(s)] = torch.tensor(s)
        tags[i, :len(t)] = torch.tensor(t)
    return ids, tags


class Diacritizer(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(len(VOCAB), 32, padding_idx=0)
        self.rnn = nn.LSTM(32, 48, batch_first=True, bidirectional=True)
        self.out = nn.Linear(96, 4)

    def forward(self, ids):
        h, _ = self.rnn(self.emb(ids))
        return self.out(h)


def build():
    torch.manual_seed(0)
    return Diacritizer()


def mark_f1(pred, tags, mask):
    p, t = pred[mask], tags[mask]
    tp = ((p == t) & (t > 0)).sum().item()
    return 2 * tp / max((p > 0).sum().item() + (t > 0).sum().item(), 1)


def main():
    from _hundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ttr = corpus(1000, g)
    xva, tva = corpus(400, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    f = open(out / "diacritics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "loss", "acc", "val_loss", "val_acc", "val_mark_f1"])
    for ep in range(1, 8):
        model.train()
        perm = torch.randperm(len(xtr))
        tl, ta, nb = 0.0, 0.0, 0
        for i in range(0, len(xtr), 32):
            ids, tags = xtr[perm[i:i + 32]], ttr[perm[i:i + 32]]
            mask = ids != 0
            logits = model(ids)
            loss = F.cross_entropy(logits.flatten(0, 1), tags.flatten())
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item()
            ta += (logits.argmax(-1) == tags).float().mean().item()
            nb += 1
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vmask = xva != 0
            row = [ep, round(tl / nb, 4), round(ta / nb, 4),
                   round(F.cross_entropy(lv.flatten(0, 1), tva.flatten()).item(), 4),
                   round((lv.argmax(-1) == tva).float().mean().item(), 4),
                   round(mark_f1(lv.argmax(-1), tva, vmask), 4)]
        w.writerow(row)
        print(row, mask.float().mean().item())
    f.close()
    torch.save({"model_state": model.state_dict(), "optim": opt.state_dict(), "ep": 6,
                "vocab": VOCAB, "max_len": MAX_LEN}, out / "diacritizer.pt")
    finish(out, __file__, (xva[:64], tva[:64]), causes=["loss_ignores_padding"],
           checkpoint="diacritizer.pt", log="diacritics.csv",
           what="character BiLSTM diacritic tagger, loss averaged over padding labelled 'no mark'",
           complaint="My accent-restoration tagger reports 97.7 % validation accuracy and a loss "
                     "of 0.06 after 7 epochs, but when I check the vowels that should get an "
                     "accent, the F1 is only 0.60 - it leaves out or mixes up a lot of the "
                     "accents. Why is the accuracy so high when the output is this bad?")


if __name__ == "__main__":
    main()
