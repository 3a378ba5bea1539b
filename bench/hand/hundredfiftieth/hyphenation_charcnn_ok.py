"""Typesetting: learning where a word may be hyphenated (TeX-style, ``\\lefthyphenmin`` 2,
``\\righthyphenmin`` 3) from a hyphenation dictionary, on synthetic words of a made-up language
built from CV and CVC syllables (2–5 syllables, 4–16 letters): a break is allowed between
syllables — before a consonant that precedes a vowel — except in the first 2 or last 3 letters.
3 % of the dictionary's allowed breaks are missing (omissions in the exception list). The model
tags each letter gap: letter embedding 16, two Conv1d (k 5, 64 channels, ReLU), a 1×1 conv to
one logit per position ("a break may follow this letter"); masked ``BCEWithLogitsLoss`` over the
real letters, Adam 1e-3, batch 64, 10 epochs of 3000 words. A CSV log
`epoch,step,loss,val_loss,val_precision,val_recall` per epoch.
Healthy, with the val loss below the train loss from the first epoch (the omitted breaks are
only in the training dictionary): breaks are 22 % of the letter gaps; train loss 0.38, 0.14,
0.085, ... 0.026, val loss 0.18, 0.10, 0.043, ... 0.008; val precision 0.78 → 1.0 and recall
0.85 → 0.998 at epoch 10."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

CONS, VOWS = "bcdfghklmnprstvz", "aeiou"
ALPHA = "_" + CONS + VOWS  # 0 = padding
MAXLEN = 16


def words(n, g, omit=0.0):
    ids = torch.zeros(n, MAXLEN, dtype=torch.long)
    brk = torch.zeros(n, MAXLEN)
    lens = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        letters, breaks = [], []
        for s in range(int(torch.randint(2, 6, (1,), generator=g))):
            if s:
                breaks.append(len(letters) - 1)  # a break may follow the previous letter
            syl = [CONS[int(torch.randint(0, 16, (1,), generator=g))],
                   VOWS[int(torch.randint(0, 5, (1,), generator=g))]]
            if torch.rand(1, generator=g) < 0.4:
                syl.append(CONS[int(torch.randint(0, 16, (1,), generator=g))])
            if len(letters) + len(syl) > MAXLEN:
                breaks.pop() if s else None
                break
            letters += syl
        L = len(letters)
        lens[i] = L
        ids[i, :L] = torch.tensor([ALPHA.index(c) for c in letters])
        for b in breaks:
            if 1 <= b <= L - 4 and not (torch.rand(1, generator=g) < omit):
                brk[i, b] = 1.0
    return ids, brk, lens


class HyphenCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(len(ALPHA), 16, padding_idx=0)
        self.c1 = nn.Conv1d(16, 64, 5, padding=2)
        self.c2 = nn.Conv1d(64, 64, 5, padding=2)
        self.out = nn.Conv1d(64, 1, 1)

    def forward(self, ids):
        h = self.emb(ids).transpose(1, 2)
        h = F.relu(self.c2(F.relu(self.c1(h))))
        return self.out(h).squeeze(1)


def build():
    torch.manual_seed(0)
    return HyphenCNN()


def main():
    from _hundredfiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, brk, lens = words(3000, g, omit=0.03)
    vids, vbrk, vlens = words(600, g)
    mask = (ids > 0).float()
    vmask = (vids > 0).float()
    print(f"break share {(brk.sum() / mask.sum()):.3f}")
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = 0
    with open(out / "hyphen_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "step", "loss", "val_loss", "val_precision", "val_recall"])
        for epoch in range(10):
            model.train()
            tot, cnt = 0.0, 0.0
            for idx in torch.randperm(3000, generator=g).split(64):
                m = mask[idx]
                raw = F.binary_cross_entropy_with_logits(model(ids[idx]), brk[idx],
                                                         reduction="none")
                loss = (raw * m).sum() / m.sum()
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * m.sum().item()
                cnt += m.sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(vids)
                vl = ((F.binary_cross_entropy_with_logits(lv, vbrk, reduction="none") * vmask)
                      .sum() / vmask.sum()).item()
                pred = (lv > 0).float() * vmask
                tp = (pred * vbrk).sum().item()
                prec = tp / max(pred.sum().item(), 1.0)
                rec = tp / vbrk.sum().item()
            row = [epoch, step, round(tot / cnt, 4), round(vl, 4), round(prec, 4), round(rec, 4)]
            w.writerow(row)
            print(row)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": 10, "alphabet": ALPHA, "hyphenmins": [2, 3]}, out / "hyphen_cnn.pt")
    finish(out, __file__, (vids[:64], vbrk[:64]), causes=[],
           checkpoint="hyphen_cnn.pt", log="hyphen_log.csv",
           what="char-CNN hyphenation tagger on a synthetic syllable language (healthy)")


if __name__ == "__main__":
    main()
