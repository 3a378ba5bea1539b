"""RankNet pairwise ranking on synthetic query-document features (a small intranet search):
150 queries with 20 candidate documents each, 6 features per (query, document): BM25 score
(0-30), document length in words (200-8000), inbound links (0-5000), click-through rate
(0-1), freshness (0-1, 1 = edited today) and a title-match flag (0/1). The graded relevance
(0-4) comes from BM25, CTR, title match, freshness, log links and a length penalty, plus
noise. An MLP 6 -> 64 -> 64 -> 1 scores each document; the loss is RankNet's pairwise logistic
loss on every pair of a query with different grades; Adam 1e-3, 4 queries per step, 25
epochs; JSON-lines log per epoch (``pair_loss``, ``val_ndcg5``, ``val_pair_acc``) on 30
held-out queries.
Bug: the raw features go straight into the MLP (no standardisation): lengths and link counts
in the thousands sit next to CTR and freshness in 0-1, so the first layer is driven by the
two big columns and the small ones are drowned."""
import json
import math

import torch
import torch.nn as nn

Q, D, F = 150, 20, 6


def make_queries(g):
    bm25 = torch.rand(Q, D, generator=g) * 30
    length = 200 + torch.rand(Q, D, generator=g) * 7800
    links = torch.exp(torch.rand(Q, D, generator=g) * math.log(5000))
    ctr = torch.rand(Q, D, generator=g)
    fresh = torch.rand(Q, D, generator=g)
    title = (torch.rand(Q, D, generator=g) < 0.3).float()
    x = torch.stack([bm25, length, links, ctr, fresh, title], -1)
    score = (bm25 / 10 + 2.0 * ctr + 1.0 * title + 0.8 * fresh + 0.15 * torch.log(links)
             - 0.5 * (length / 8000) + 0.4 * torch.randn(Q, D, generator=g))
    qs = (score - score.mean(1, keepdim=True)) / score.std(1, keepdim=True)
    grade = torch.bucketize(qs, torch.tensor([-0.5, 0.3, 0.9, 1.5]))
    return x, grade


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(F, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1), nn.Flatten(0))


def ndcg5(scores, grade):
    order = scores.argsort(-1, descending=True)[..., :5]
    disc = 1 / torch.log2(torch.arange(2, 7).float())
    dcg = ((2.0 ** grade.gather(-1, order) - 1) * disc).sum(-1)
    ideal = ((2.0 ** grade.sort(-1, descending=True)[0][..., :5] - 1) * disc).sum(-1)
    return (dcg / ideal.clamp_min(1e-9)).mean().item()


def pair_loss(s, grade):
    diff = s[:, :, None] - s[:, None, :]
    sign = torch.sign(grade[:, :, None] - grade[:, None, :]).float()
    keep = sign > 0
    return nn.functional.softplus(-diff[keep]).mean(), (diff[keep] > 0).float().mean().item()


def main():
    from _fortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, grade = make_queries(g)
    tx, tg, vx, vg = x[:120], grade[:120], x[120:], grade[120:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "rank_log.jsonl", "w")
    for epoch in range(25):
        model.train()
        total = 0.0
        for idx in torch.randperm(120, generator=g).split(4):
            loss, _ = pair_loss(model(tx[idx].view(-1, F)).view(len(idx), D), tg[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() / 30
        model.eval()
        with torch.no_grad():
            vs = model(vx.view(-1, F)).view(-1, D)
            vl, acc = pair_loss(vs, vg)
            nd = ndcg5(vs, vg)
        log.write(json.dumps({"epoch": epoch, "pair_loss": round(total, 4),
                              "val_pair_loss": round(vl.item(), 4), "val_ndcg5": round(nd, 4),
                              "val_pair_acc": round(acc, 4)}) + "\n")
        print(epoch, round(total, 4), round(vl.item(), 4), round(nd, 4), round(acc, 4))
    log.close()
    with torch.no_grad():
        rand = ndcg5(torch.rand(vg.shape, generator=g), vg)
    print("random order ndcg5", round(rand, 4))
    torch.save({"scorer": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch},
               out / "ranknet.pt")
    finish(out, __file__, (vx[:4].reshape(-1, F), vg[:4].reshape(-1).float()),
           causes=["input_not_normalized"], checkpoint="ranknet.pt", log="rank_log.jsonl",
           what="RankNet MLP on raw query-document features (lengths, links in the thousands)",
           complaint="our learned ranker is barely better than sorting by BM25, NDCG@5 on the "
                     "held-out queries is stuck low and the pair loss hardly goes down")


if __name__ == "__main__":
    main()
