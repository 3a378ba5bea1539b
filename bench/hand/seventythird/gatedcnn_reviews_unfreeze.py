"""A gated convolutional text classifier (Dauphin et al.'s GLU blocks: a width-3 convolution to
2·C channels, out = a ⊙ sigmoid(b), residual, 3 blocks of 48 channels over a 48-dim embedding,
max over time, a linear head) rates synthetic product reviews as positive or negative. A review
is 16–40 tokens from a 400-word vocabulary: filler words, 2–4 opinion words from 30 positive /
30 negative ones agreeing with the review's label, a quarter of them said the other way
round ("not bad" in a positive review, "not great" in a negative one). Right padding with 0.
The recipe the author followed: one epoch with the body frozen to warm up the head, then
unfreeze everything. Adam 2e-3, batch 32, 8 epochs of 1600 reviews (400 for validation); a
CSV per epoch (``Epoch,Train Loss,Val Loss,Val Accuracy``); checkpoint dict ``model_weights``
/ ``optimizer`` (+ ``epoch``, ``vocab_size``).
Bug: the optimizer is built for the warm-up as ``Adam(model.head.parameters())`` and the unfreeze
at epoch 1 only sets ``requires_grad = True`` on the body — the embedding and the GLU blocks are
never added to the optimizer (no ``opt.add_param_group``). From then on they get gradients that
nothing applies: the head is fitted on random max-pooled features; train and val loss stay at
ln 2 ≈ 0.69 and the val accuracy at chance (0.54; the control reaches 0.985)."""
import csv
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, LEN, PAD, NOT = 400, 40, 0, 1
POS, NEG = range(10, 40), range(40, 70)


def reviews(n, g):
    rnd = random.Random(int(torch.randint(0, 2 ** 31, (1,), generator=g)))
    ids = torch.randint(70, VOCAB, (n, LEN), generator=g)
    lengths = torch.randint(16, LEN + 1, (n,), generator=g)
    y = torch.randint(0, 2, (n,), generator=g)
    for i in range(n):
        for p in rnd.sample(range(2, int(lengths[i])), rnd.randint(2, 4)):
            positive = bool(y[i])
            if rnd.random() < 0.25:  # "not bad" for a positive review, "not great" otherwise
                ids[i, p - 1], positive = NOT, not positive
            ids[i, p] = rnd.choice(POS if positive else NEG)
    return ids * (torch.arange(LEN)[None] < lengths[:, None]), y


class GLUBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv1d(c, 2 * c, 3, padding=1)

    def forward(self, x):  # (B, C, T)
        return x + F.glu(self.conv(x), dim=1)


class GatedCNN(nn.Module):
    def __init__(self, c=48):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, c, padding_idx=PAD)
        self.blocks = nn.Sequential(GLUBlock(c), GLUBlock(c), GLUBlock(c))
        self.head = nn.Linear(c, 2)

    def forward(self, ids):
        h = self.blocks(self.embed(ids).transpose(1, 2))
        h = h.masked_fill((ids == PAD)[:, None], -1e4)
        return self.head(h.max(-1).values)


def build():
    torch.manual_seed(0)
    return GatedCNN()


def main():
    from _seventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, y = reviews(2000, g)
    xtr, ytr, xva, yva = ids[:1600], y[:1600], ids[1600:], y[1600:]
    model = build()
    body = list(model.embed.parameters()) + list(model.blocks.parameters())
    for p in body:
        p.requires_grad = False  # warm up the head first
    opt = torch.optim.Adam(model.head.parameters(), lr=2e-3)
    with open(out / "training_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Epoch", "Train Loss", "Val Loss", "Val Accuracy"])
        for epoch in range(8):
            if epoch == 1:
                for p in body:
                    p.requires_grad = True  # unfreeze the body
            model.train()
            tot = 0.0
            for idx in torch.randperm(len(xtr), generator=g).split(32):
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
                vl = F.cross_entropy(logits, yva).item()
                acc = (logits.argmax(1) == yva).float().mean().item()
            w.writerow([epoch + 1, round(tot / len(xtr), 4), round(vl, 4), round(acc, 4)])
            print(epoch + 1, round(tot / len(xtr), 4), round(vl, 4), round(acc, 4))
    torch.save({"model_weights": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": 8, "vocab_size": VOCAB}, out / "gated_cnn_final.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="gated_cnn_final.pt", log="training_log.csv",
           what="gated CNN review classifier; body unfrozen after a head warm-up but never "
                "added to the optimizer",
           complaint="After the warm-up epoch I unfreeze the whole network, but nothing gets "
                     "better: the loss sits around the same value for all eight epochs and "
                     "validation accuracy is stuck well short of what a bag of words gets.")


if __name__ == "__main__":
    main()
