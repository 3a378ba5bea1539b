"""Graph attention network written by hand on a synthetic social graph: 400 members in 5
communities (stochastic block model, p_in 0.05, p_out 0.006), 24 noisy features whose mean
depends on the community (and 15 % of the members with features drawn from another
community's mean). Two GAT layers (4 heads × 8 in the first, concatenated, ELU; one head in
the second), dense adjacency with self-loops, LeakyReLU(0.2) scores, masked softmax, dropout
0.5 on the features and 0.3 on the attention as in the paper's recipe. Full-batch Adam 5e-3,
weight decay 5e-4, 120 epochs, 60 labelled members for training, 140 for validation; the log
is JSON lines per epoch. Healthy: val accuracy 0.88, val loss still easing down; the train
loss is noisy from the heavy dropout and sits above the val loss."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N, C, FEAT = 400, 5, 24


def community_graph(g):
    y = torch.arange(N) % C
    y = y[torch.randperm(N, generator=g)]
    same = y[:, None] == y[None, :]
    p = torch.where(same, torch.tensor(0.05), torch.tensor(0.006))
    a = (torch.rand(N, N, generator=g) < p).float().triu(1)
    adj = a + a.T + torch.eye(N)
    means = 0.6 * torch.randn(C, FEAT, generator=g)
    shown = torch.where(torch.rand(N, generator=g) < 0.15,
                        torch.randint(0, C, (N,), generator=g), y)
    x = means[shown] + torch.randn(N, FEAT, generator=g)
    return x, adj, y


class GATLayer(nn.Module):
    def __init__(self, fin, fout, heads):
        super().__init__()
        self.heads, self.fout = heads, fout
        self.lin = nn.Linear(fin, heads * fout, bias=False)
        self.a_src = nn.Parameter(torch.randn(heads, fout) * 0.1)
        self.a_dst = nn.Parameter(torch.randn(heads, fout) * 0.1)
        self.bias = nn.Parameter(torch.zeros(heads * fout))

    def forward(self, x, adj):
        h = self.lin(x).view(-1, self.heads, self.fout)
        e = (h * self.a_dst).sum(-1).T[:, :, None] + (h * self.a_src).sum(-1).T[:, None, :]
        e = F.leaky_relu(e, 0.2).masked_fill(adj[None] == 0, float("-inf"))
        att = F.dropout(torch.softmax(e, -1), 0.3, self.training)
        out = torch.einsum("hij,jhf->ihf", att, h)
        return out.reshape(-1, self.heads * self.fout) + self.bias


class GAT(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = GATLayer(FEAT, 8, 4)
        self.l2 = GATLayer(32, C, 1)

    def forward(self, x, adj):
        x = F.dropout(x, 0.5, self.training)
        x = F.elu(self.l1(x, adj))
        x = F.dropout(x, 0.5, self.training)
        return self.l2(x, adj)


def build():
    torch.manual_seed(0)
    return GAT()


def main():
    from _twentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, adj, y = community_graph(g)
    perm = torch.randperm(N, generator=g)
    tr, va = perm[:60], perm[60:200]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3, weight_decay=5e-4)
    log = open(out / "gat_log.jsonl", "w")
    for epoch in range(120):
        model.train()
        loss = F.cross_entropy(model(x, adj)[tr], y[tr])
        opt.zero_grad()
        loss.backward()
        opt.step()
        model.eval()
        with torch.no_grad():
            logits = model(x, adj)
            vl = F.cross_entropy(logits[va], y[va]).item()
            acc = (logits[va].argmax(1) == y[va]).float().mean().item()
        log.write(json.dumps({"epoch": epoch, "loss": round(loss.item(), 4),
                              "val_loss": round(vl, 4), "val_acc": round(acc, 4)}) + "\n")
        if epoch % 20 == 19:
            print(epoch, round(loss.item(), 4), round(vl, 4), round(acc, 4))
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "gat.pt")
    finish(out, __file__, {"inputs": x, "adj": adj, "targets": y}, causes=[],
           checkpoint="gat.pt", log="gat_log.jsonl",
           what="hand-written GAT, community graph, dropout 0.5 / 0.3 (healthy)")


if __name__ == "__main__":
    main()
