"""LambdaRank learning-to-rank MLP on synthetic query–document features: 160 queries of 20
candidate documents, 16 features each (text-match scores, freshness, click prior …); graded
relevance 0–4 from a hidden nonlinear function of the features plus noise, cut at per-query
thresholds; a few queries (about 3 %) have no relevant document at all (every grade 0). The
scorer: an MLP 16-64-32-1. The loss is LambdaRank written by hand: for every pair with
rel_i > rel_j, a pairwise logistic loss softplus(−(s_i − s_j)) weighted by |ΔNDCG_ij| (the
change in NDCG@20 from swapping the two in the current ranking, a detached weight). Adam 3e-3,
8 queries per step, 8 epochs; the CSV log holds the mean lambda loss every 5 steps and the val
NDCG@10 per epoch (queries with no relevant document skipped).
Bug: ΔNDCG is divided by the query's ideal DCG with no guard, and a query with every grade 0
has IDCG = 0, so its weights are 0/0 = NaN and the first such query turns the loss and then
every weight to NaN."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

DOCS, FEAT = 20, 16


def queries(n, g):
    gen = torch.Generator().manual_seed(5)
    w1 = torch.randn(FEAT, 8, generator=gen) / 3
    w2 = torch.randn(8, generator=gen)
    x = torch.randn(n, DOCS, FEAT, generator=g)
    util = torch.tanh(x @ w1) @ w2 + 0.3 * torch.randn(n, DOCS, generator=g)
    q = torch.quantile(util, torch.tensor([0.5, 0.75, 0.88, 0.96]), dim=1)  # (4, n)
    rel = (util[None] > q[:, :, None]).sum(0).float()
    dead = torch.rand(n, generator=g) < 0.03
    rel[dead] = 0.0
    return x, rel


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(FEAT, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 1), nn.Flatten(-2))


def dcg(rel_sorted, k=None):
    k = k or rel_sorted.shape[-1]
    disc = 1.0 / torch.log2(torch.arange(k, dtype=torch.float32) + 2)
    return ((2 ** rel_sorted[..., :k] - 1) * disc).sum(-1)


def ndcg_at(scores, rel, k):
    got = dcg(torch.gather(rel, 1, scores.argsort(1, descending=True)), k)
    ideal = dcg(rel.sort(1, descending=True).values, k)
    keep = ideal > 0
    return (got[keep] / ideal[keep]).mean().item()


def lambda_loss(s, rel):
    rank = s.detach().argsort(1, descending=True).argsort(1).float()
    disc = 1.0 / torch.log2(rank + 2)
    gain = 2 ** rel - 1
    idcg = dcg(rel.sort(1, descending=True).values)
    delta = ((gain[:, :, None] - gain[:, None, :]) * (disc[:, :, None] - disc[:, None, :])).abs()
    delta = delta / idcg[:, None, None]
    pairs = (rel[:, :, None] > rel[:, None, :]).float()
    diff = s[:, :, None] - s[:, None, :]
    return (pairs * delta * F.softplus(-diff)).sum() / pairs.sum().clamp(min=1)


def main():
    from _sixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, rel = queries(160, g)
    ntr = 128
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    f = open(out / "ltr_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "step", "lambda_loss", "val_ndcg@10"])
    step, run = 0, []
    for epoch in range(8):
        model.train()
        for idx in torch.randperm(ntr, generator=g).split(8):
            loss = lambda_loss(model(x[idx]), rel[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            run.append(loss.item())
            if step % 5 == 0:
                w.writerow([epoch, step, round(sum(run) / len(run), 5), ""])
                run = []
        model.eval()
        with torch.no_grad():
            nd = ndcg_at(model(x[ntr:]), rel[ntr:], 10)
        w.writerow([epoch, step, "", "nan" if math.isnan(nd) else round(nd, 4)])
        print(epoch, step, nd)
    f.close()
    with torch.no_grad():
        print("random order ndcg@10", ndcg_at(torch.rand(32, DOCS, generator=g), rel[ntr:], 10))
    torch.save({"params": model.state_dict(), "adam": opt.state_dict(), "queries_seen": step * 8},
               out / "lambdarank.pt")
    finish(out, __file__, (x[:8], rel[:8]), causes=["numerical_log_or_div_zero"],
           checkpoint="lambdarank.pt", log="ltr_log.csv",
           what="LambdaRank MLP, |dNDCG| divided by IDCG = 0 for all-irrelevant queries",
           complaint="排序模型训练第一个 epoch 里 loss 就变成 nan 了，之后验证集 NDCG@10 "
                     "也一直是 nan 或者跟随机排序差不多。")


if __name__ == "__main__":
    main()
