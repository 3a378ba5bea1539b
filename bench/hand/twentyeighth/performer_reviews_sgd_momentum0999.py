"""Linear-attention (Performer-style, positive random features) text classifier for product
reviews: synthetic 32-token reviews over a 300-word vocabulary with 12 praise and 12 complaint
words, a review's label from which kind is in the majority (ties: the first keyword).
Embedding 48 + learned positions, 2 blocks of FAVOR+ attention (4 heads, 32 random features)
and a feed-forward layer, pre-LayerNorm, mean pool, linear head. SGD lr 0.05, batch 32, 5
epochs, cross-entropy; the log (CSV) holds the train loss every 20 steps
and the val loss / accuracy per epoch.
Bug: ``momentum=0.999`` (typed for 0.9, Adam's beta2 in the author's head): the heavy-ball
sum is ~1000 steps long, the effective step ~100× what momentum 0.9 gives at this lr."""
import csv
import math

import torch
import torch.nn as nn

VOCAB, LEN = 300, 32
DIM, HEADS, FEATS = 48, 4, 32
MOMENTUM = 0.999


def reviews(n, g):
    words = torch.randperm(VOCAB - 10, generator=g)[:24] + 10
    praise, complaint = words[:12], words[12:]
    x = torch.randint(10, VOCAB, (n, LEN), generator=g)
    x[torch.isin(x, words)] = 5
    y = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        k = int(torch.randint(1, 6, (1,), generator=g))
        pos = torch.randperm(LEN - 1, generator=g)[:k] + 1
        kind = torch.randint(0, 2, (k,), generator=g)
        for p, c in zip(pos, kind, strict=True):
            x[i, p] = (praise if c else complaint)[int(torch.randint(0, 12, (1,), generator=g))]
        votes = kind * 2 - 1
        y[i] = int(votes.sum() > 0) if votes.sum() != 0 else int(votes[0] > 0)
    return x, y


class FavorAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(DIM, 3 * DIM)
        self.proj = nn.Linear(DIM, DIM)
        self.register_buffer("omega", torch.randn(HEADS, DIM // HEADS, FEATS))

    def features(self, z):
        z = z / (DIM // HEADS) ** 0.25
        wz = torch.einsum("bhtd,hdm->bhtm", z, self.omega)
        return torch.exp(wz - z.pow(2).sum(-1, keepdim=True) / 2) / math.sqrt(FEATS)

    def forward(self, x):
        b, t, _ = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, HEADS, DIM // HEADS).permute(2, 0, 3, 1, 4)
        qf, kf = self.features(q), self.features(k)
        kv = torch.einsum("bhtm,bhtd->bhmd", kf, v)
        norm = torch.einsum("bhtm,bhm->bht", qf, kf.sum(2)).unsqueeze(-1) + 1e-6
        out = torch.einsum("bhtm,bhmd->bhtd", qf, kv) / norm
        return self.proj(out.transpose(1, 2).reshape(b, t, DIM))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(DIM), nn.LayerNorm(DIM)
        self.attn = FavorAttention()
        self.ff = nn.Sequential(nn.Linear(DIM, 2 * DIM), nn.GELU(), nn.Linear(2 * DIM, DIM))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.ff(self.ln2(x))


class Performer(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, DIM)
        self.pos = nn.Parameter(0.02 * torch.randn(LEN, DIM))
        self.blocks = nn.Sequential(Block(), Block())
        self.ln = nn.LayerNorm(DIM)
        self.head = nn.Linear(DIM, 2)

    def forward(self, x):
        h = self.blocks(self.emb(x) + self.pos)
        return self.head(self.ln(h).mean(1))


def build():
    torch.manual_seed(0)
    return Performer()


def main():
    from _twentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = reviews(2400, g)
    tx, ty, vx, vy = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=MOMENTUM)
    lossf = nn.CrossEntropyLoss()
    log = open(out / "reviews_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "step", "train_loss", "val_loss", "val_acc"])
    step = 0
    for epoch in range(5):
        model.train()
        for idx in torch.randperm(2000, generator=g).split(32):
            loss = lossf(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 20 == 0:
                w.writerow([epoch, step, round(loss.item(), 4), "", ""])
        model.eval()
        with torch.no_grad():
            logits = model(vx)
            vl = lossf(logits, vy).item()
            acc = (logits.argmax(1) == vy).float().mean().item()
        w.writerow([epoch, step, "", round(vl, 4), round(acc, 4)])
        print(epoch, round(loss.item(), 4), round(vl, 4), round(acc, 4))
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "performer.pt")
    finish(out, __file__, (vx[:32], vy[:32]), causes=["lr_too_high"],
           checkpoint="performer.pt", log="reviews_log.csv",
           what="Performer-style linear-attention review classifier, SGD momentum=0.999",
           complaint="the linear-attention classifier's loss jumps all over the place and the "
                     "val accuracy swings between epochs instead of improving")


if __name__ == "__main__":
    main()
