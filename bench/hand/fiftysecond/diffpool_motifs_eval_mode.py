"""DiffPool-style hierarchical graph classifier on synthetic graphs with dense adjacency. 560
graphs of 24 nodes (400 train, 160 validation), 3 classes by how the graph is built: 2, 3 or 4
communities (edge probability inside 0.55–0.65 drawn per graph, between 0.03–0.06), node
features 5 noisy numbers plus the degree / 10 and the triangle count / 20, 5 % wrong labels. A
GCN layer (normalised adjacency with self-loops, 96 wide, BatchNorm over nodes, ReLU) feeds an
embedding GCN and an assignment GCN that softly pools the 24 nodes into 6 clusters (``S =
softmax(..., -1)``, ``X' = SᵀZ``, ``A' = SᵀAS``), one more GCN on the pooled graph, max + mean
readout, dropout 0.5, a 2-layer MLP head. Adam 3e-3, weight decay 1e-4, batch 20 graphs, 30
epochs; the log is CSV (``epoch``, ``train_ce``, ``val_ce``, ``val_accuracy``) and a checkpoint
with ``model_state`` / ``optim_state``.
Bug: ``evaluate()`` calls ``model.eval()`` and the one ``model.train()`` sits above the epoch
loop, so from epoch 2 on the model trains in eval mode: no dropout, BatchNorm frozen at the
running statistics of the first epoch."""
import csv

import torch
import torch.nn as nn

NODES, FEATS, CLUSTERS = 24, 7, 6


def graphs(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    adj = torch.zeros(n, NODES, NODES)
    for i in range(n):
        comm = torch.arange(NODES) % int(y[i] + 2)
        same = comm[:, None] == comm[None, :]
        p_in = 0.55 + 0.1 * float(torch.rand(1, generator=g))
        p_out = 0.03 + 0.03 * float(torch.rand(1, generator=g))
        p = torch.where(same, torch.tensor(p_in), torch.tensor(p_out))
        a = (torch.rand(NODES, NODES, generator=g) < p).float().triu(1)
        adj[i] = a + a.T
    tri = torch.diagonal(adj @ adj @ adj, dim1=1, dim2=2)[..., None] / 20
    x = torch.cat([torch.randn(n, NODES, FEATS - 2, generator=g), adj.sum(2, keepdim=True) / 10,
                   tri], 2)
    wrong = torch.rand(n, generator=g) < 0.05
    return x, adj, torch.where(wrong, (y + 1) % 3, y)


def normalise(adj):
    a = adj + torch.eye(adj.size(-1))
    d = a.sum(-1).rsqrt()
    return d[..., :, None] * a * d[..., None, :]


class GCN(nn.Module):
    def __init__(self, c_in, c_out, bn=True):
        super().__init__()
        self.lin = nn.Linear(c_in, c_out)
        self.bn = nn.BatchNorm1d(c_out) if bn else None

    def forward(self, x, a):
        h = a @ self.lin(x)
        if self.bn is not None:
            h = self.bn(h.transpose(1, 2)).transpose(1, 2)
        return torch.relu(h)


class DiffPool(nn.Module):
    def __init__(self, width=96):
        super().__init__()
        self.gcn1 = GCN(FEATS, width)
        self.embed = GCN(width, width)
        self.assign = nn.Linear(width, CLUSTERS)
        self.gcn2 = GCN(width, width)
        self.head = nn.Sequential(nn.Dropout(0.5), nn.Linear(2 * width, width), nn.ReLU(),
                                  nn.Dropout(0.5), nn.Linear(width, 3))

    def forward(self, x, adj):
        a = normalise(adj)
        h = self.gcn1(x, a)
        z = self.embed(h, a)
        s = torch.softmax(a @ self.assign(h), -1)
        xp = s.transpose(1, 2) @ z
        ap = s.transpose(1, 2) @ adj @ s
        hp = self.gcn2(xp, normalise(ap))
        return self.head(torch.cat([hp.max(1)[0], hp.mean(1)], 1))


def build():
    torch.manual_seed(0)
    return DiffPool()


def evaluate(model, x, adj, y):
    model.eval()
    with torch.no_grad():
        logits = model(x, adj)
    return (nn.functional.cross_entropy(logits, y).item(),
            (logits.argmax(1) == y).float().mean().item())


def main():
    from _fiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, adj, y = graphs(560, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
    f = open(out / "diffpool_log.csv", "w", newline="")
    log = csv.writer(f)
    log.writerow(["epoch", "train_ce", "val_ce", "val_accuracy"])
    model.train()
    for epoch in range(30):
        tot = 0.0
        for idx in torch.randperm(400, generator=g).split(20):
            loss = nn.functional.cross_entropy(model(x[idx], adj[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() / 20
        vl, acc = evaluate(model, x[400:], adj[400:], y[400:])
        log.writerow([epoch, round(tot, 4), round(vl, 4), round(acc, 4)])
        print(epoch, round(tot, 4), round(vl, 4), round(acc, 4))
    f.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epochs": epoch + 1}, out / "diffpool.pt")
    finish(out, __file__, {"inputs": x[400:440], "adj": adj[400:440], "targets": y[400:440]},
           causes=["train_in_eval_mode"], checkpoint="diffpool.pt", log="diffpool_log.csv",
           what="DiffPool graph classifier, model.eval() in evaluate(), train() only once",
           complaint="the graph classifier's training loss drops fast after the first epoch "
                     "but the validation loss turns up and validation accuracy is unsteady")


if __name__ == "__main__":
    main()
