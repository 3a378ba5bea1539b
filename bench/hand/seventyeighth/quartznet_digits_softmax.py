"""A QuartzNet-style CTC recogniser of spoken-digit-like strings, tiny: an utterance is 3–5
"phones" out of 8 (each a spectral template of two formant bumps over 20 mel bins, held for 4–8
frames with a slow amplitude drift, short silences between, noise 0.2), 64 frames in all,
padded with silence; the label is the phone string. QuartzNet 5×… shrunk: a prologue conv
(k 11, stride 2, 48 channels), 3 residual blocks of 2 time-channel separable convs each
(depthwise k 9 / 13 / 17 + pointwise 1×1, BatchNorm, ReLU, the block's input added back through
a 1×1 + BN before the last ReLU), an epilogue conv 1×1 to 64 and the decoder, a 1×1 Conv1d to the 8
phones + blank. ``nn.CTCLoss(blank=0, zero_infinity=True)`` on the log-probabilities, AdamW
3e-3 (weight decay 1e-3), batch 32, 8 epochs of 768 utterances, greedy decoding for the CER. A
JSON-lines log per epoch (``epoch``, ``ctc_loss``, ``val_ctc_loss``, ``val_cer``,
``val_exact``) and a checkpoint ``{"state_dict_model", "optimizer_adamw", "epoch",
"labels"}``.

The bug: the author made the model "return probabilities, so the greedy decoder and the demo
can use it directly" — ``forward`` ends in ``.softmax(dim=1)`` — and the training step still
turns its output into log-probabilities with ``.log_softmax(dim=1)`` for the CTC loss, as the
recipe does with logits. The loss sees log_softmax(softmax(z)): 9 numbers in [0, 1] pushed
through a second softmax, so no frame can give more than e/(e + 8) ≈ 0.25 to any symbol and the
CTC alignment stays near uniform. The loss falls from 12.2 to 9.6 in three epochs and stops
there (val 9.25); greedy decoding drifts to the blank everywhere: val CER 0.83 → 1.00 from
epoch 5 on, exact 0.00 at every epoch. The control (``forward`` returns the logits) sits on the
CTC plateau for 3 epochs (val CER 0.80) and then drops: CTC 0.091, val CTC 0.084, val CER 0.019,
exact 0.93."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

MELS, FRAMES, PHONES = 20, 64, 8
LABELS = ["_"] + [f"p{i}" for i in range(PHONES)]


def utterances(n, g):
    bins = torch.arange(MELS).float()
    formants = torch.rand(PHONES, 2, generator=g) * (MELS - 4) + 2
    templates = (torch.exp(-(bins - formants[:, :1]) ** 2 / 3)
                 + 0.7 * torch.exp(-(bins - formants[:, 1:]) ** 2 / 3))  # (PHONES, MELS)
    x = 0.2 * torch.randn(n, MELS, FRAMES, generator=g)
    targets = torch.zeros(n, 5, dtype=torch.long)
    lengths = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        k = int(torch.randint(3, 6, (1,), generator=g))
        t = int(torch.randint(0, 6, (1,), generator=g))
        for j in range(k):
            p = int(torch.randint(0, PHONES, (1,), generator=g))
            d = int(torch.randint(4, 9, (1,), generator=g))
            amp = 0.8 + 0.4 * torch.rand(1, generator=g) + 0.2 * torch.linspace(-1, 1, d)
            x[i, :, t:t + d] += templates[p][:, None] * amp
            targets[i, j] = p + 1
            t += d + int(torch.randint(1, 4, (1,), generator=g))
        lengths[i] = k
    return x, targets, lengths


class SepConv(nn.Sequential):
    def __init__(self, c, k):
        super().__init__(nn.Conv1d(c, c, k, padding=k // 2, groups=c), nn.Conv1d(c, c, 1),
                         nn.BatchNorm1d(c))


class Block(nn.Module):
    def __init__(self, c, k):
        super().__init__()
        self.sub1, self.sub2 = SepConv(c, k), SepConv(c, k)
        self.res = nn.Sequential(nn.Conv1d(c, c, 1), nn.BatchNorm1d(c))

    def forward(self, x):
        return F.relu(self.sub2(F.relu(self.sub1(x))) + self.res(x))


class QuartzNet(nn.Module):
    def __init__(self, c=48):
        super().__init__()
        self.prologue = nn.Sequential(nn.Conv1d(MELS, c, 11, 2, 5), nn.BatchNorm1d(c), nn.ReLU())
        self.blocks = nn.Sequential(Block(c, 9), Block(c, 13), Block(c, 17))
        self.epilogue = nn.Sequential(nn.Conv1d(c, 64, 1), nn.BatchNorm1d(64), nn.ReLU())
        self.decoder = nn.Conv1d(64, PHONES + 1, 1)

    def forward(self, mel):  # (B, MELS, FRAMES) -> (B, PHONES + 1, FRAMES // 2)
        logits = self.decoder(self.epilogue(self.blocks(self.prologue(mel))))
        return logits.softmax(dim=1)  # probabilities for the greedy decoder / demo


def build():
    torch.manual_seed(0)
    return QuartzNet()


def greedy(out):
    best = out.argmax(1)  # (B, T)
    seqs = []
    for row in best.tolist():
        s, prev = [], 0
        for c in row:
            if c != prev and c != 0:
                s.append(c)
            prev = c
        seqs.append(s)
    return seqs


def edit(a, b):
    d = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, d[0] = d[0], i
        for j, cb in enumerate(b, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (ca != cb))
    return d[-1]


def main():
    from _seventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, tg, ln = utterances(896, g)
    xtr, ttr, ltr, xva, tva, lva = x[:768], tg[:768], ln[:768], x[768:], tg[768:], ln[768:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-3)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)

    def ctc_loss(out, t, lens):
        logp = out.log_softmax(dim=1).permute(2, 0, 1)  # (T, B, C) for CTCLoss
        in_lens = torch.full((len(t),), logp.shape[0], dtype=torch.long)
        return ctc(logp, t, in_lens, lens)

    log = open(out / "asr_log.jsonl", "w")
    for epoch in range(8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            loss = ctc_loss(model(xtr[idx]), ttr[idx], ltr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            o = model(xva)
            vloss = ctc_loss(o, tva, lva).item()
        hyp = greedy(o)
        ref = [t[:n].tolist() for t, n in zip(tva, lva, strict=False)]
        errs = sum(edit(h, r) for h, r in zip(hyp, ref, strict=False))
        row = {"epoch": epoch + 1, "ctc_loss": round(tot / len(xtr), 4),
               "val_ctc_loss": round(vloss, 4),
               "val_cer": round(errs / int(lva.sum()), 4),
               "val_exact": round(sum(h == r for h, r in zip(hyp, ref, strict=False)) / len(ref), 4)}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"state_dict_model": model.state_dict(), "optimizer_adamw": opt.state_dict(),
                "epoch": 8, "labels": LABELS}, out / "quartznet_tiny.ckpt")
    finish(out, __file__, {"inputs": xva[:64], "targets": tva[:64], "target_lengths": lva[:64]}, causes=["activation_before_softmax"],
           checkpoint="quartznet_tiny.ckpt", log="asr_log.jsonl",
           what="QuartzNet-lite CTC; forward returns softmax probabilities, the loop "
                "log_softmaxes them again",
           complaint="The CTC loss goes from 12 to about 9.6 in the first few epochs and "
                     "then stays flat, and greedy decoding gives me empty strings for every "
                     "utterance, so CER is 100%. Same on train and validation.")


if __name__ == "__main__":
    main()
