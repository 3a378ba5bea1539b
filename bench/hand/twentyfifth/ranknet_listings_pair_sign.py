"""RankNet for a holiday-rental search page: a small MLP scores each (query, listing) pair
from 12 features (price vs. the query's budget, distance, rating, photo count, ...), trained
with the pairwise logistic loss on score differences. Synthetic click-graded relevance (0-3)
from a hidden non-linear utility plus noise, 20 listings per query, 300 training queries and
80 validation ones; all within-query pairs with different grades. Adam lr 1e-3, 15 epochs of
20 queries per batch. Bug: the pair target is built as ``(rel[j] > rel[i])`` for the score
difference ``s_i - s_j``, so the model learns to put the worst listings first: the pairwise
loss falls normally (0.655 -> 0.142) while validation NDCG@5 goes 0.032 -> 0.010 and pair
accuracy 0.16 -> 0.065, far below a random order (NDCG@5 0.35); with ``(rel[i] > rel[j])``:
loss 0.144, NDCG@5 0.91, pair accuracy 0.935)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

PER_Q, FEATS = 20, 12


def search_logs(n_queries, g):
    x = torch.randn(n_queries, PER_Q, FEATS, generator=g)
    u = (1.2 * x[..., 0] - 0.8 * x[..., 1].abs() + 0.6 * x[..., 2] * x[..., 3]
         + 0.5 * torch.tanh(x[..., 4]) + 0.4 * x[..., 5])
    u = u + 0.6 * torch.randn(n_queries, PER_Q, generator=g)
    q = torch.quantile(u, torch.tensor([0.5, 0.8, 0.95]))
    rel = torch.bucketize(u, q)                           # grades 0..3
    return x, rel.float()


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(FEATS, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 1))


def pairwise(scores, rel):
    diff = scores[:, :, None] - scores[:, None, :]        # s_i - s_j
    target = (rel[:, None, :] > rel[:, :, None]).float()   # 1 where i should rank above j
    mask = rel[:, :, None] != rel[:, None, :]
    return F.binary_cross_entropy_with_logits(diff[mask], target[mask])


def ndcg_at(scores, rel, k=5):
    order = scores.argsort(1, descending=True)[:, :k]
    disc = 1 / torch.log2(torch.arange(2, k + 2).float())
    dcg = ((2 ** rel.gather(1, order) - 1) * disc).sum(1)
    ideal = ((2 ** rel.sort(1, descending=True).values[:, :k] - 1) * disc).sum(1)
    return (dcg / ideal.clamp(min=1e-9)).mean().item()


def pair_acc(scores, rel):
    mask = rel[:, :, None] > rel[:, None, :]
    return ((scores[:, :, None] > scores[:, None, :])[mask]).float().mean().item()


def main():
    from _twentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, rel = search_logs(380, g)
    xtr, rtr, xva, rva = x[:300], rel[:300], x[300:], rel[300:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "ranknet_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "pair_loss", "val_pair_loss", "val_ndcg@5", "val_pair_acc"])
    for epoch in range(15):
        model.train()
        tot = 0.0
        for idx in torch.randperm(300, generator=g).split(20):
            loss = pairwise(model(xtr[idx]).squeeze(-1), rtr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() / 15
        model.eval()
        with torch.no_grad():
            s = model(xva).squeeze(-1)
            row = [epoch, round(tot, 5), round(pairwise(s, rva).item(), 5),
                   round(ndcg_at(s, rva), 4), round(pair_acc(s, rva), 4)]
        w.writerow(row)
        print(row)
    f.close()
    rand = ndcg_at(torch.rand(rva.shape, generator=g), rva)
    print("random-order ndcg@5", round(rand, 4))
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "ranknet.pt")
    finish(out, __file__, (xva[:8], rva[:8]), causes=["labels_wrong"],
           checkpoint="ranknet.pt", log="ranknet_log.csv",
           what="RankNet listing ranker whose pair targets say j beats i when i has the "
                "higher grade (pair label sign flipped)",
           complaint="RankNet loss goes down nicely but NDCG@5 on validation gets worse every "
                     "epoch and ends below what a random shuffle of the listings gives.")


if __name__ == "__main__":
    main()
