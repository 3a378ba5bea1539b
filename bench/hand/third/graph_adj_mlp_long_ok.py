"""Node classification on a 5-community stochastic block model (600 nodes) with an MLP on
adjacency features: each node's own noisy features next to the degree-normalised mean of its
neighbours' (A_hat @ X, precomputed once, SGC-style). Full batch, Adam 1e-2 with weight decay
5e-4, 400 epochs (a long run), log every epoch (healthy)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

N, K, D = 600, 5, 16


def block_model(g):
    y = torch.arange(N) % K
    same = y[:, None] == y[None, :]
    p = torch.where(same, torch.tensor(0.04), torch.tensor(0.004))
    a = (torch.rand(N, N, generator=g) < p).float().triu(1)
    a = a + a.T + torch.eye(N)
    deg = a.sum(1)
    a_hat = a / deg.sqrt()[:, None] / deg.sqrt()[None, :]
    centres = torch.randn(K, D, generator=g) * 0.6
    x = centres[y] + torch.randn(N, D, generator=g)
    return torch.cat([x, a_hat @ x, a_hat @ (a_hat @ x)], 1), y


class NodeMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3 * D, 64)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(64, K)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.fc1(x))))


def build():
    torch.manual_seed(0)
    return NodeMLP()


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = block_model(g)
    perm = torch.randperm(N, generator=g)
    tr, va = perm[:200], perm[200:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=5e-4)
    f = open(out / "log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(400):
        model.train()
        logits = model(x)
        loss = F.cross_entropy(logits[tr], y[tr])
        opt.zero_grad()
        loss.backward()
        opt.step()
        model.eval()
        with torch.no_grad():
            logits = model(x)
        acc = (logits.argmax(1) == y).float()
        w.writerow([epoch, loss.item(), acc[tr].mean().item(),
                    F.cross_entropy(logits[va], y[va]).item(), acc[va].mean().item()])
    f.close()
    print("val acc", acc[va].mean().item())
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict()}, out / "sgc.pt")
    finish(out, __file__, (x[va][:128], y[va][:128]), causes=[], checkpoint="sgc.pt",
           log="log.csv", what="SGC-style MLP on adjacency features, 400 epochs: healthy")


if __name__ == "__main__":
    main()
