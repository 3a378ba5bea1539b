"""Listen, Attend and Spell on synthetic spoken letters: a "word" is 3–6 letters of an
8-letter alphabet, each letter 3–5 frames of a 16-bin power spectrum with two letter-specific
formant peaks, a random loudness and a little background power; utterances are zero-padded (no
power) to the batch's longest. Features are the log power, standardised with the training set's
mean / std. Listener: a bidirectional GRU (32 per direction), one pyramidal layer (pairs of
frames concatenated, a second BiGRU), so the speller attends over T/2 steps. Speller: a GRU cell
(64) fed the previous letter embedding and the last context, dot-product attention (masked to
the real frames), an MLP to 8 letters + <eos>; teacher forcing, cross-entropy, Adam 3e-3, batch
32, 6 epochs of 768 utterances; a CSV log every 4 steps (``step``, ``ce``) and per epoch the
validation ``val_ce`` / ``val_char_acc`` (teacher-forced).
Bug: ``feats = torch.log(power)`` — the log-mel recipe's ``+ 1e-6`` was dropped when the
feature code was rewritten; the zero-padded frames give log 0 = −inf, the training mean is −inf
and every standardised feature NaN (−inf − (−inf)), so the loss is NaN from the first step and
the weights become NaN after the first Adam update; val char accuracy 0.096 (the argmax of NaN
logits). (Control with ``torch.log(power + 1e-6)``: val cross-entropy 1.71 → 0.45 → 0.50, val
char accuracy 0.84.)"""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

BINS, LETTERS, EOS = 16, 8, 8


def utterances(n, g):
    centres = torch.rand(LETTERS, 2, generator=g) * (BINS - 2) + 1
    bins = torch.arange(BINS).float()
    words, frames = [], []
    for _ in range(n):
        word = torch.randint(0, LETTERS, (int(torch.randint(3, 7, (1,), generator=g)),),
                             generator=g)
        loud = 0.3 + float(torch.rand(1, generator=g))
        fr = []
        for c in word.tolist():
            for _ in range(int(torch.randint(3, 6, (1,), generator=g))):
                spec = sum(torch.exp(-(bins - centres[c, k]) ** 2 / 1.5) for k in range(2))
                fr.append(loud * spec + 0.05 * torch.rand(BINS, generator=g))
        words.append(word)
        frames.append(torch.stack(fr))
    T = max(len(f) for f in frames)
    T += T % 2
    power = torch.zeros(n, T, BINS)
    lengths = torch.tensor([len(f) for f in frames])
    for i, f in enumerate(frames):
        power[i, :len(f)] = f
    L = max(len(w) for w in words) + 1
    tgt = torch.full((n, L), -100)
    for i, w in enumerate(words):
        tgt[i, :len(w)] = w
        tgt[i, len(w)] = EOS
    return power, lengths, tgt


class LAS(nn.Module):
    def __init__(self):
        super().__init__()
        self.listen1 = nn.GRU(BINS, 32, batch_first=True, bidirectional=True)
        self.listen2 = nn.GRU(128, 32, batch_first=True, bidirectional=True)
        self.embed = nn.Embedding(LETTERS + 2, 32)  # letters, <eos>, <sos>
        self.cell = nn.GRUCell(32 + 64, 64)
        self.out = nn.Sequential(nn.Linear(128, 64), nn.Tanh(), nn.Linear(64, LETTERS + 1))

    def forward(self, feats, lengths, tgt_in):
        h, _ = self.listen1(feats)
        b, t, d = h.shape
        h, _ = self.listen2(h.reshape(b, t // 2, 2 * d))      # pyramid: T → T/2
        mask = torch.arange(t // 2)[None] < ((lengths + 1) // 2)[:, None]
        s = h.new_zeros(b, 64)
        ctx = h.new_zeros(b, 64)
        logits = []
        for i in range(tgt_in.shape[1]):
            s = self.cell(torch.cat([self.embed(tgt_in[:, i]), ctx], -1), s)
            e = (h @ s[:, :, None]).squeeze(-1).masked_fill(~mask, -1e9)
            ctx = (F.softmax(e, -1)[:, :, None] * h).sum(1)
            logits.append(self.out(torch.cat([s, ctx], -1)))
        return torch.stack(logits, 1)


def shift(tgt):
    sos = torch.full((tgt.shape[0], 1), LETTERS + 1)
    return torch.cat([sos, tgt[:, :-1].clamp(min=0)], 1)


def build():
    torch.manual_seed(0)
    return LAS()


def main():
    from _seventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    power, lengths, tgt = utterances(960, g)
    feats = torch.log(power)
    mean, std = feats[:768].mean(), feats[:768].std()
    feats = (feats - mean) / std
    ftr, ltr, ttr = feats[:768], lengths[:768], tgt[:768]
    fva, lva, tva = feats[768:], lengths[768:], tgt[768:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    f = open(out / "las_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "step", "ce", "val_ce", "val_char_acc"])
    step = 0
    for epoch in range(6):
        model.train()
        for idx in torch.randperm(768, generator=g).split(32):
            logits = model(ftr[idx], ltr[idx], shift(ttr[idx]))
            loss = F.cross_entropy(logits.transpose(1, 2), ttr[idx], ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            step += 1
            if step % 4 == 0:
                w.writerow([epoch, step, round(loss.item(), 4), "", ""])
        model.eval()
        with torch.no_grad():
            lv = model(fva, lva, shift(tva))
        keep = tva != -100
        vce = F.cross_entropy(lv.transpose(1, 2), tva, ignore_index=-100).item()
        acc = (lv.argmax(-1) == tva)[keep].float().mean().item()
        w.writerow([epoch, step, "", round(vce, 4), round(acc, 4)])
        print(epoch, step, vce, acc)
    f.close()
    torch.save({"las": model.state_dict(), "adam": opt.state_dict(), "epoch": 6, "step": step,
                "feat_mean": mean, "feat_std": std}, out / "las_epoch6.tar")
    finish(out, __file__, {"inputs": fva[:64], "lengths": lva[:64], "tgt_in": shift(tva[:64]),
                           "targets": tva[:64]},
           causes=["numerical_log_or_div_zero"], checkpoint="las_epoch6.tar", log="las_log.csv",
           what="Listen-Attend-Spell on synthetic spoken letters, log power without an epsilon",
           complaint="The LAS model's loss is nan from the very first step and the validation "
                     "accuracy is 0 the whole run. I already added gradient clipping and it "
                     "changed nothing.")


if __name__ == "__main__":
    main()
