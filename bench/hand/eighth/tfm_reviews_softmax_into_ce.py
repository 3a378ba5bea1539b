"""App-store reviews into 4 topics (billing, login, shipping, hardware) with a small
Transformer encoder written with ``nn.TransformerEncoder`` (2 layers, d_model 32, 4 heads,
learned positions, mean pooling over the non-pad tokens). Synthetic posts of 10-24 words: a
few topic keywords among common words, 8 % of the posts mention a second topic's keyword too.
AdamW 2e-3 (weight decay 0.01), 40 warm-up steps then cosine to 0 (``LambdaLR`` stepped per
batch), batch 32, 6 epochs. Bug: the head ends in ``nn.Softmax(dim=-1)`` (so that
``model(x)`` gives probabilities for the app) and its output goes into ``F.cross_entropy``,
which applies log-softmax again. Accuracy still climbs (val 0.97) but the loss cannot go
below ~0.77 -- the floor of a cross-entropy over probabilities in [0, 1] -- and the
gradients shrink as the softmax saturates (the same encoder without the Softmax: val loss
0.07)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, MAXLEN, PAD, TOPICS = 160, 24, 0, 4


def posts(n, g):
    y = torch.randint(0, TOPICS, (n,), generator=g)
    lengths = torch.randint(10, MAXLEN + 1, (n,), generator=g)
    x = torch.randint(40, VOCAB, (n, MAXLEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 4, (1,), generator=g))
        where = torch.randperm(int(lengths[i]), generator=g)[:k + 1]
        x[i, where[:k]] = 1 + 8 * y[i] + torch.randint(0, 8, (k,), generator=g)
        if torch.rand(1, generator=g) < 0.08:  # a post that mentions another topic once
            other = (y[i] + torch.randint(1, TOPICS, (1,), generator=g)) % TOPICS
            x[i, where[k]] = 1 + 8 * other + torch.randint(0, 8, (1,), generator=g)
    x = x.masked_fill(torch.arange(MAXLEN)[None] >= lengths[:, None], PAD)
    return x, y


class ReviewTopics(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(MAXLEN, d) * 0.02)
        layer = nn.TransformerEncoderLayer(d, 4, 64, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Sequential(nn.Linear(d, TOPICS), nn.Softmax(dim=-1))  # BUG: into CE

    def forward(self, x):
        pad = x == PAD
        h = self.encoder(self.tok(x) + self.pos[: x.shape[1]], src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).float()
        return self.head((h * keep).sum(1) / keep.sum(1).clamp(min=1))


def build():
    torch.manual_seed(0)
    return ReviewTopics()


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(3)
    (x, y), (vx, vy) = posts(2000, g), posts(400, g)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    epochs, bs, warmup = 6, 32, 40
    total = epochs * math.ceil(len(x) / bs)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (
        1 + math.cos(math.pi * min(1.0, s / total))))
    with open(out / "log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr"])
        for epoch in range(epochs):
            model.train()
            perm, tot, hit = torch.randperm(len(x), generator=g), 0.0, 0
            for i in range(0, len(x), bs):
                idx = perm[i:i + bs]
                logits = model(x[idx])
                loss = F.cross_entropy(logits, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(idx)
                hit += (logits.argmax(1) == y[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                vo = model(vx)
            row = [epoch, tot / len(x), hit / len(x), F.cross_entropy(vo, vy).item(),
                   (vo.argmax(1) == vy).float().mean().item(), sched.get_last_lr()[0]]
            w.writerow(row)
            print([round(v, 4) for v in row])
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(),
                "scheduler_state_dict": sched.state_dict()}, out / "review_topics.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["activation_before_softmax"],
           checkpoint="review_topics.pt", log="log.csv",
           what="Transformer encoder with a Softmax head into F.cross_entropy",
           complaint="accuracy is 97% but the loss is stuck at 0.77 on train and val, it flattens "
                     "there and will not go lower")


if __name__ == "__main__":
    main()
