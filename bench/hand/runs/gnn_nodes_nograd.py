"""Plain-torch GCN whose first propagation slipped inside a torch.no_grad() block meant only
for the adjacency: the first layer never receives a gradient."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N, K, FEAT = 300, 3, 16


def make_graph(seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(N) % K
    p = torch.where(y[:, None] == y[None, :], 0.08, 0.01)
    a = (torch.rand(N, N, generator=g) < p).float().triu(1)
    a = a + a.T
    x = 0.4 * F.one_hot(y, FEAT).float() + torch.randn(N, FEAT, generator=g)
    return a, x, y


class GCN(nn.Module):
    def __init__(self, adj, hidden=32):
        super().__init__()
        a = adj + torch.eye(len(adj))
        d = a.sum(1).rsqrt()
        self.register_buffer("a_hat", d[:, None] * a * d[None, :])
        self.lin1 = nn.Linear(FEAT, hidden)
        self.lin2 = nn.Linear(hidden, K)

    def forward(self, x):
        with torch.no_grad():  # the graph is fixed, no gradient needed here
            a_hat = self.a_hat.clone()
            h = F.relu(a_hat @ self.lin1(x))
        h = F.dropout(h, 0.3, self.training)
        return self.a_hat @ self.lin2(h)


def build():
    torch.manual_seed(0)
    return GCN(make_graph()[0])


def main():
    from _hand import finish, out_dir
    out = out_dir(__file__)
    _, x, y = make_graph()
    train_mask = torch.rand(N, generator=torch.Generator().manual_seed(1)) < 0.3
    val_mask = ~train_mask
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
    with open(out / "gcn.jsonl", "w") as f:
        for epoch in range(150):
            model.train()
            opt.zero_grad()
            logits = model(x)
            loss = F.cross_entropy(logits[train_mask], y[train_mask])
            loss.backward()
            opt.step()
            model.eval()
            with torch.no_grad():
                logits = model(x)
                val_loss = F.cross_entropy(logits[val_mask], y[val_mask]).item()
                val_acc = (logits[val_mask].argmax(1) == y[val_mask]).float().mean().item()
            f.write(json.dumps({"epoch": epoch, "loss": loss.item(), "val_loss": val_loss,
                                "val_acc": val_acc}) + "\n")
    print("val acc", val_acc)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, out / "gcn.pt")
    finish(out, __file__, (x, y), causes=["gradient_not_flowing"], checkpoint="gcn.pt",
           log="gcn.jsonl", what="first GCN layer computed under torch.no_grad()",
           complaint="node accuracy plateaus well below what the paper's GCN gets")


if __name__ == "__main__":
    main()
