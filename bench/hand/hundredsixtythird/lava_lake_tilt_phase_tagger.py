"""Volcanology: a bidirectional GRU tags every 10-minute step of a summit tiltmeter record at a
lava-lake volcano with its deformation phase — quiet, inflation (magma accumulating, slow
steady radial tilt up), deflation (drain-back or a flank eruption, fast tilt down) and recovery
(re-inflation after a deflation, fast then slowing) — the DI-event (deflation–inflation)
cycles of a Kīlauea-style summit. The tilt rate (µrad per step, with instrument and wind noise
std 0.45) is binned into 15 tokens (ids 1–15); records come from several stations and telemetry
windows, most are short (8–48 steps) and a few are long (up to 128), so each batch is
right-padded with 0 to the longest record of the whole export (128), and the tags with 0 too
(tags 1–4). Embedding 16, a 1-layer bidirectional GRU of 32 per direction, a linear tagger of 5
outputs (0 = pad). SGD 0.03 with momentum 0.9, batch 32, 6 epochs of 800 records; a CSV log
per epoch (train loss, val loss, val accuracy and deflation recall over the real steps).
Bug: the loss is ``F.cross_entropy(logits.reshape(-1, 5), tags.reshape(-1))`` over all 128
positions, padding included (no ``ignore_index=0``, no mask; the val loss the same way), and
81 % of the positions are padding: the loss is mostly "pad after pad", the real steps get a
fifth of the gradient. Train loss 0.91 → 0.15, val loss 0.58 → 0.15 (low-looking), but over
the real steps val accuracy is 0.00 after epoch 1 (every step tagged pad), then 0.55, 0.63,
0.68, 0.69, 0.71, deflation recall 0.95. The control (``ignore_index=0`` in both losses)
reaches val accuracy 0.65 after epoch 1 and 0.83 after 6, deflation recall 0.98, val loss
(real steps) 0.41. In the broken run quiet is tagged right 57 % of the time (35 % inflation),
recovery 51 %.
"""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T_MAX, N_TOK = 128, 15
PHASES = ["pad", "quiet", "inflation", "deflation", "recovery"]
RATE = {1: (0.0, 0.0), 2: (0.5, 0.0), 3: (-1.6, 0.0), 4: (1.6, -0.15)}


def record(g):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    n = int(8 + 40 * r() ** 2) if r() < 0.93 else int(48 + 80 * r())
    tags, rates = [], []
    phase = 1 + int(torch.randint(0, 4, (1,), generator=g))
    while len(tags) < n:
        dur = int(torch.randint(4, 14, (1,), generator=g))
        base, decay = RATE[phase]
        for k in range(dur):
            rates.append(base * (1 + decay * k if phase == 4 else 1) + 0.45 * float(
                torch.randn(1, generator=g)))
            tags.append(phase)
        phase = {1: 2, 2: 3 if r() < 0.6 else 1, 3: 4, 4: 2 if r() < 0.5 else 1}[phase]
    rates, tags = torch.tensor(rates[:n]), torch.tensor(tags[:n])
    toks = (((rates + 3.0) / 6.0) * N_TOK).long().clamp(0, N_TOK - 1) + 1
    return toks, tags


def records(n, g):
    x = torch.zeros(n, T_MAX, dtype=torch.long)
    y = torch.zeros(n, T_MAX, dtype=torch.long)
    for i in range(n):
        toks, tags = record(g)
        x[i, :len(toks)], y[i, :len(tags)] = toks, tags
    return x, y


class TiltTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(N_TOK + 1, 16, padding_idx=0)
        self.gru = nn.GRU(16, 32, batch_first=True, bidirectional=True)
        self.out = nn.Linear(64, 5)

    def forward(self, tokens):
        h, _ = self.gru(self.emb(tokens))
        return self.out(h)


def build():
    torch.manual_seed(0)
    return TiltTagger()


def scores(logits, tags):
    real = tags > 0
    pred = logits.argmax(-1)
    acc = (pred[real] == tags[real]).float().mean().item()
    defl = tags == 3
    return acc, (pred[defl] == 3).float().mean().item()


def main():
    from _hundredsixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = records(800, g)
    xva, yva = records(300, g)
    print("padding share:", (xtr == 0).float().mean().item())
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    f = open(out / "tilt_tagger_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_loss", "val_acc", "val_deflation_recall"])
    for epoch in range(6):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits.reshape(-1, 5), ytr[idx].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = F.cross_entropy(lo.reshape(-1, 5), yva.reshape(-1)).item()
        acc, rec = scores(lo, yva)
        row = [epoch, round(tot / len(xtr), 4), round(vl, 4), round(acc, 4), round(rec, 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": 5,
                "phases": PHASES, "t_max": T_MAX}, out / "tilt_tagger.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_ignores_padding"],
           checkpoint="tilt_tagger.pth", log="tilt_tagger_log.csv",
           what="BiGRU tiltmeter phase tagger, cross-entropy averaged over the padding too",
           complaint="The phase tagger for our summit tiltmeter looks converged, train and val "
                     "loss both 0.15 after 6 epochs, but when I check the tags only 71 % of "
                     "the real 10-minute steps are right, and after the first epoch it tagged "
                     "every step as padding (accuracy 0.00). A third of the quiet steps come "
                     "out as inflation and only half of the recovery steps are right. How can "
                     "the loss be this low when the tags are this bad?")


if __name__ == "__main__":
    main()
