"""Speech recognition, DeepSpeech-style: a conv front end over a log spectrogram, a bidirectional
GRU and a per-frame classifier trained with CTC, on synthetic "spoken digit strings": each of 5
words (ids 1–5, 0 is the CTC blank) is a 4–7 frame burst of energy in its own two formant bands
of a 24-bin power spectrogram (with a little jitter), separated by 1–3 frames of background
noise; 2–4 words per utterance, so utterances are 14–40 frames long and are zero-padded to 40
frames in the batch (the collate pads the power spectrogram with 0). The model owns its front
end (log compression, normalisation by the training set's mean and std), then conv 1-D 32
(kernel 5) + ReLU, a 1-layer bidirectional GRU of 32, a linear layer to 6 classes. Adam 5e-3,
batch 16, 12 epochs of 640 utterances; a CSV log every 20 steps with the CTC loss and, per
epoch, the validation CTC loss and the greedy word error rate.
Bug: the front end is ``torch.log(spec)``, written and tried on a single unpadded utterance
(whose background noise is never exactly 0); in a batch the zero padding gives log(0) = -inf,
the convolution turns the -inf frames and their neighbours into NaN, and the bidirectional
GRU carries the NaN into every frame: the CTC loss is NaN from the first step and the weights are
NaN after the first update. (The control, ``torch.log(spec + 1e-6)``, reaches val CTC 0.069, val WER 0.06.)"""
import csv
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

BINS, T_MAX, WORDS = 24, 40, 5
LOG_EPS = 0.0  # the bug: torch.log(spec) (control: 1e-6)
FEAT_MEAN, FEAT_STD = -3.5, 2.0


def utterances(n, g):
    spec = torch.zeros(n, BINS, T_MAX)
    lengths, labels, label_lens = torch.zeros(n, dtype=torch.long), [], []
    bands = torch.tensor([[2, 9], [4, 15], [7, 19], [11, 21], [5, 12]])
    for i in range(n):
        k = int(torch.randint(2, 5, (1,), generator=g))
        words = torch.randint(1, WORDS + 1, (k,), generator=g)
        t, frames = 0, []  # noqa: F841
        for w in words:
            gap = int(torch.randint(1, 4, (1,), generator=g))
            dur = int(torch.randint(4, 8, (1,), generator=g))
            frame = 0.02 * torch.rand(BINS, gap + dur, generator=g) + 1e-3
            for b in bands[w - 1]:
                bb = int(b + torch.randint(-1, 2, (1,), generator=g))
                frame[bb, gap:] += 1.0 + 0.5 * torch.rand(dur, generator=g)
            frames.append(frame)
        frames.append(0.02 * torch.rand(BINS, 2, generator=g) + 1e-3)
        u = torch.cat(frames, 1)[:, :T_MAX]
        spec[i, :, :u.shape[1]] = u
        lengths[i] = u.shape[1]
        labels.append(words)
        label_lens.append(k)
    targets = torch.zeros(n, 4, dtype=torch.long)
    for i, w in enumerate(labels):
        targets[i, :len(w)] = w
    return spec, lengths, targets, torch.tensor(label_lens)


class DeepSpeechLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(BINS, 32, 5, padding=2)
        self.rnn = nn.GRU(32, 32, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(64, WORDS + 1)

    def forward(self, spec):
        feats = torch.log(spec + LOG_EPS)
        feats = (feats - FEAT_MEAN) / FEAT_STD  # global statistics of the training set
        h = F.relu(self.conv(feats)).transpose(1, 2)
        h, _ = self.rnn(h)
        return self.fc(h)  # (B, T, classes)


def build():
    torch.manual_seed(0)
    return DeepSpeechLite()


def ctc(model, spec, lengths, targets, tlens):
    logp = model(spec).log_softmax(-1).transpose(0, 1)
    flat = torch.cat([t[:n] for t, n in zip(targets, tlens)])  # noqa: B905
    return F.ctc_loss(logp, flat, lengths, tlens)


def wer(model, spec, lengths, targets, tlens):
    with torch.no_grad():
        best = model(spec).argmax(-1)
    errs = 0
    for b, n, t, k in zip(best, lengths, targets, tlens):  # noqa: B905
        seq, prev = [], 0
        for c in b[:n].tolist():
            if c != prev and c != 0:
                seq.append(c)
            prev = c
        errs += int(seq != t[:k].tolist())
    return errs / len(spec)


def main():
    from _ninetieth import finish, out_dir
    global LOG_EPS
    if "--control" in sys.argv:
        LOG_EPS = 1e-6
        sys.argv.remove("--control")
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    spec, lens, tg, tl = utterances(800, g)
    tr, va = slice(0, 640), slice(640, 800)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    f = open(out / "ctc_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "step", "ctc_loss", "val_ctc_loss", "val_wer"])
    step = 0
    for epoch in range(12):
        model.train()
        for idx in torch.randperm(640, generator=g).split(16):
            loss = ctc(model, spec[tr][idx], lens[tr][idx], tg[tr][idx], tl[tr][idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 20 == 0 and step % 40 != 0:
                w.writerow([epoch + 1, step, f"{loss.item():.4f}", "", ""])
        model.eval()
        with torch.no_grad():
            vl = ctc(model, spec[va], lens[va], tg[va], tl[va]).item()
        vw = wer(model, spec[va], lens[va], tg[va], tl[va])
        w.writerow([epoch + 1, step, f"{loss.item():.4f}", f"{vl:.4f}", f"{vw:.4f}"])
        print(epoch + 1, loss.item(), vl, vw)
    f.close()
    torch.save({"acoustic_model": model.state_dict(), "adam": opt.state_dict(),
                "epoch": 12, "global_step": step, "vocab": ["<blank>", "w1", "w2", "w3", "w4",
                                                             "w5"]}, out / "deepspeech_e12.pt")
    finish(out, __file__, (spec[va][:32], tg[va][:32]), causes=["numerical_log_or_div_zero"],
           checkpoint="deepspeech_e12.pt", log="ctc_train.csv",
           what="DeepSpeech-style conv + biGRU CTC model, torch.log(spec) on zero-padded batches",
           complaint="My CTC speech model prints nan for the loss from the very first logging "
                     "step and the word error rate is 1.0 for every epoch. Single utterances "
                     "looked fine when I tested the feature code.")


if __name__ == "__main__":
    main()
