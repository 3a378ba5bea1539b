"""Node classification on a citation-like graph with a hand-written GCN (no PyG): 1500 papers in
6 fields, stochastic-block edges (mean degree ~9, 20 % across fields), 200 bag-of-words
features. Two layers ``D^-1/2 (A + I) D^-1/2 X W`` by ``index_add_`` over a PyG-style
``edge_index``; ``forward(x, edge_index)``, the batch is the whole graph. 20 labelled papers per
field (120), 500 validation papers, full-batch Adam 1e-2. Bug: over-fitting -- the user found
the dropout-regularised training loss "too noisy", removed dropout and weight decay, widened
the hidden layer to 256 and trained 300 epochs on the 120 labels: train loss to ~1e-4, val
loss 0.455 at epoch 11, then rising to 0.86; val accuracy 0.85 (with dropout 0.5, weight decay
5e-3, hidden 64, 200 epochs: val loss flat at 0.44, accuracy 0.87)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N, FIELDS, FEATS = 1500, 6, 200


def citation_graph(g):
    y = torch.arange(N) % FIELDS
    y = y[torch.randperm(N, generator=g)]
    same = y[:, None] == y[None, :]
    p = torch.where(same, 0.0075, 0.0004)
    a = torch.rand(N, N, generator=g) < p
    a = torch.triu(a, 1)
    src, dst = a.nonzero(as_tuple=True)
    edge_index = torch.cat([torch.stack([src, dst]), torch.stack([dst, src])], 1)
    words = torch.rand(FIELDS, FEATS, generator=g) < 0.05
    x = (torch.rand(N, FEATS, generator=g) < 0.03).float()
    x = x + (words[y] & (torch.rand(N, FEATS, generator=g) < 0.25)).float()
    return x.clamp(max=1), edge_index, y


class GCNLayer(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.lin = nn.Linear(d_in, d_out)

    def forward(self, x, edge_index):
        n = x.shape[0]
        loops = torch.arange(n)
        src = torch.cat([edge_index[0], loops])
        dst = torch.cat([edge_index[1], loops])
        deg = torch.zeros(n).index_add_(0, dst, torch.ones(len(dst)))
        norm = deg[src].rsqrt() * deg[dst].rsqrt()
        h = self.lin(x)
        return torch.zeros_like(h).index_add_(0, dst, h[src] * norm[:, None])


class GCN(nn.Module):
    def __init__(self, hidden=64, p=0.5):
        super().__init__()
        self.conv1, self.conv2 = GCNLayer(FEATS, hidden), GCNLayer(hidden, FIELDS)
        self.p = p

    def forward(self, x, edge_index):
        x = F.dropout(x, self.p, self.training)
        x = F.relu(self.conv1(x, edge_index))
        x = F.dropout(x, self.p, self.training)
        return self.conv2(x, edge_index)


def build():
    torch.manual_seed(0)
    return GCN(hidden=256, p=0.0)  # BUG: no dropout, wide, no weight decay below


def main():
    from _ninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, edge_index, y = citation_graph(g)
    train_idx = torch.cat([(y == c).nonzero().squeeze(1)[:20] for c in range(FIELDS)])
    rest = torch.ones(N, dtype=torch.bool)
    rest[train_idx] = False
    val_idx = rest.nonzero().squeeze(1)[:500]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    log = open(out / "history.jsonl", "w")
    for epoch in range(300):
        model.train()
        out_t = model(x, edge_index)
        loss = F.cross_entropy(out_t[train_idx], y[train_idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        model.eval()
        with torch.no_grad():
            o = model(x, edge_index)
        rec = {"epoch": epoch, "train_loss": loss.item(),
               "train_acc": (o[train_idx].argmax(1) == y[train_idx]).float().mean().item(),
               "val_loss": F.cross_entropy(o[val_idx], y[val_idx]).item(),
               "val_acc": (o[val_idx].argmax(1) == y[val_idx]).float().mean().item()}
        log.write(json.dumps(rec) + "\n")
        if epoch % 30 == 29:
            print({k: round(v, 4) for k, v in rec.items()})
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "gcn_wide.pt")
    finish(out, __file__, {"inputs": x, "edge_index": edge_index, "targets": y},
           causes=["overfitting"], checkpoint="gcn_wide.pt", log="history.jsonl",
           what="hand-written 2-layer GCN, no dropout or decay, hidden 256, 300 epochs on 120 "
                "labels",
           complaint="my GCN's training loss goes to 0.0001 but the validation loss climbs from "
                     "0.45 to 0.86 over 300 epochs")


if __name__ == "__main__":
    main()
