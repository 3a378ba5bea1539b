"""Review polarity (the majority of three sentiment words among neutral ones, 12 tokens)
by a pre-LN Transformer encoder built the way recent LLM-style code builds it:
``bias=False`` in every linear and LayerNorm, ``norm_first=True``, a final LayerNorm, a
[CLS] token, no dropout. AdamW 1e-3 with weight decay 0.1 on matrices only, linear warm-up
for 100 steps then cosine decay to 10 %, gradient clipping at 1.0. No bias anywhere is
intended (healthy: val acc 0.99, train loss 0.002)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, L, CLS = 200, 12, 1
POS, NEG = range(10, 30), range(30, 50)  # sentiment words; 50.. are neutral


def reviews(n, g):
    ids = torch.randint(50, VOCAB, (n, L), generator=g)
    score = torch.zeros(n)
    for i in range(n):
        for j in (torch.randperm(L - 1, generator=g)[:3] + 1).tolist():
            positive = bool(torch.rand(1, generator=g) < 0.5)
            words = POS if positive else NEG
            ids[i, j] = words[int(torch.randint(0, 20, (1,), generator=g))]
            score[i] += 1 if positive else -1
    ids[:, 0] = CLS
    return ids, (score > 0).long()


class ReviewEncoder(nn.Module):
    def __init__(self, d=64, layers=3):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, d)
        self.pos = nn.Embedding(L, d)
        layer = nn.TransformerEncoderLayer(d, 4, 4 * d, dropout=0.0, batch_first=True,
                                           norm_first=True, bias=False)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d, bias=False)
        self.head = nn.Linear(d, 2, bias=False)

    def forward(self, ids):
        h = self.tok(ids) + self.pos(torch.arange(ids.shape[1]))
        return self.head(self.norm(self.encoder(h))[:, 0])


def build():
    torch.manual_seed(0)
    return ReviewEncoder()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = reviews(3000, g), reviews(600, g)
    model = build()
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": rest, "weight_decay": 0.0}], lr=1e-3)
    epochs, bs = 6, 32
    total, warm = epochs * len(x) // bs, 100

    def lr_at(step):
        if step < warm:
            return (step + 1) / warm
        return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (step - warm) / (total - warm)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    with open(out / "reviews_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "val_loss", "val_acc", "lr"])
        for epoch in range(epochs):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            tot = 0.0
            for i in range(0, len(x) - bs + 1, bs):
                idx = perm[i:i + bs]
                loss = F.cross_entropy(model(x[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                tot += loss.item() * bs
            model.eval()
            with torch.no_grad():
                vout = model(vx)
            w.writerow([epoch, tot / (len(x) // bs * bs), F.cross_entropy(vout, vy).item(),
                        (vout.argmax(1) == vy).float().mean().item(), sched.get_last_lr()[0]])
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(),
                "scheduler_state_dict": sched.state_dict()}, out / "review_encoder.pt")
    print(open(out / "reviews_log.csv").read().splitlines()[-1])
    finish(out, __file__, (vx[:128], vy[:128]), causes=[], checkpoint="review_encoder.pt",
           log="reviews_log.csv",
           what="pre-LN transformer, bias=False everywhere, AdamW + warm-up cosine: healthy")


if __name__ == "__main__":
    main()
