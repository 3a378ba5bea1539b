"""Node classification on a synthetic citation graph with a two-layer GCN (Kipf & Welling):
600 papers in 4 topics, citations drawn within a topic with p 0.03 and across topics with p
0.004, a 64-dim bag-of-words feature vector per paper whose topic signal is weak (most papers
are not separable from their words alone) and 10 % of the topic labels wrong. The adjacency
is built once with self-loops and normalised as D^-1/2 (A + I) D^-1/2; 140 labelled training
nodes, 200 validation nodes, full-batch Adam 0.01 with weight decay 5e-4, dropout 0.5, 200
epochs, JSON-lines log every 5 epochs. Healthy: val acc about 0.8 from epoch ~40 on, a plateau
set by the label noise, while the train loss keeps falling (dropout keeps it noisy)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N, TOPICS, WORDS = 600, 4, 64


def citation_graph(g):
    y = torch.randint(0, TOPICS, (N,), generator=g)
    same = y[:, None] == y[None]
    p = torch.where(same, 0.03, 0.004)
    a = (torch.rand(N, N, generator=g) < p).float().triu(1)
    a = a + a.T
    centres = torch.randn(TOPICS, WORDS, generator=g)
    x = 0.35 * centres[y] + torch.randn(N, WORDS, generator=g)
    noisy = torch.rand(N, generator=g) < 0.1
    y_obs = torch.where(noisy, torch.randint(0, TOPICS, (N,), generator=g), y)
    return x, a, y_obs


def normalise(a):
    a = a + torch.eye(len(a))
    d = a.sum(1).pow(-0.5)
    return d[:, None] * a * d[None]


class GCN(nn.Module):
    def __init__(self, d_in=WORDS, hidden=32, classes=TOPICS, p=0.5):
        super().__init__()
        self.lin1 = nn.Linear(d_in, hidden)
        self.lin2 = nn.Linear(hidden, classes)
        self.drop = nn.Dropout(p)

    def forward(self, x, adj):
        h = F.relu(adj @ self.lin1(self.drop(x)))
        return F.log_softmax(adj @ self.lin2(self.drop(h)), dim=1)


def build():
    torch.manual_seed(0)
    return GCN()


def main():
    from _sixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, a, y = citation_graph(g)
    adj = normalise(a)
    perm = torch.randperm(N, generator=g)
    train_idx, val_idx = perm[:140], perm[140:340]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
    log = open(out / "log.jsonl", "w")
    for epoch in range(200):
        model.train()
        out_lp = model(x, adj)
        loss = F.nll_loss(out_lp[train_idx], y[train_idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if epoch % 5 == 4:
            model.eval()
            with torch.no_grad():
                out_lp = model(x, adj)
                val_loss = F.nll_loss(out_lp[val_idx], y[val_idx]).item()
                pred = out_lp.argmax(1)
                train_acc = (pred[train_idx] == y[train_idx]).float().mean().item()
                val_acc = (pred[val_idx] == y[val_idx]).float().mean().item()
            rec = {"epoch": epoch + 1, "loss": round(loss.item(), 4),
                   "train_acc": round(train_acc, 4), "val_loss": round(val_loss, 4),
                   "val_acc": round(val_acc, 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 200},
               out / "gcn.pt")
    finish(out, __file__, {"inputs": x, "adj": adj, "targets": y},
           causes=[], checkpoint="gcn.pt", log="log.jsonl",
           what="two-layer GCN, normalised adjacency with self-loops, citation graph (healthy)")


if __name__ == "__main__":
    main()
