"""Message passing by hand for fraud: flag mule accounts in a payment graph (1500 accounts,
2.5 % mules; an edge = money sent between two accounts; mules send to each other more often
and have slightly unusual activity features: 12 noisy features, a weak shift for mules).
Two GCN layers ``D^-1/2 (A + I) D^-1/2 X W`` with a dense adjacency matrix, hidden 32,
dropout 0.5, Adam 1e-2, weight decay 5e-4, full-batch, 120 epochs, 60 % / 40 % node masks,
plain ``F.cross_entropy``; a JSON-lines log every 5 epochs with loss, val loss, val accuracy,
val recall and precision of the mule class. Bug: nothing accounts for the 39:1 imbalance (no
class weights, no resampling, accuracy as the metric): the model predicts "not a mule" for
every account: val accuracy 0.96 = the share of normal accounts among the val nodes, mule
recall 0.00 at all 24 evaluations (with ``weight=[1, 20]``: recall 0.67, precision 0.30,
accuracy 0.92)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N, C, D = 1500, 2, 12


def payment_graph(g):
    y = (torch.rand(N, generator=g) < 0.025).long()
    profile = torch.randn(C, D, generator=g)
    x = 0.45 * profile[y] + torch.randn(N, D, generator=g)
    mule_pair = (y[:, None] * y[None]).float()
    p = 0.004 + 0.06 * mule_pair
    a = (torch.rand(N, N, generator=g) < p).float()
    a = torch.triu(a, 1)
    a = a + a.T
    return x, a, y


def normalise(a):
    a = a + torch.eye(len(a))
    d = a.sum(1).rsqrt()
    return d[:, None] * a * d[None]


class GCN(nn.Module):
    def __init__(self, d_in=D, hidden=32, classes=C, p=0.5):
        super().__init__()
        self.lin1, self.lin2 = nn.Linear(d_in, hidden), nn.Linear(hidden, classes)
        self.p = p

    def forward(self, x, adj):
        h = F.relu(adj @ self.lin1(F.dropout(x, self.p, self.training)))
        return adj @ self.lin2(F.dropout(h, self.p, self.training))


def build():
    torch.manual_seed(0)
    return GCN()


def main():
    from _twelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, a, y = payment_graph(g)
    adj = normalise(a)
    perm = torch.randperm(N, generator=g)
    train_idx, val_idx = perm[:900], perm[900:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=5e-4)
    with open(out / "log.jsonl", "w") as f:
        for epoch in range(1, 121):
            model.train()
            opt.zero_grad()
            out_ = model(x, adj)
            loss = F.cross_entropy(out_[train_idx], y[train_idx])  # BUG: 39:1, unweighted
            loss.backward()
            opt.step()
            if epoch % 5 == 0:
                model.eval()
                with torch.no_grad():
                    logits = model(x, adj)
                    vl = F.cross_entropy(logits[val_idx], y[val_idx]).item()
                    va = (logits[val_idx].argmax(1) == y[val_idx]).float().mean().item()
                    pred, gold = logits[val_idx].argmax(1), y[val_idx]
                    tp = ((pred == 1) & (gold == 1)).sum().item()
                    rec = tp / max(1, (gold == 1).sum().item())
                    prec = tp / max(1, (pred == 1).sum().item())
                f.write(json.dumps({"epoch": epoch, "loss": round(loss.item(), 5),
                                    "val_loss": round(vl, 5), "val_acc": round(va, 4),
                                    "val_recall": round(rec, 4),
                                    "val_precision": round(prec, 4)}) + "\n")
                print(epoch, round(loss.item(), 4), round(vl, 4), round(va, 4), rec, prec)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch}, out / "gcn.pt")
    finish(out, __file__, {"inputs": x, "adj": adj, "targets": y},
           causes=["class_imbalance"], checkpoint="gcn.pt", log="log.jsonl",
           what="dense-adjacency GCN for mule accounts (2.5 %), plain cross-entropy",
           complaint="my graph model for mule accounts shows 96% validation accuracy but it "
                     "never flags a single account, recall is 0 at every evaluation")


if __name__ == "__main__":
    main()
