"""BigBird/Longformer-style sparse-attention encoder tagging every token of synthetic long
documents with one of 3 section roles. A document is 16–128 tokens (most are short, a long
tail), padded to 128 with id 0. Position 1 holds a topic marker (3 topics); a token's role
is (its word group, ids 4–22 / 23–41 / 42–60, + the topic) mod 3, so a token far from the
start needs the global tokens to know the topic. Attention: a sliding window of ±6 plus 4
global tokens (positions 0–3 attend to and are attended by all), pads masked out of the keys.
2 pre-LN blocks, d 32, 4 heads, Adam 3e-3, batch 32, 4 epochs over 800 documents; a
JSON-lines log with the step loss every 10 steps and per epoch the val loss and the
real-token val accuracy.
Bug: the role tags are padded with 0 (a real role) and the cross-entropy is taken over every
position (no ``ignore_index`` / mask): on average 64 % of the positions are padding, which the
model learns to call role 0, and the real tokens get a third of the gradient."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, LEN, PAD, GLOBAL, WIN, D, HEADS = 64, 128, 0, 4, 6, 32, 4


def documents(n, g):
    lengths = (16 + torch.distributions.Exponential(1 / 30.).sample((n,))).long().clamp(max=LEN)
    topic = torch.randint(0, 3, (n,), generator=g)
    ids = torch.randint(4, 61, (n, LEN), generator=g)
    ids[:, 0] = 1
    ids[:, 1] = 61 + topic
    ids[:, 2], ids[:, 3] = 2, 3
    tags = ((ids - 4) // 19 + topic[:, None]) % 3
    real = torch.arange(LEN)[None] < lengths[:, None]
    ids = ids * real
    tags = tags * real  # padded with 0
    return ids, tags, real


def sparse_mask():
    i = torch.arange(LEN)
    allowed = (i[:, None] - i[None]).abs() <= WIN
    allowed[:GLOBAL] = True
    allowed[:, :GLOBAL] = True
    return allowed


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.qkv, self.proj = nn.Linear(D, 3 * D), nn.Linear(D, D)
        self.ff = nn.Sequential(nn.Linear(D, 4 * D), nn.GELU(), nn.Linear(4 * D, D))

    def forward(self, x, allowed):
        b, n, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, n, 3, HEADS, D // HEADS).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / (D // HEADS) ** 0.5
        att = att.masked_fill(~allowed[:, None], float("-inf")).softmax(-1)
        x = x + self.proj((att @ v).transpose(1, 2).reshape(b, n, D))
        return x + self.ff(self.ln2(x))


class SparseTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb, self.pos = nn.Embedding(VOCAB, D), nn.Embedding(LEN, D)
        self.blocks = nn.ModuleList(Block() for _ in range(2))
        self.head = nn.Sequential(nn.LayerNorm(D), nn.Linear(D, 3))
        self.register_buffer("window", sparse_mask(), persistent=False)

    def forward(self, ids):
        allowed = self.window[None] & (ids != PAD)[:, None, :]
        x = self.emb(ids) + self.pos.weight[: ids.shape[1]]
        for blk in self.blocks:
            x = blk(x, allowed)
        return self.head(x)


def build():
    torch.manual_seed(0)
    return SparseTagger()


def main():
    from _fiftysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    ids, tags, real = documents(1000, g)
    ntr = 800
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "tagger_log.jsonl", "w")
    step = 0
    for epoch in range(4):
        model.train()
        for idx in torch.randperm(ntr, generator=g).split(32):
            logits = model(ids[idx])
            loss = F.cross_entropy(logits.reshape(-1, 3), tags[idx].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                log.write(json.dumps({"step": step, "loss": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            logits = model(ids[ntr:])
            vl = F.cross_entropy(logits.reshape(-1, 3), tags[ntr:].reshape(-1)).item()
            r = real[ntr:]
            acc = (logits.argmax(-1)[r] == tags[ntr:][r]).float().mean().item()
        log.write(json.dumps({"epoch": epoch, "step": step, "val_loss": round(vl, 4),
                              "val_token_acc": round(acc, 4)}) + "\n")
        print(epoch, round(loss.item(), 4), round(vl, 4), round(acc, 4), flush=True)
    log.close()
    torch.save({"weights": model.state_dict(), "sgd": opt.state_dict(), "epoch": epoch,
                "global_step": step}, out / "tagger.pt")
    finish(out, __file__, (ids[ntr:ntr + 32], tags[ntr:ntr + 32]),
           causes=["loss_ignores_padding"], checkpoint="tagger.pt", log="tagger_log.jsonl",
           what="sparse-attention (window + global) long-document tagger, loss over pad positions",
           complaint="Training and validation loss are down around 0.3 and look fine, but when I "
                     "check the tags on the actual document tokens about 40% of them are wrong.")


if __name__ == "__main__":
    main()
