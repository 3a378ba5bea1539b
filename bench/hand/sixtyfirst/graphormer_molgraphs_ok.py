"""Graphormer-lite written by hand: a graph transformer regressing a synthetic molecule-like
property. Graphs of 8–16 atoms of 4 kinds (a random spanning tree plus 0–3 extra bonds); the
target is 0.5 × (the mean shortest-path distance between kind-0 and kind-1 atoms) + 0.3 × (the
number of kind-2 atoms with degree ≥ 3) − 0.2 × (number of rings), plus Gaussian noise of std
0.15 (a measurement), standardised. Graphormer's encodings: atom-kind embedding + degree
(centrality) embedding, a learned per-head bias for each shortest-path distance (0–7, ≥ 8 one
bucket, padding masked) added to the attention scores, a virtual graph token with its own bias;
3 pre-LN layers, width 32, 4 heads, dropout 0.1, the graph token into an MLP head. AdamW 1e-3,
weight decay 0.01, cosine to zero over 28 epochs, batch 32, 800 graphs, 200 for validation; CSV
log per epoch. Healthy: the val MSE levels at 0.15 for the last 7 epochs (the noise is 0.06 of
the target's variance, the rest is what this little model leaves), below the train MSE 0.18
that dropout keeps up."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

MAXN, KINDS, MAXD, D, HEADS = 16, 4, 8, 32, 4
EPOCHS = 28


def one_graph(g):
    n = int(torch.randint(8, MAXN + 1, (1,), generator=g))
    kinds = torch.randint(0, KINDS, (n,), generator=g)
    a = torch.zeros(n, n)
    for i in range(1, n):
        j = int(torch.randint(0, i, (1,), generator=g))
        a[i, j] = a[j, i] = 1
    extra = int(torch.randint(0, 4, (1,), generator=g))
    for _ in range(extra):
        i, j = torch.randint(0, n, (2,), generator=g).tolist()
        if i != j:
            a[i, j] = a[j, i] = 1
    rings = int(a.triu(1).sum()) - (n - 1)
    dist = torch.where(a > 0, 1.0, float("inf"))
    dist.fill_diagonal_(0)
    for k in range(n):  # Floyd–Warshall
        dist = torch.minimum(dist, dist[:, k:k + 1] + dist[k:k + 1, :])
    deg = a.sum(1).long()
    m0, m1 = kinds == 0, kinds == 1
    pair = dist[m0][:, m1]
    spread = pair.mean().item() if pair.numel() else 0.0
    hubs = int(((kinds == 2) & (deg >= 3)).sum())
    y = 0.5 * spread + 0.3 * hubs - 0.2 * rings + 0.15 * float(torch.randn(1, generator=g))
    return n, kinds, deg, dist, y


def dataset(count, g):
    types = torch.zeros(count, MAXN, dtype=torch.long)
    degree = torch.zeros(count, MAXN, dtype=torch.long)
    spd = torch.full((count, MAXN, MAXN), MAXD + 1, dtype=torch.long)
    mask = torch.zeros(count, MAXN, dtype=torch.bool)
    ys = torch.zeros(count)
    for i in range(count):
        n, kinds, deg, dist, y = one_graph(g)
        types[i, :n], degree[i, :n], mask[i, :n], ys[i] = kinds, deg.clamp(max=7), True, y
        spd[i, :n, :n] = dist.clamp(max=MAXD).long()
    return types, degree, spd, mask, ys


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.qkv, self.o = nn.Linear(D, 3 * D), nn.Linear(D, D)
        self.ff = nn.Sequential(nn.Linear(D, 2 * D), nn.GELU(), nn.Linear(2 * D, D))
        self.drop = nn.Dropout(0.1)

    def forward(self, x, bias):
        b, n, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, n, 3, HEADS, D // HEADS).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / (D // HEADS) ** 0.5 + bias
        att = self.drop(att.softmax(-1))
        x = x + self.drop(self.o((att @ v).transpose(1, 2).reshape(b, n, D)))
        return x + self.drop(self.ff(self.ln2(x)))


class GraphormerLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.atom = nn.Embedding(KINDS, D)
        self.centrality = nn.Embedding(8, D)
        self.spatial = nn.Embedding(MAXD + 2, HEADS)  # distances 0..8, MAXD+1 = padding
        self.graph_token = nn.Parameter(torch.zeros(1, 1, D))
        self.token_bias = nn.Parameter(torch.zeros(HEADS))
        self.layers = nn.ModuleList([Layer() for _ in range(3)])
        self.ln = nn.LayerNorm(D)
        self.head = nn.Sequential(nn.Linear(D, D), nn.GELU(), nn.Linear(D, 1))

    def forward(self, types, degree, spd, mask):
        b, n = types.shape
        x = self.atom(types) + self.centrality(degree)
        x = torch.cat([self.graph_token.expand(b, 1, D), x], 1)
        bias = x.new_zeros(b, HEADS, n + 1, n + 1)
        bias[:, :, 1:, 1:] = self.spatial(spd).permute(0, 3, 1, 2)
        bias[:, :, 0, :] = bias[:, :, 0, :] + self.token_bias[None, :, None]
        bias[:, :, 1:, 0] = bias[:, :, 1:, 0] + self.token_bias[None, :, None]
        keep = torch.cat([mask.new_ones(b, 1), mask], 1)
        bias = bias.masked_fill(~keep[:, None, None, :], float("-inf"))
        for layer in self.layers:
            x = layer(x, bias)
        return self.head(self.ln(x[:, 0])).squeeze(-1)


def build():
    torch.manual_seed(0)
    return GraphormerLite()


def main():
    from _sixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    types, degree, spd, mask, y = dataset(1000, g)
    y = (y - y[:800].mean()) / y[:800].std()
    tr, va = torch.arange(800), torch.arange(800, 1000)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
    log = open(out / "graphormer_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "mse_train", "mse_val", "mae_val"])
    for epoch in range(EPOCHS):
        model.train()
        tot, cnt = 0.0, 0
        for idx in tr[torch.randperm(800, generator=g)].split(32):
            loss = F.mse_loss(model(types[idx], degree[idx], spd[idx], mask[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot, cnt = tot + loss.item() * len(idx), cnt + len(idx)
        sched.step()
        model.eval()
        with torch.no_grad():
            pred = model(types[va], degree[va], spd[va], mask[va])
            mse, mae = F.mse_loss(pred, y[va]).item(), (pred - y[va]).abs().mean().item()
        w.writerow([epoch, round(tot / cnt, 4), round(mse, 4), round(mae, 4)])
        print(epoch, round(tot / cnt, 4), round(mse, 4), round(mae, 4))
    log.close()
    torch.save({"net": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(),
                "epochs_done": EPOCHS},
               out / "graphormer.pt")
    b = va[:32]
    finish(out, __file__, {"inputs": types[b], "degree": degree[b], "spd": spd[b],
                           "mask": mask[b], "targets": y[b]},
           causes=[], checkpoint="graphormer.pt", log="graphormer_log.csv",
           what="Graphormer-lite, centrality and shortest-path attention biases (healthy)")


if __name__ == "__main__":
    main()
