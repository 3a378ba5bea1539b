"""Tiny decoder-only Transformer LM (post-LN, the nn default), Adam at a constant lr 5e-2
copied from a CNN recipe: no warmup, no clipping, so the post-LN blocks blow up early and the
model never gets below the unigram loss."""
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
                                           norm_first=False)
        self.blocks = nn.TransformerEncoder(block, layers)
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        t = idx.shape[1]
        h = self.tok(idx) + self.pos(torch.arange(t))
        mask = nn.Transformer.generate_square_subsequent_mask(t)
        h = self.blocks(h, mask=mask, is_causal=True)
        return self.head(self.ln(h))


def build():
    torch.manual_seed(0)
    return TinyGPT()


def get_batch(data, bs, g):
    ix = torch.randint(0, len(data) - CTX - 1, (bs,), generator=g)
    x = torch.stack([data[i:i + CTX] for i in ix])
    y = torch.stack([data[i + 1:i + CTX + 1] for i in ix])
    return x, y


def main():
    from _fresh import finish, out_dir
    out = out_dir(__file__)
    train, val = corpus(20000, 0), corpus(4000, 1)
    g = torch.Generator().manual_seed(0)
    model = build()
    steps, peak = 300, 5e-2
    opt = torch.optim.Adam(model.parameters(), lr=peak)
    with open(out / "metrics.jsonl", "w") as log:
        for step in range(steps):
            model.train()
            x, y = get_batch(train, 32, g)
            loss = F.cross_entropy(model(x).flatten(0, 1), y.flatten())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if step % 20 == 0 or step == steps - 1:
                model.eval()
                with torch.no_grad():
                    vx, vy = get_batch(val, 64, g)
                    vl = F.cross_entropy(model(vx).flatten(0, 1), vy.flatten()).item()
                rec = {"iter": step, "loss": loss.item(), "val_loss": vl,
                       "val_ppl": math.exp(vl), "lr": peak}
                log.write(json.dumps(rec) + "\n")
    print(f"val loss {vl:.3f}  ppl {math.exp(vl):.2f} (vocab {len(WORDS)})")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "iter_num": steps}, out / "ckpt.pt")
    finish(out, __file__, get_batch(val, 16, g), causes=["lr_too_high"], checkpoint="ckpt.pt",
           log="metrics.jsonl", what="post-LN GPT at constant Adam lr 5e-2, no warmup",
           complaint="transformer loss stuck around 2, it does not learn the grammar")


if __name__ == "__main__":
    main()
