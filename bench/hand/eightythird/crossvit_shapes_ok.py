"""Shape classification with a CrossViT-lite (two-branch vision transformer with cross-attention
fusion) on synthetic 24×24 grey images of 4 classes (ring, filled square, triangle, plus sign) at
random positions and sizes (5.5–9.5 px half-width), random brightness on a random-level
background, pixel noise 0.15, and 2–4 bright distractor dots; 5 % of the training labels are
wrong. Small branch: 4×4 patches → 36 tokens of width 32; large branch: 8×8 patches → 9 tokens of
width 48; each with a class token and learnt position embeddings. One multi-scale block: one
pre-norm transformer layer per branch (dropout 0.1), then cross-attention fusion (each branch's
class token, projected to the other branch's width, attends over the other branch's patch tokens
and is projected back and added). Each branch's class token goes through LayerNorm and a linear
head; the two logits are averaged. AdamW 4e-3, weight decay 0.05, 1 epoch of linear warm-up then
cosine to 0, batch 64, 10 epochs of 1 600 images; a JSON-lines log per epoch (``train/loss``,
``train/acc``, ``val/loss``, ``val/acc``). Healthy: val accuracy 0.88 (0.886 at epoch 8), val
loss 0.35, train loss 0.28 with train accuracy 0.93 on labels 5 % wrong; a ViT from scratch on
1 600 images is slow to start (val acc 0.50 → 0.65 → 0.67 in the first three epochs) and keeps
a small generalisation gap."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 24


def shapes(n, g, noise_labels=0.0):
    yy, xx = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    r = 5.5 + 4 * torch.rand(n, generator=g)
    cx = r + (SIZE - 2 * r) * torch.rand(n, generator=g)
    cy = r + (SIZE - 2 * r) * torch.rand(n, generator=g)
    dx, dy = xx[None] - cx[:, None, None], yy[None] - cy[:, None, None]
    rr = r[:, None, None]
    dist = (dx ** 2 + dy ** 2).sqrt()
    masks = torch.stack([(dist < rr) & (dist > 0.6 * rr),
                         (dx.abs() < 0.8 * rr) & (dy.abs() < 0.8 * rr),
                         (dy < 0.8 * rr) & (dy > -rr + 2 * dx.abs()),
                         ((dx.abs() < 0.25 * rr) & (dy.abs() < rr))
                         | ((dy.abs() < 0.25 * rr) & (dx.abs() < rr))])
    shape = masks[y, torch.arange(n)].float()
    bg = 0.4 * torch.rand(n, 1, 1, generator=g)
    level = 0.5 + 0.5 * torch.rand(n, 1, 1, generator=g)
    img = bg + (level - bg) * shape
    for i in range(n):
        for _ in range(int(torch.randint(2, 5, (1,), generator=g))):
            px, py = torch.randint(0, SIZE - 1, (2,), generator=g).tolist()
            img[i, py:py + 2, px:px + 2] = level[i]
    img = img + 0.15 * torch.randn(n, SIZE, SIZE, generator=g)
    flip = torch.rand(n, generator=g) < noise_labels
    y = torch.where(flip, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return ((img - 0.45) / 0.35)[:, None], y


class Branch(nn.Module):
    def __init__(self, patch, dim, heads):
        super().__init__()
        self.embed = nn.Conv2d(1, dim, patch, stride=patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(0.02 * torch.randn(1, (SIZE // patch) ** 2 + 1, dim))

    def forward(self, x):
        t = self.embed(x).flatten(2).transpose(1, 2)
        return torch.cat([self.cls.expand(len(x), -1, -1), t], 1) + self.pos


class CrossAttention(nn.Module):
    """The class token of branch a (width da) attends over the tokens of branch b (width db)."""

    def __init__(self, da, db, heads):
        super().__init__()
        self.to_b, self.back = nn.Linear(da, db), nn.Linear(db, da)
        self.norm = nn.LayerNorm(db)
        self.attn = nn.MultiheadAttention(db, heads, batch_first=True)

    def forward(self, ta, tb):
        q = self.norm(self.to_b(ta[:, :1]))
        kv = self.norm(torch.cat([q, tb[:, 1:]], 1))
        fused, _ = self.attn(q, kv, kv, need_weights=False)
        return torch.cat([ta[:, :1] + self.back(fused), ta[:, 1:]], 1)


class MultiScaleBlock(nn.Module):
    def __init__(self, ds, dl):
        super().__init__()
        self.small = nn.TransformerEncoderLayer(ds, 2, 2 * ds, dropout=0.1, batch_first=True,
                                                norm_first=True)
        self.large = nn.TransformerEncoderLayer(dl, 4, 2 * dl, dropout=0.1, batch_first=True,
                                                norm_first=True)
        self.s_from_l, self.l_from_s = CrossAttention(ds, dl, 4), CrossAttention(dl, ds, 2)

    def forward(self, ts, tl):
        ts, tl = self.small(ts), self.large(tl)
        return self.s_from_l(ts, tl), self.l_from_s(tl, ts)


class CrossViT(nn.Module):
    def __init__(self, ds=32, dl=48, classes=4):
        super().__init__()
        self.small, self.large = Branch(4, ds, 2), Branch(8, dl, 4)
        self.blocks = nn.ModuleList(MultiScaleBlock(ds, dl) for _ in range(1))
        self.head_s = nn.Sequential(nn.LayerNorm(ds), nn.Linear(ds, classes))
        self.head_l = nn.Sequential(nn.LayerNorm(dl), nn.Linear(dl, classes))

    def forward(self, x):
        ts, tl = self.small(x), self.large(x)
        for block in self.blocks:
            ts, tl = block(ts, tl)
        return (self.head_s(ts[:, 0]) + self.head_l(tl[:, 0])) / 2


def build():
    torch.manual_seed(0)
    return CrossViT()


def main():
    from _eightythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = shapes(1600, g, noise_labels=0.05)
    xva, yva = shapes(384, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=0.05)
    steps_per_epoch, epochs = 25, 10
    total = steps_per_epoch * epochs
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / steps_per_epoch if s < steps_per_epoch
        else 0.5 * (1 + math.cos(math.pi * (s - steps_per_epoch) / (total - steps_per_epoch))))
    log = open(out / "history.jsonl", "w")
    for epoch in range(epochs):
        model.train()
        tot, hit = 0.0, 0
        for idx in torch.randperm(len(xtr), generator=g).split(64):
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            row = {"epoch": epoch, "train/loss": round(tot / len(xtr), 4),
                   "train/acc": round(hit / len(xtr), 4),
                   "val/loss": round(F.cross_entropy(logits, yva).item(), 4),
                   "val/acc": round((logits.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": epoch, "val_top1": row["val/acc"]},
               out / "crossvit_last.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="crossvit_last.pt",
           log="history.jsonl", what="CrossViT-lite on shapes, 5 % label noise (healthy)")


if __name__ == "__main__":
    main()
