"""BiDAF-lite span extractor on synthetic passages. A passage is 30 tokens of filler words
(ids 40–99); somewhere in it stands a cue word (ids 3–22), then the answer (1–4 filler
words), then the end marker (id 2). The question is 5 tokens: the cue word and 4 fillers.
Model: embedding 32, a shared BiGRU encoder (24 per direction), the trilinear similarity
S_ij = w·[c_i; q_j; c_i ⊙ q_j], context-to-query attention (softmax over the question) and
query-to-context attention (softmax over max_j S_ij), G = [c; c̃; c ⊙ c̃; c ⊙ h̃], a BiGRU
modelling layer, and start / end pointer heads; the forward returns (B, 30, 2) logits, so
``cross_entropy(logits, spans)`` with spans (B, 2) = (start, end) trains both pointers. Adam
3e-3, batch 64, 5 epochs over 1200 passages, 300 for validation; the log is JSON lines
(``it`` / ``span_loss`` every 10 iterations and ``val_span_loss`` / ``val_em`` / ``val_start_acc``
per epoch).
Bug: the training set is shuffled once with ``perm`` (``passages[perm]``, ``questions[perm]``)
but the span array is left in the original order, so every training passage is paired with
another passage's answer positions."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

PLEN, QLEN, VOCAB = 30, 5, 100


def passages(n, g):
    p = torch.randint(40, VOCAB, (n, PLEN), generator=g)
    q = torch.randint(40, VOCAB, (n, QLEN), generator=g)
    spans = torch.zeros(n, 2, dtype=torch.long)
    for i in range(n):
        length = int(torch.randint(1, 5, (1,), generator=g))
        cue_at = int(torch.randint(0, PLEN - length - 1, (1,), generator=g))
        cue = int(torch.randint(3, 23, (1,), generator=g))
        p[i, cue_at] = cue
        p[i, cue_at + length + 1] = 2
        q[i, int(torch.randint(0, QLEN, (1,), generator=g))] = cue
        spans[i] = torch.tensor([cue_at + 1, cue_at + length])
    return p, q, spans


class BiDAFLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32)
        self.enc = nn.GRU(32, 24, batch_first=True, bidirectional=True)
        self.sim = nn.Linear(3 * 48, 1)
        self.model = nn.GRU(4 * 48, 24, batch_first=True, bidirectional=True)
        self.start = nn.Linear(48 + 4 * 48, 1)
        self.end_rnn = nn.GRU(48, 24, batch_first=True, bidirectional=True)
        self.end = nn.Linear(48 + 4 * 48, 1)

    def forward(self, passage, question):
        c = self.enc(self.emb(passage))[0]
        q = self.enc(self.emb(question))[0]
        ci = c[:, :, None].expand(-1, -1, QLEN, -1)
        qj = q[:, None].expand(-1, PLEN, -1, -1)
        s = self.sim(torch.cat([ci, qj, ci * qj], -1)).squeeze(-1)
        c2q = torch.softmax(s, 2) @ q
        q2c = (torch.softmax(s.amax(2), 1)[:, None] @ c).expand(-1, PLEN, -1)
        g = torch.cat([c, c2q, c * c2q, c * q2c], -1)
        m = self.model(g)[0]
        m2 = self.end_rnn(m)[0]
        start = self.start(torch.cat([g, m], -1))
        end = self.end(torch.cat([g, m2], -1))
        return torch.cat([start, end], -1)


def build():
    torch.manual_seed(0)
    return BiDAFLite()


def main():
    from _sixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    p, q, spans = passages(1500, g)
    perm = torch.randperm(1200, generator=g)
    tp, tq = p[:1200][perm], q[:1200][perm]
    ts = spans[:1200]
    vp, vq, vs = p[1200:], q[1200:], spans[1200:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "bidaf_log.jsonl", "w")
    it = 0
    for epoch in range(5):
        model.train()
        for idx in torch.randperm(1200, generator=g).split(64):
            loss = F.cross_entropy(model(tp[idx], tq[idx]), ts[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            if it % 10 == 0:
                log.write(json.dumps({"it": it, "span_loss": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            logits = model(vp, vq)
            vl = F.cross_entropy(logits, vs).item()
            pred = logits.argmax(1)
            em = (pred == vs).all(1).float().mean().item()
            sa = (pred[:, 0] == vs[:, 0]).float().mean().item()
        log.write(json.dumps({"it": it, "epoch": epoch, "val_span_loss": round(vl, 4),
                              "val_em": round(em, 4), "val_start_acc": round(sa, 4)}) + "\n")
        print(epoch, it, round(loss.item(), 4), round(vl, 4), round(em, 4), round(sa, 4))
    log.close()
    torch.save({"model": model.state_dict(), "adam": opt.state_dict(), "epoch": epoch,
                "iteration": it}, out / "bidaf_lite.pt")
    finish(out, __file__, {"inputs": tp[:128], "question": tq[:128], "targets": ts[:128]},
           causes=["labels_wrong"], checkpoint="bidaf_lite.pt", log="bidaf_log.jsonl",
           what="BiDAF-lite span extractor, training spans not permuted with the passages",
           complaint="阅读理解模型的 span loss 一直降不下去，验证集 exact match 只有百分之几，"
                     "预测的起止位置看起来像是随便猜的")


if __name__ == "__main__":
    main()
