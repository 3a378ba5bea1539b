"""ALiBi transformer encoder that tags every token of synthetic event sequences: 36 event
tokens in 3 families (id % 3), sequences of 6–20 events padded to 48 with pad id 0 and a key
mask; a token's tag is the dominant family of its neighbourhood, each event weighted by
exp(−0.25 · distance) (the "regime" the event sits in) — what an ALiBi head with slope 0.25
computes, so a learnable task. 3 %
of the tags are wrong (logging glitches). No position embeddings: each head adds
−slope_h · |i − j| to its attention scores (slopes 2^(−8h/H)), padded keys masked out. 2
pre-LayerNorm layers, width 32, 4 heads, MLP 64, a linear tag head. SGD 0.1 momentum 0.9,
batch 32, 3 epochs; JSON lines with the train loss every 10 steps and per epoch the dev loss
(as trained) and the dev accuracy over real tokens.
Bug: the padded tag tensor is filled with 0 (a real tag) and the loss is a plain
``nn.CrossEntropyLoss()`` over all 48 positions, no ``ignore_index`` and no mask: about 73 %
of the positions are padding, so the loss is mostly the trivially learnt "pad → tag 0" and the
real tokens get a quarter of the gradient; the logged loss looks low while the real-token
accuracy lags far behind the control's (masked loss)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, LEN, PAD, TAGS = 37, 48, 0, 3


def events(n, g):
    lengths = torch.randint(6, 21, (n,), generator=g)
    ids = torch.randint(1, VOCAB, (n, LEN), generator=g)
    mask = torch.arange(LEN)[None] < lengths[:, None]
    one = F.one_hot(ids % 3, TAGS).float() * mask[..., None]
    pos = torch.arange(LEN).float()
    near = torch.exp(-0.25 * (pos[None, :] - pos[:, None]).abs())
    tags = torch.einsum("ij,bjf->bif", near, one).argmax(-1)
    glitch = torch.rand(n, LEN, generator=g) < 0.03
    tags = torch.where(glitch, torch.randint(0, TAGS, (n, LEN), generator=g), tags)
    return ids * mask, mask, tags * mask  # padded tags are 0


class AlibiLayer(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.register_buffer("slopes", 2.0 ** (-8.0 * torch.arange(1, heads + 1) / heads))

    def forward(self, x, mask):
        b, n, d = x.shape
        q, k, v = self.qkv(self.n1(x)).view(b, n, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        pos = torch.arange(n)
        bias = -self.slopes[:, None, None] * (pos[None, :] - pos[:, None]).abs()
        s = q @ k.transpose(-1, -2) / (d // self.h) ** 0.5 + bias
        s = s.masked_fill(~mask[:, None, None, :], float("-inf"))
        a = (s.softmax(-1) @ v).transpose(1, 2).reshape(b, n, d)
        x = x + self.proj(a)
        return x + self.mlp(self.n2(x))


class AlibiTagger(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.layers = nn.ModuleList(AlibiLayer(dim) for _ in range(2))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, TAGS)

    def forward(self, inputs, mask):
        x = self.emb(inputs)
        for layer in self.layers:
            x = layer(x, mask)
        return self.head(self.norm(x))  # (B, LEN, TAGS)


def build():
    torch.manual_seed(0)
    return AlibiTagger()


def main():
    from _sixtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, tags = events(2000, g)
    ntr = 1600
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    log = open(out / "tagger.jsonl", "w")
    step = 0
    for epoch in range(3):
        model.train()
        for idx in torch.randperm(ntr, generator=g).split(32):
            logits = model(ids[idx], mask[idx])
            loss = crit(logits.reshape(-1, TAGS), tags[idx].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                log.write(json.dumps({"step": step, "train_loss": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            logits = model(ids[ntr:], mask[ntr:])
            dev_loss = crit(logits.reshape(-1, TAGS), tags[ntr:].reshape(-1)).item()
            m = mask[ntr:]
            acc = (logits.argmax(-1)[m] == tags[ntr:][m]).float().mean().item()
        rec = {"epoch": epoch, "step": step, "dev_loss": round(dev_loss, 4),
               "dev_token_acc": round(acc, 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"encoder": model.state_dict(), "sgd": opt.state_dict(), "epoch": 3,
                "max_len": LEN}, out / "alibi_tagger.pt")
    finish(out, __file__, {"inputs": ids[ntr:ntr + 64], "mask": mask[ntr:ntr + 64],
                           "targets": tags[ntr:ntr + 64]},
           causes=["loss_ignores_padding"], checkpoint="alibi_tagger.pt", log="tagger.jsonl",
           what="ALiBi encoder token tagger, padded to 48, loss over padding positions",
           complaint="The training loss is down at about 0.15, which looked great, but on the "
                     "dev set only 78 % of the real events get the right tag.")


if __name__ == "__main__":
    main()
