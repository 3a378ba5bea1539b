"""Link prediction on a synthetic friendship graph (stochastic block model: 300 people in 5
groups, 12 % chance of a link inside a group, 0.5 % across; 20 % of the links held out for
validation; 16 profile features per person, a group mean plus unit noise). A two-layer GCN
over the training links (symmetric normalisation, self loops) on the profile features, a
dot-product decoder, BCEWithLogits on the positive links and as many uniformly drawn
non-links per step; Adam lr 5e-3, 40 epochs of 8 steps (256 positives each). ``log.csv`` has
the train loss and, on the held-out links against as many fresh non-links, the loss and the
ROC AUC.
Bug: the label vector is built as ``torch.ones(2 * n)`` (copied from the positives-only
version of the loop), so the sampled non-links are labelled as links too. The model learns
to call every pair a link: train loss 0.053 (epoch 0) -> 0.0000 from epoch 1, val loss 11.0
-> 37.1 (the held-out non-links get huge positive logits), val AUC 0.52 -> 0.49. Control
(the labels ``cat([ones(256), zeros(256)])``): train loss 0.58 -> 0.50, val loss 0.55 ->
0.53, val AUC 0.849 -> 0.847 (0.846-0.853 throughout)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

N, K = 300, 5


def graph():
    g = torch.Generator().manual_seed(3)
    group = torch.arange(N) % K
    p = torch.where(group[:, None] == group[None, :], 0.12, 0.005)
    a = torch.triu((torch.rand(N, N, generator=g) < p).float(), 1)
    edges = a.nonzero()
    perm = torch.randperm(len(edges), generator=g)
    n_val = len(edges) // 5
    feats = torch.randn(K, 16, generator=g)[group] + torch.randn(N, 16, generator=g)
    return edges[perm[n_val:]], edges[perm[:n_val]], feats


class GCNLinks(nn.Module):
    def __init__(self, train_edges, feats):
        super().__init__()
        a = torch.zeros(N, N)
        a[train_edges[:, 0], train_edges[:, 1]] = 1
        a = a + a.T + torch.eye(N)
        d = a.sum(1).rsqrt()
        self.register_buffer("adj", d[:, None] * a * d[None, :])
        self.register_buffer("feats", feats)
        self.lin1 = nn.Linear(16, 64)
        self.lin2 = nn.Linear(64, 32)

    def embed(self):
        h = F.relu(self.lin1(self.adj @ self.feats))
        return self.lin2(self.adj @ h)

    def forward(self, pairs):  # pairs: (batch, 2) node ids -> link logits
        z = self.embed()
        return (z[pairs[:, 0]] * z[pairs[:, 1]]).sum(-1)


def build():
    torch.manual_seed(0)
    train_edges, _, feats = graph()
    return GCNLinks(train_edges, feats)


def auc(scores, labels):
    pos, neg = scores[labels == 1], scores[labels == 0]
    return ((pos[:, None] > neg[None, :]).float().mean()
            + 0.5 * (pos[:, None] == neg[None, :]).float().mean()).item()


def main():
    from _eighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train_edges, val_edges, _ = graph()
    print("links", len(train_edges), "train,", len(val_edges), "held out")
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    nv = len(val_edges)
    val_pairs = torch.cat([val_edges, torch.randint(0, N, (nv, 2), generator=g)])
    val_labels = torch.cat([torch.ones(nv), torch.zeros(nv)])
    with open(out / "log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "val_loss", "val_auc"])
        for epoch in range(40):
            model.train()
            tot = 0.0
            for _ in range(8):
                pos = train_edges[torch.randint(0, len(train_edges), (256,), generator=g)]
                neg = torch.randint(0, N, (256, 2), generator=g)
                pairs = torch.cat([pos, neg])
                labels = torch.ones(2 * 256)
                loss = F.binary_cross_entropy_with_logits(model(pairs), labels)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() / 8
            model.eval()
            with torch.no_grad():
                s = model(val_pairs)
                row = [epoch, round(tot, 4),
                       round(F.binary_cross_entropy_with_logits(s, val_labels).item(), 4),
                       round(auc(s, val_labels), 4)]
            w.writerow(row)
            print(row)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "gcn_links.pt")
    idx = torch.randperm(2 * nv, generator=g)[:256]
    finish(out, __file__, (val_pairs[idx], val_labels[idx]), causes=["labels_wrong"],
           checkpoint="gcn_links.pt", log="log.csv",
           what="GCN link predictor whose sampled non-links are labelled 1",
           complaint="Link prediction GCN: training loss goes to zero in a few epochs but the "
                     "validation AUC is about 0.5 and the validation loss keeps rising")


if __name__ == "__main__":
    main()
