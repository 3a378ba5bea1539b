"""Pointer-generator summariser on synthetic source / summary token sequences. A source is 20
tokens: filler words from one of 4 topics (ids 10–49, 10 per topic; 75 % of the filler from
the document's topic, the rest from the others) and 3 names (ids 50–149, rare, outside the
decoder's 50-word output vocabulary), each right after the marker token 3. The summary is the
topic word (ids 5–8), then the 3 names in order, then EOS (2): 5 tokens, the names can only be
copied. Model: embeddings (150 × 32), a BiGRU encoder (2 × 32), a GRU-cell decoder with
Bahdanau attention; P_vocab over the 50 output words, a generation gate
p_gen = σ(w · [context, state, input]) and the final distribution
p_gen · P_vocab + (1 − p_gen) · (attention scattered onto the source ids) over the extended
150 ids; loss −log p(target), teacher forcing (the decoder input is BOS 1 then the summary).
Adam, batch 32, 8 epochs over 1600 pairs (300 for validation). Log: JSON lines
``{"step", "nll"}`` every 10 steps and ``{"epoch", "val_nll", "val_token_acc", "val_exact"}``
per epoch.
Bug: ``lr=1e-6`` (meant 1e-3): in 400 steps the loss barely moves."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

EXT, OUT_V, SRC, H = 150, 50, 20, 32
BOS, EOS, MARK = 1, 2, 3


def digests(n, g):
    src = torch.zeros(n, SRC, dtype=torch.long)
    tgt = torch.zeros(n, 5, dtype=torch.long)
    for i in range(n):
        topic = int(torch.randint(0, 4, (1,), generator=g))
        own = torch.rand(SRC, generator=g) < 0.75
        other = torch.randint(0, 4, (SRC,), generator=g)
        t = torch.where(own, torch.full((SRC,), topic), other)
        src[i] = 10 + 10 * t + torch.randint(0, 10, (SRC,), generator=g)
        pos = torch.randperm(SRC // 2 - 1, generator=g)[:3].sort().values * 2
        names = torch.randint(50, EXT, (3,), generator=g)
        src[i, pos] = MARK
        src[i, pos + 1] = names
        tgt[i] = torch.tensor([5 + topic, *names.tolist(), EOS])
    return src, tgt


class PointerGenerator(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(EXT, H)
        self.encoder = nn.GRU(H, H, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(2 * H, H)
        self.cell = nn.GRUCell(H + 2 * H, H)
        self.att_enc, self.att_dec = nn.Linear(2 * H, H, bias=False), nn.Linear(H, H)
        self.att_v = nn.Linear(H, 1, bias=False)
        self.vocab = nn.Sequential(nn.Linear(3 * H, H), nn.Tanh(), nn.Linear(H, OUT_V))
        self.gate = nn.Linear(2 * H + H + H, 1)

    def forward(self, src, dec_in):  # → log of the final distribution (B, T, 150)
        enc, _ = self.encoder(self.emb(src))
        s = torch.tanh(self.bridge(enc.mean(1)))
        ctx = torch.zeros(len(src), 2 * H)
        keys = self.att_enc(enc)
        outs = []
        for t in range(dec_in.shape[1]):
            x = self.emb(dec_in[:, t])
            s = self.cell(torch.cat([x, ctx], -1), s)
            a = torch.softmax(self.att_v(torch.tanh(keys + self.att_dec(s)[:, None])).squeeze(-1),
                              -1)
            ctx = (a[:, :, None] * enc).sum(1)
            p_vocab = torch.softmax(self.vocab(torch.cat([s, ctx], -1)), -1)
            p_gen = torch.sigmoid(self.gate(torch.cat([ctx, s, x], -1)))
            final = F.pad(p_gen * p_vocab, (0, EXT - OUT_V))
            final = final.scatter_add(1, src, (1 - p_gen) * a)
            outs.append(torch.log(final + 1e-9))
        return torch.stack(outs, 1)


def build():
    torch.manual_seed(0)
    return PointerGenerator()


def teacher(tgt):
    return torch.cat([torch.full((len(tgt), 1), BOS), tgt[:, :-1]], 1)


def main():
    from _sixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    src, tgt = digests(1900, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-6)
    f = open(out / "pgen_train.jsonl", "w")
    step = 0
    for epoch in range(8):
        model.train()
        perm = torch.randperm(1600, generator=g)
        for b in range(0, 1600, 32):
            idx = perm[b:b + 32]
            logp = model(src[idx], teacher(tgt[idx]))
            loss = F.nll_loss(logp.flatten(0, 1), tgt[idx].flatten())
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 2.0)
            opt.step()
            step += 1
            if step % 10 == 0:
                f.write(json.dumps({"step": step, "nll": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            logp = model(src[1600:], teacher(tgt[1600:]))
            vl = F.nll_loss(logp.flatten(0, 1), tgt[1600:].flatten()).item()
            hit = logp.argmax(-1) == tgt[1600:]
        rec = {"epoch": epoch, "val_nll": round(vl, 4),
               "val_token_acc": round(hit.float().mean().item(), 4),
               "val_exact": round(hit.all(1).float().mean().item(), 4)}
        f.write(json.dumps(rec) + "\n")
        print(rec)
    f.close()
    torch.save({"model_state": model.state_dict(), "optimizer": opt.state_dict(),
                "global_step": step, "extended_vocab": EXT}, out / "pointer_gen.pt")
    finish(out, __file__, {"inputs": src[:64], "dec_in": teacher(tgt[:64]), "targets": tgt[:64]},
           causes=["lr_too_low"], checkpoint="pointer_gen.pt", log="pgen_train.jsonl",
           what="pointer-generator summariser, Adam lr 1e-6",
           complaint="after 8 epochs my pointer-generator still writes garbage summaries: the "
                     "validation NLL is almost where it started and it hasn't learned to copy "
                     "a single name")


if __name__ == "__main__":
    main()
