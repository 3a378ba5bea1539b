"""A character-level GPT written by hand (nanoGPT-style: causal self-attention, 2 blocks,
n_embd 48, 4 heads, context 32), bias-free everywhere (``bias=False`` Linear and LayerNorm,
as nanoGPT's default), weight tying. Trained on generated shop-receipt lines ("2 x apples
3.40 ; 1 x milk 0.99 ; total 4.39 ."). AdamW 3e-3 (decay 0.1 on matrices only), batch 24,
400 steps with warm-up 40 + cosine; the train loss is logged every 10 steps on one batch, so
it is noisy. Healthy: from ln V ~ 3.2 to a val loss of 0.69, flat over the last 100 steps
as the lr reaches 0 -- near what the random items and prices leave to guess."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

ITEMS = ["apples", "milk", "bread", "eggs", "rice", "tea", "soap", "cheese", "pears", "jam"]
CHARS = sorted(set("".join(ITEMS) + "0123456789 .;xtotal"))
STOI = {c: i for i, c in enumerate(CHARS)}
CTX = 32


def receipts(n_chars, g):
    parts = []
    while sum(map(len, parts)) < n_chars:
        total = 0
        for _ in range(int(torch.randint(1, 4, (1,), generator=g))):
            q = int(torch.randint(1, 4, (1,), generator=g))
            item = ITEMS[int(torch.randint(len(ITEMS), (1,), generator=g))]
            cents = int(torch.randint(50, 500, (1,), generator=g))
            total += q * cents
            parts.append(f"{q} x {item} {cents // 100}.{cents % 100:02d} ; ")
        parts.append(f"total {total // 100}.{total % 100:02d} . ")
    return torch.tensor([STOI[c] for c in "".join(parts)])


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d, bias=False), nn.LayerNorm(d, bias=False)
        self.qkv, self.proj = nn.Linear(d, 3 * d, bias=False), nn.Linear(d, d, bias=False)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d, bias=False), nn.GELU(),
                                 nn.Linear(4 * d, d, bias=False))
        self.heads = heads

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, d))
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    def __init__(self, vocab=None, d=48, layers=2, heads=4):
        super().__init__()
        vocab = vocab or len(CHARS)
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(CTX, d)
        self.blocks = nn.Sequential(*[Block(d, heads) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d, bias=False)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight
        for p in self.parameters():
            if p.dim() == 2:
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        return self.lm_head(self.ln_f(self.blocks(x)))


def build():
    torch.manual_seed(0)
    return TinyGPT()


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = receipts(60000, g), receipts(6000, g)

    def batch(data, n):
        ix = torch.randint(len(data) - CTX - 1, (n,), generator=g)
        return (torch.stack([data[i:i + CTX] for i in ix]),
                torch.stack([data[i + 1:i + CTX + 1] for i in ix]))

    model = build()
    decay = [p for p in model.parameters() if p.dim() >= 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": [p for p in model.parameters() if p.dim() < 2],
                              "weight_decay": 0.0}], lr=3e-3, betas=(0.9, 0.95))
    steps, warmup = 400, 40
    vx, vy = batch(val, 200)
    with open(out / "train_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["iter", "loss", "val_loss", "lr"])
        for it in range(1, steps + 1):
            lr = 3e-3 * min(1.0, it / warmup) * 0.5 * (1 + math.cos(math.pi * it / steps))
            for group in opt.param_groups:
                group["lr"] = lr
            x, y = batch(train, 24)
            model.train()
            loss = F.cross_entropy(model(x).flatten(0, 1), y.flatten())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            if it % 10 == 0:
                val_loss = ""
                if it % 50 == 0:
                    model.eval()
                    with torch.no_grad():
                        val_loss = F.cross_entropy(model(vx).flatten(0, 1), vy.flatten()).item()
                    print(it, round(loss.item(), 4), round(val_loss, 4))
                w.writerow([it, loss.item(), val_loss, lr])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "iter_num": steps},
               out / "ckpt.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=[], checkpoint="ckpt.pt",
           log="train_log.csv",
           what="bias-free char GPT on receipts, warm-up + cosine, noisy per-step loss (healthy)")


if __name__ == "__main__":
    main()
