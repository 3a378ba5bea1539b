"""makemore-style character MLP (3-char context, embeddings 10, tanh hidden 200) on
generated names, with nanoGPT's ``get_lr``: linear warmup, cosine decay to ``min_lr`` by
``lr_decay_iters``, then ``min_lr``. ``lr_decay_iters`` was left at 300 from a shorter
experiment while ``max_iters`` is 3000, and ``min_lr = 0``: the lr is 0 for 90% of the run."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

LR, MIN_LR, WARMUP, LR_DECAY_ITERS, MAX_ITERS = 0.01, 0.0, 30, 300, 3000


def get_lr(it):
    if it < WARMUP:
        return LR * it / WARMUP
    if it > LR_DECAY_ITERS:
        return MIN_LR
    ratio = (it - WARMUP) / (LR_DECAY_ITERS - WARMUP)
    return MIN_LR + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (LR - MIN_LR)


def names(n, g):
    onsets, vowels, codas = "b d k l m n r s t v z".split(), list("aeiou"), ["", "n", "r", "s"]
    out = []
    for _ in range(n):
        k = int(torch.randint(2, 4, (1,), generator=g))
        parts = [onsets[int(torch.randint(0, 11, (1,), generator=g))]
                 + vowels[int(torch.randint(0, 5, (1,), generator=g))] for _ in range(k)]
        out.append("".join(parts) + codas[int(torch.randint(0, 4, (1,), generator=g))])
    return out


def dataset(words, block=3):
    stoi = {c: i + 1 for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")}
    xs, ys = [], []
    for w in words:
        ctx = [0] * block
        for ch in w + ".":
            ix = stoi.get(ch, 0)
            xs.append(ctx)
            ys.append(ix)
            ctx = ctx[1:] + [ix]
    return torch.tensor(xs), torch.tensor(ys)


class NameMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(27, 10)
        self.hidden = nn.Linear(30, 200)
        self.out = nn.Linear(200, 27)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(self.emb(x).view(len(x), -1))))


def build():
    torch.manual_seed(0)
    return NameMLP()


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = dataset(names(4000, g))
    vx, vy = dataset(names(500, g))
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    f = open(out / "makemore_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["iter", "lr", "loss", "val_loss"])
    for it in range(MAX_ITERS):
        for group in opt.param_groups:
            group["lr"] = get_lr(it)
        ix = torch.randint(0, len(x), (64,), generator=g)
        loss = F.cross_entropy(model(x[ix]), y[ix])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if it % 50 == 0 or it == MAX_ITERS - 1:
            with torch.no_grad():
                w.writerow([it, get_lr(it), loss.item(), F.cross_entropy(model(vx), vy).item()])
    f.close()
    print("val loss", F.cross_entropy(model(vx), vy).item())
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "iter_num": it},
               out / "ckpt.pt")
    finish(out, __file__, (vx[:256], vy[:256]), causes=["lr_decay_too_fast"],
           checkpoint="ckpt.pt", log="makemore_log.csv",
           what="cosine decay ends at iter 300 of 3000 with min_lr 0 (lr 0 for 90% of the run)",
           complaint="the loss stops improving after a few hundred iterations and stays flat")


if __name__ == "__main__":
    main()
