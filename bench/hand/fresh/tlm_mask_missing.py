"""Tiny decoder-only Transformer LM on word-ish text, AdamW with warmup + cosine; the causal
mask was dropped when the block was swapped for nn.TransformerEncoder, so every position
attends to the token it must predict (future leak: loss ~0, generation useless)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

WORDS = "red green blue cat dog bird runs sleeps eats the a and".split()
VOCAB = len(WORDS)
CTX, D = 24, 64


def corpus(n_tokens, seed):
    """A little grammar: 'the <colour> <animal> <verb> and ...' so the next word is learnable."""
    g = torch.Generator().manual_seed(seed)
    toks = []
    while len(toks) < n_tokens:
        det = [9, 10][torch.randint(2, (1,), generator=g)]
        toks += [det, torch.randint(0, 3, (1,), generator=g).item(),
                 3 + torch.randint(0, 3, (1,), generator=g).item(),
                 6 + torch.randint(0, 3, (1,), generator=g).item(), 11]
    return torch.tensor(toks[:n_tokens])


class TinyGPT(nn.Module):
    def __init__(self, vocab=VOCAB, d=D, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(CTX, d)
        block = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.1, batch_first=True,
                                           norm_first=True)
        self.blocks = nn.TransformerEncoder(block, layers)
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        t = idx.shape[1]
        h = self.tok(idx) + self.pos(torch.arange(t))
        h = self.blocks(h)  # TODO causal mask? the encoder "just works"
        return self.head(self.ln(h))


def build():
    torch.manual_seed(0)
    return TinyGPT()


def get_batch(data, bs, g):
    ix = torch.randint(0, len(data) - CTX - 1, (bs,), generator=g)
    x = torch.stack([data[i:i + CTX] for i in ix])
    y = torch.stack([data[i + 1:i + CTX + 1] for i in ix])
    return x, y


@torch.no_grad()
def generate(model, prompt, n):
    model.eval()
    idx = prompt[None]
    for _ in range(n):
        nxt = model(idx[:, -CTX:])[0, -1].argmax()
        idx = torch.cat([idx, nxt.view(1, 1)], 1)
    return idx[0].tolist()


def main():
    from _fresh import finish, out_dir
    out = out_dir(__file__)
    train, val = corpus(20000, 0), corpus(4000, 1)
    g = torch.Generator().manual_seed(0)
    model = build()
    steps, warmup, peak = 300, 30, 3e-3
    opt = torch.optim.AdamW(model.parameters(), lr=peak, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warmup) * 0.5
                                              * (1 + math.cos(math.pi * min(s, steps) / steps)))
    with open(out / "metrics.jsonl", "w") as log:
        for step in range(steps):
            model.train()
            x, y = get_batch(train, 32, g)
            loss = F.cross_entropy(model(x).flatten(0, 1), y.flatten())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            if step % 20 == 0 or step == steps - 1:
                model.eval()
                with torch.no_grad():
                    vx, vy = get_batch(val, 64, g)
                    vl = F.cross_entropy(model(vx).flatten(0, 1), vy.flatten()).item()
                rec = {"iter": step, "loss": loss.item(), "val_loss": vl,
                       "val_ppl": math.exp(vl), "lr": sched.get_last_lr()[0]}
                log.write(json.dumps(rec) + "\n")
    print(f"val loss {vl:.3f}  ppl {math.exp(vl):.2f} (vocab {len(WORDS)})")
    print("greedy sample:", " ".join(WORDS[i] for i in generate(model, val[:4], 12)))
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "iter_num": steps}, out / "ckpt.pt")
    finish(out, __file__, get_batch(val, 16, g), causes=["task_trivial_or_leak"],
           checkpoint="ckpt.pt", log="metrics.jsonl",
           what="causal mask missing: each position sees the next token (leak); loss ~0, "
                "greedy generation repeats garbage",
           complaint="val loss is almost zero, much better than it should be, but the "
                     "generated text just repeats one sentence")


if __name__ == "__main__":
    main()
