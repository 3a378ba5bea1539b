"""Context-aware listwise re-ranker (SetRank-style: one self-attention layer across the
documents of a query, no positions) trained with the ListNet loss (softmax cross-entropy between
each query's relevance distribution and its scores) on synthetic job-search logs. 1200 queries
(1000 train, 200 validation) of 20 candidate postings each; a query has 6 features (skills,
seniority, location …), a posting 10; graded relevance 0–4 from a hidden bilinear match plus
noise, and a per-query popularity shift on two posting features (some queries only see popular
postings). Each posting's input is its features, the query's and their products (26 numbers);
MLP 64 → attention (4 heads) → MLP → one score per posting, a (postings, 1) column. Adam 1e-3,
one query list per step (the list is the batch), 4 epochs; the log is JSON lines (``listnet``
every 50 queries, ``val_listnet`` and ``val_ndcg@5`` per epoch, scored over all postings).
Bug: the loss was written for a (queries, postings) matrix, softmax over ``dim=1``, and is called
on one query's (postings, 1) column: both softmaxes run over the size-1 axis, the target is all
ones, ``log_softmax`` is all zeros and the loss is exactly 0 with no gradient — the softmax had
to run over ``dim=0``, the 20 postings."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

Q_F, D_F, DOCS = 6, 10, 20


def queries(n, g):
    w = torch.randn(Q_F, D_F, generator=g) / 2
    q = torch.randn(n, Q_F, generator=g)
    d = torch.randn(n, DOCS, D_F, generator=g)
    d[:, :, :2] += 1.5 * torch.randn(n, 1, 2, generator=g)
    match = torch.einsum("qf,fg,qdg->qd", q, w, d) + 0.5 * torch.randn(n, DOCS, generator=g)
    z = (match - match.mean(1, keepdim=True)) / match.std(1, keepdim=True)
    rel = torch.bucketize(z, torch.tensor([0.0, 0.7, 1.3, 1.9])).float()
    return q, d, rel


def features(q, d):
    qd = q[:, None, :].expand(-1, DOCS, -1)
    return torch.cat([d, qd, d[..., :Q_F] * qd, d[..., Q_F:] * qd[..., :D_F - Q_F]], -1)


class SetRanker(nn.Module):
    def __init__(self, width=64):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(D_F + 2 * Q_F + D_F - Q_F, width), nn.ReLU(),
                                 nn.Linear(width, width))
        self.attn = nn.MultiheadAttention(width, 4, batch_first=True)
        self.norm = nn.LayerNorm(width)
        self.out = nn.Sequential(nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 1))

    def forward(self, x):
        h = self.enc(x)
        h = self.norm(h + self.attn(h, h, h, need_weights=False)[0])
        return self.out(h)


def listnet(scores, rel):
    return -(F.softmax(rel, dim=1) * F.log_softmax(scores, dim=1)).sum(1).mean()


def ndcg5(scores, rel):
    gains = 2 ** rel - 1
    disc = 1 / torch.log2(torch.arange(2, 7).float())
    got = (gains.gather(1, scores.argsort(1, descending=True)[:, :5]) * disc).sum(1)
    best = (gains.sort(1, descending=True)[0][:, :5] * disc).sum(1)
    return (got / best.clamp_min(1e-9)).mean().item()


def build():
    torch.manual_seed(0)
    return SetRanker()


def main():
    from _fiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    q, d, rel = queries(1200, g)
    x = features(q, d)
    tx, trel, vx, vrel = x[:1000], rel[:1000], x[1000:], rel[1000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "ranker_log.jsonl", "w")
    n_seen = 0
    for epoch in range(4):
        model.train()
        for i in torch.randperm(1000, generator=g).tolist():
            loss = listnet(model(tx[i][None])[0], trel[i][:, None])
            opt.zero_grad()
            loss.backward()
            opt.step()
            n_seen += 1
            if n_seen % 50 == 0:
                log.write(json.dumps({"query": n_seen, "epoch": epoch,
                                      "listnet": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            vs = model(vx).squeeze(-1)
            vl = -(F.softmax(vrel, 1) * F.log_softmax(vs, 1)).sum(1).mean().item()
            nd = ndcg5(vs, vrel)
        log.write(json.dumps({"query": n_seen, "epoch": epoch, "val_listnet": round(vl, 4),
                              "val_ndcg@5": round(nd, 4)}) + "\n")
        print(epoch, round(loss.item(), 4), round(vl, 4), round(nd, 4))
    log.close()
    torch.save({"net": model.state_dict(), "adam": opt.state_dict(), "epochs_done": epoch + 1},
               out / "setrank.pt")
    finish(out, __file__, (vx[:1], vrel[:1, :, None]), causes=["softmax_wrong_dim"],
           checkpoint="setrank.pt", log="ranker_log.jsonl",
           what="SetRank-style re-ranker, ListNet softmax over the size-1 axis of a column",
           complaint="职位排序模型训练了四轮，训练损失从头到尾都是 0，验证集 NDCG@5 "
                     "一直停在 0.27 不动，跟随机排序差不多")


if __name__ == "__main__":
    main()
