"""A small Transformer language model (2 pre-norm layers, d 64, 4 heads, causal mask, learned
positions) on a token stream from a 32-symbol Markov source whose every symbol has 3 likely
successors, trained the word_language_model way: the stream is ``batchify``-ed into 20
columns, ``get_batch`` cuts 35-step (T, B) windows and the model is batch-first, so inputs
and targets are transposed to (B, T); AdamW 1e-3, 300 steps, a JSON-lines log every 25
steps. Looks odd but is fine: the loss levels off at about 1.4 nats, far above 0 -- the
entropy rate of the source (about 1.37 nats) is the floor."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

V, T, B = 32, 35, 20


def source(g):
    logits = torch.full((V, V), -4.0)
    for a in range(V):
        nxt = torch.randperm(V, generator=g)[:3]
        logits[a, nxt] = torch.tensor([1.5, 1.0, 0.5])
    return logits.softmax(1)


def stream(n, probs, g):
    s = torch.empty(n, dtype=torch.long)
    s[0] = 0
    u = torch.multinomial(probs, n, replacement=True, generator=g)  # (V, n) draws per state
    for i in range(1, n):
        s[i] = u[s[i - 1], i]
    return s


def batchify(data, bsz):
    nb = data.size(0) // bsz
    return data[:nb * bsz].view(bsz, -1).t().contiguous()  # (N, B), as in word_language_model


def get_batch(src, i):
    seq_len = min(T, len(src) - 1 - i)
    return src[i:i + seq_len], src[i + 1:i + 1 + seq_len]  # (T, B) each


class TinyLM(nn.Module):
    def __init__(self, d=64, layers=2, heads=4):
        super().__init__()
        self.tok = nn.Embedding(V, d)
        self.pos = nn.Embedding(T, d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0, batch_first=True,
                                           norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, V)

    def forward(self, idx):  # (B, T) -> (B, T, V)
        t = idx.size(1)
        h = self.tok(idx) + self.pos(torch.arange(t))
        mask = nn.Transformer.generate_square_subsequent_mask(t)
        return self.head(self.norm(self.blocks(h, mask=mask, is_causal=True)))


def build():
    torch.manual_seed(0)
    return TinyLM()


def main():
    from _tenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    probs = source(g)
    train = batchify(stream(40000, probs, g), B)
    val = batchify(stream(4000, probs, g), B)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    log = open(out / "lm_log.jsonl", "w")
    step, i = 0, 0
    while step < 300:
        if i + T + 1 >= len(train):
            i = 0
        data, targets = get_batch(train, i)
        i += T
        model.train()
        logits = model(data.t())  # (B, T, V)
        loss = F.cross_entropy(logits.reshape(-1, V), targets.t().reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        opt.step()
        step += 1
        if step % 25 == 0:
            model.eval()
            with torch.no_grad():
                vl = []
                for j in range(0, len(val) - T - 1, T):
                    vd, vt = get_batch(val, j)
                    vl.append(F.cross_entropy(model(vd.t()).reshape(-1, V),
                                              vt.t().reshape(-1)).item())
            rec = {"step": step, "train_loss": loss.item(), "val_loss": sum(vl) / len(vl),
                   "lr": opt.param_groups[0]["lr"]}
            log.write(json.dumps(rec) + "\n")
            if step % 100 == 0:
                print({k: round(v, 4) for k, v in rec.items()})
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step},
               out / "lm.pt")
    vd, vt = get_batch(val, 0)
    finish(out, __file__, (vd.t(), vt.t()), causes=[],
           checkpoint="lm.pt", log="lm_log.jsonl",
           what="Transformer LM on a Markov token stream, loss floor at the entropy rate")


if __name__ == "__main__":
    main()
