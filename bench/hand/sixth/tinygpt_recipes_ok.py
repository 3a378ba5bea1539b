"""A nanoGPT-style character model (2 blocks, d=48, context 32) on recipe lines made from a
tiny grammar. AdamW 3e-3 with 50 warm-up steps then cosine decay to 0, grad-norm clipping at
1.0 (it bites only on the first steps), log every 20 steps to JSON lines, checkpoint with
optimizer and scheduler. The loss falls from ln V to ~0.3 and flattens there (healthy: the floor
is the grammar's own randomness; the lr reaching 0 at the end is the schedule)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

WORDS = ["add", "stir", "chop", "bake", "mix", "the", "onion", "salt", "flour", "egg", "for",
         "min", "then", "with", "oil"]
CHARS = sorted(set(" .0123456789" + "".join(WORDS)))
STOI = {c: i for i, c in enumerate(CHARS)}
V, CTX = len(CHARS), 32


def corpus(g, n_lines=600):
    lines = []
    for _ in range(n_lines):
        w = lambda k: WORDS[int(torch.randint(k[0], k[1], (1,), generator=g))]  # noqa: E731
        mins = int(torch.randint(1, 60, (1,), generator=g))
        lines.append(f"{w((0, 5))} the {w((6, 11))} with {w((6, 11))} for {mins} min. ")
    return torch.tensor([STOI[c] for c in "".join(lines)])


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        mask = torch.triu(torch.ones(x.size(1), x.size(1), dtype=torch.bool), 1)
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    def __init__(self, d=48, layers=2, heads=4):
        super().__init__()
        self.tok, self.pos = nn.Embedding(V, d), nn.Embedding(CTX, d)
        self.blocks = nn.Sequential(*[Block(d, heads) for _ in range(layers)])
        self.ln_f, self.lm_head = nn.LayerNorm(d), nn.Linear(d, V, bias=False)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.size(1)))
        return self.lm_head(self.ln_f(self.blocks(x)))


def build():
    torch.manual_seed(0)
    return TinyGPT()


def get_batch(data, g, bs=32):
    ix = torch.randint(len(data) - CTX - 1, (bs,), generator=g)
    return (torch.stack([data[i:i + CTX] for i in ix]),
            torch.stack([data[i + 1:i + CTX + 1] for i in ix]))


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    data = corpus(g)
    split = int(0.9 * len(data))
    train, val = data[:split], data[split:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.1)
    steps, warmup = 400, 50
    lr_at = lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(  # noqa: E731
        math.pi * (s - warmup) / (steps - warmup)))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    vx, vy = get_batch(val, torch.Generator().manual_seed(9), bs=64)
    with open(out / "log.jsonl", "w") as f:
        for step in range(steps):
            model.train()
            xb, yb = get_batch(train, g)
            loss = F.cross_entropy(model(xb).view(-1, V), yb.view(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            if step % 20 == 0 or step == steps - 1:
                model.eval()
                with torch.no_grad():
                    vl = F.cross_entropy(model(vx).view(-1, V), vy.view(-1)).item()
                f.write(json.dumps({"iter": step, "loss": loss.item(), "val_loss": vl,
                                    "lr": sched.get_last_lr()[0],
                                    "grad_norm": float(norm)}) + "\n")
    print("train", loss.item(), "val", vl)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "iter_num": steps}, out / "ckpt.pt")
    finish(out, __file__, (vx, vy), causes=[], checkpoint="ckpt.pt", log="log.jsonl",
           what="tiny GPT, warm-up + cosine, clipping active, plateau then drop (healthy)")


if __name__ == "__main__":
    main()
