"""A pairwise learning-to-rank model for a help-centre search box: 300 queries x 20 candidate
articles, 12 features per (query, article) pair (BM25-like text match, click rate, freshness,
length ...), graded relevance 0-3 from a non-linear function of them plus annotator noise. An
MLP scorer 12-64-32-1 trained with ``nn.MarginRankingLoss(margin=1)`` on (more relevant, less
relevant) pairs sampled within each query; Adam 1e-3, batch 256 pairs, 10 epochs, a CSV per
epoch with val NDCG@5 and pairwise accuracy. Bug: the call is ``loss_fn(s_less, s_more,
ones)`` -- with target +1 MarginRankingLoss wants its *first* argument ranked higher, so the
model is trained to put the less relevant article on top: the loss falls as in a healthy run
while val NDCG@5 is 0.002 and the val pairwise accuracy 0.054 -- the ranking is reversed
(``loss_fn(s_more, s_less, ones)``: the same loss curve, NDCG@5 0.90, pair accuracy 0.95)."""
import csv

import torch
import torch.nn as nn

Q, DOCS, FEATS = 300, 20, 12


def corpus(n_q, g):
    x = torch.randn(n_q, DOCS, FEATS, generator=g)
    score = (1.2 * x[..., 0] + 0.8 * torch.tanh(x[..., 1] * 2) + 0.5 * x[..., 2] * x[..., 3]
             - 0.6 * x[..., 4].abs() + 0.5 * torch.randn(n_q, DOCS, generator=g))
    rel = torch.bucketize(score, torch.tensor([0.0, 1.0, 2.0]))  # 0..3
    return x, rel


def ndcg_at_5(scores, rel):
    order = scores.argsort(dim=1, descending=True)[:, :5]
    disc = 1 / torch.log2(torch.arange(2, 7, dtype=torch.float))
    dcg = ((2 ** rel.gather(1, order).float() - 1) * disc).sum(1)
    ideal = ((2 ** rel.sort(dim=1, descending=True).values[:, :5].float() - 1) * disc).sum(1)
    return (dcg / ideal.clamp(min=1e-9)).mean().item()


def pairs(rel, g, per_query=40):
    qs, more, less = [], [], []
    for q in range(len(rel)):
        i = torch.randint(0, DOCS, (per_query * 3,), generator=g)
        j = torch.randint(0, DOCS, (per_query * 3,), generator=g)
        keep = rel[q, i] > rel[q, j]
        i, j = i[keep][:per_query], j[keep][:per_query]
        qs.append(torch.full_like(i, q))
        more.append(i)
        less.append(j)
    return torch.cat(qs), torch.cat(more), torch.cat(less)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(FEATS, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 1))


def main():
    from _eleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, rel = corpus(Q, g)
    vx, vrel = corpus(100, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MarginRankingLoss(margin=1.0)
    f = open(out / "ranker_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_ndcg@5", "val_pair_acc"])
    vq, vm, vl = pairs(vrel, g)
    for epoch in range(10):
        model.train()
        q, more, less = pairs(rel, g)
        total, nb = 0.0, 0
        for idx in torch.randperm(len(q), generator=g).split(256):
            s_more = model(x[q[idx], more[idx]]).squeeze(-1)
            s_less = model(x[q[idx], less[idx]]).squeeze(-1)
            loss = loss_fn(s_less, s_more, torch.ones(len(idx)))  # BUG: arguments swapped
            opt.zero_grad()
            loss.backward()
            opt.step()
            total, nb = total + loss.item(), nb + 1
        model.eval()
        with torch.no_grad():
            vs = model(vx).squeeze(-1)
            ndcg = ndcg_at_5(vs, vrel)
            pair_acc = (vs[vq, vm] > vs[vq, vl]).float().mean().item()
        w.writerow([epoch, total / nb, ndcg, pair_acc])
        print(epoch, round(total / nb, 4), round(ndcg, 3), round(pair_acc, 3))
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch}, out / "ranker.pt")
    finish(out, __file__, (vx[:8].reshape(-1, FEATS), vrel[:8].reshape(-1).float()),
           causes=["labels_wrong", "loss_sign_error"], checkpoint="ranker.pt",
           log="ranker_log.csv",
           what="pairwise ranker, MarginRankingLoss arguments in the wrong order",
           complaint="搜索排序模型的训练 loss 正常下降（0.13），可验证集 NDCG@5 只有 0.002，"
                     "比随机排序还差很多，成对准确率 5%")


if __name__ == "__main__":
    main()
