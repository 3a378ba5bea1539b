"""Splice-site recognition (the UCI "primate splice-junction" task) on synthetic 40-nt DNA windows
centred on a candidate boundary: exon→intron (donor, ``GT`` at positions 20–21 with the
``MAG|GTRAGT`` consensus around it), intron→exon (acceptor, a pyrimidine-rich tract at 4–16,
``YAG`` at 17–19) and neither (background with the same dinucleotides scattered elsewhere,
decoy ``GT``/``AG`` pairs off the boundary, and some pyrimidine-rich stretches), 50 / 25 / 25 %
N / EI / IE, 3 % of the consensus letters mutated. A tiny transformer encoder written by hand:
token + learned position embeddings (d 32), 2 pre-LN blocks (4 heads, MLP 64, no dropout),
mean pooling, LayerNorm, a linear head for 3 classes. AdamW 3e-3, weight decay 0.01, batch 64,
8 epochs of 2400 windows; a CSV log every 20 steps (step, epoch, train loss) with the
validation loss / accuracy filled in at the end of each epoch.
Bug: the blocks are kept in a plain Python list (``self.blocks = [Block(D) for _ in
range(2)]``, written like ``self.layers = []`` in a C++ port), so ``model.parameters()`` — and
the AdamW built from it — never sees them: both transformer blocks stay at their random
initialisation (and are not even in the ``state_dict``), only the embeddings, the final
LayerNorm and the head train. Val accuracy 0.52, 0.57, 0.57, 0.56, 0.58, 0.60, 0.62, 0.64 over
8 epochs (N is half of the windows), val loss 0.90 → 0.71, train loss 0.60–0.91 at the logged
steps; the control (``nn.ModuleList``) reaches val accuracy 0.955, val loss 0.115, train loss
0.017 at the last step."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

L, D, VOCAB = 40, 32, "ACGT"
CLASSES = ["N", "EI", "IE"]


def windows(n, rng):
    x = rng.integers(0, 4, (n, L))
    y = rng.choice(3, n, p=[0.5, 0.25, 0.25])
    enc = {c: i for i, c in enumerate(VOCAB)}
    amb = {"Y": "CT", "R": "AG", "M": "AC"}

    def put(i, pos, s):
        for k, ch in enumerate(s):
            if ch in amb:
                ch = amb[ch][rng.integers(0, 2)]
            if rng.random() > 0.03:
                x[i, pos + k] = enc[ch]

    for i in range(n):
        for _ in range(2):  # decoy dinucleotides away from the boundary
            p = int(rng.integers(2, 36))
            if abs(p - 20) > 4:
                put(i, p, "GT" if rng.random() < 0.5 else "AG")
        if y[i] == 1:
            put(i, 17, "MAGGTRAGT")
        elif y[i] == 2:
            put(i, 4, "YYYYYYYYYYYYYCAG")
        elif rng.random() < 0.4:  # a pyrimidine-rich stretch somewhere
            put(i, int(rng.integers(0, 26)), "YYYYYYYYYYYY")
    return torch.from_numpy(x).long(), torch.from_numpy(y).long()


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, h):
        a = self.ln1(h)
        h = h + self.attn(a, a, a, need_weights=False)[0]
        return h + self.mlp(self.ln2(h))


class SpliceEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(4, D)
        self.pos = nn.Parameter(torch.randn(1, L, D) * 0.02)
        self.blocks = [Block(D) for _ in range(2)]
        self.norm = nn.LayerNorm(D)
        self.head = nn.Linear(D, 3)

    def forward(self, x):
        h = self.tok(x) + self.pos
        for blk in self.blocks:
            h = blk(h)
        return self.head(self.norm(h.mean(1)))


def build():
    torch.manual_seed(0)
    return SpliceEncoder()


def main():
    from _ninetyfifth import finish, out_dir
    out = out_dir(__file__)
    x, y = windows(3000, np.random.default_rng(0))
    g = torch.Generator().manual_seed(0)
    xtr, ytr, xva, yva = x[:2400], y[:2400], x[2400:], y[2400:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    f = open(out / "splice_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "epoch", "train_loss", "val_loss", "val_accuracy"])
    step = 0
    for epoch in range(8):
        model.train()
        perm = torch.randperm(2400, generator=g)
        for i in range(0, 2400, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 20 == 0:
                w.writerow([step, epoch, round(loss.item(), 4), "", ""])
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = F.cross_entropy(lo, yva).item()
            va = (lo.argmax(1) == yva).float().mean().item()
        w.writerow([step, epoch, round(loss.item(), 4), round(vl, 4), round(va, 4)])
        print(epoch, round(loss.item(), 4), round(vl, 4), round(va, 4))
    f.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "step": step, "classes": CLASSES, "window": L}, out / "splice_tf.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="splice_tf.ckpt", log="splice_metrics.csv",
           what="hand-written splice-site transformer, blocks in a Python list (never trained)",
           complaint="My small transformer for splice-junction classification (EI / IE / N on 40-nt "
                     "windows) barely learns: after 8 epochs validation accuracy is 0.64 while half "
                     "of the windows are N, val loss 0.71, and the training loss still jumps between "
                     "0.6 and 0.9. The consensus GT / AG at the boundary should make this easy.")


if __name__ == "__main__":
    main()
