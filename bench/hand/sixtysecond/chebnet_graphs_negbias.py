"""ChebNet graph classifier written by hand on synthetic graphs of 12–20 nodes in 3 kinds (ring
lattice with random chords, two dense communities, Erdős–Rényi), 3 node features (degree / 4,
local clustering, noise). Two Chebyshev spectral convolutions (K = 3, T_k of the scaled
Laplacian L̃ = −D^(−1/2) A D^(−1/2), λ_max taken as 2), 3 → 32 → 32 with ReLU, masked mean
pooling, a linear head; dense padded adjacency (20 nodes) with a node mask. Adam 5e-3, batch 32,
25 epochs over 480 graphs, 240 for validation; CSV log per epoch.

Bug: the Chebyshev layers' biases are initialised with ``nn.init.constant_(bias, -4.0)``
("start sparse, like a thresholded filter"): the pre-activations are of order 1, so nearly every
ReLU outputs 0 for every node of every graph, no gradient reaches the convolutions, and the
head learns from almost nothing."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

NMAX, KINDS, FEAT, HID, K = 20, 3, 3, 32, 3


def graph(kind, g):
    n = int(torch.randint(12, NMAX + 1, (1,), generator=g))
    a = torch.zeros(n, n)
    if kind == 0:
        for i in range(n):
            a[i, (i + 1) % n] = a[i, (i + 2) % n] = 1
        for _ in range(2):
            i, j = torch.randint(0, n, (2,), generator=g).tolist()
            a[i, j] = 1
    elif kind == 1:
        half = n // 2
        side = (torch.arange(n) < half)
        p = torch.where(side[:, None] == side[None, :], 0.6, 0.05)
        a = (torch.rand(n, n, generator=g) < p).float()
    else:
        a = (torch.rand(n, n, generator=g) < 0.25).float()
    a = ((a + a.T) > 0).float().triu(1)
    a = a + a.T
    deg = a.sum(1)
    tri = torch.diagonal(a @ a @ a) / (deg * (deg - 1)).clamp(min=1)
    x = torch.stack([deg / 4, tri, 0.3 * torch.randn(n, generator=g)], 1)
    big_a, big_x, mask = torch.zeros(NMAX, NMAX), torch.zeros(NMAX, FEAT), torch.zeros(NMAX)
    big_a[:n, :n], big_x[:n], mask[:n] = a, x, 1
    return big_x, big_a, mask


def dataset(n, g):
    y = torch.randint(0, KINDS, (n,), generator=g)
    xs, adjs, masks = zip(*[graph(int(k), g) for k in y], strict=False)
    return torch.stack(xs), torch.stack(adjs), torch.stack(masks), y


def scaled_laplacian(adj):
    d = adj.sum(-1).clamp(min=1).rsqrt()
    return -(d[..., :, None] * adj * d[..., None, :])


class ChebConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.lins = nn.ModuleList(nn.Linear(cin, cout, bias=False) for _ in range(K))
        self.bias = nn.Parameter(torch.empty(cout))
        nn.init.constant_(self.bias, -4.0)

    def forward(self, x, lap):
        t0, t1 = x, lap @ x
        out = self.lins[0](t0) + self.lins[1](t1)
        for k in range(2, K):
            t0, t1 = t1, 2 * lap @ t1 - t0
            out = out + self.lins[k](t1)
        return out + self.bias


class ChebNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2 = ChebConv(FEAT, HID), ChebConv(HID, HID)
        self.head = nn.Linear(HID, KINDS)

    def forward(self, x, adj, mask):
        lap = scaled_laplacian(adj)
        h = F.relu(self.c1(x, lap))
        h = F.relu(self.c2(h, lap)) * mask[..., None]
        pooled = h.sum(1) / mask.sum(1, keepdim=True)
        return self.head(pooled)


def build():
    torch.manual_seed(0)
    return ChebNet()


def main():
    from _sixtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, adj, mask, y = dataset(720, g)
    tr, va = slice(0, 480), slice(480, 720)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    log = open(out / "chebnet_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "train_ce", "train_acc", "test_ce", "test_acc"])
    for epoch in range(25):
        model.train()
        perm = torch.randperm(480, generator=g)
        tot, right = 0.0, 0
        for i in range(0, 480, 32):
            b = perm[i:i + 32]
            logits = model(x[tr][b], adj[tr][b], mask[tr][b])
            loss = F.cross_entropy(logits, y[tr][b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(b)
            right += (logits.argmax(1) == y[tr][b]).sum().item()
        model.eval()
        with torch.no_grad():
            logits = model(x[va], adj[va], mask[va])
            vl = F.cross_entropy(logits, y[va]).item()
            vacc = (logits.argmax(1) == y[va]).float().mean().item()
        w.writerow([epoch, round(tot / 480, 4), round(right / 480, 4), round(vl, 4),
                    round(vacc, 4)])
        if epoch % 5 == 4:
            print(epoch, round(tot / 480, 4), round(right / 480, 4), round(vl, 4), round(vacc, 4))
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch}, out / "chebnet_ep25.pth")
    finish(out, __file__, {"inputs": x[va][:64], "adj": adj[va][:64], "mask": mask[va][:64],
                           "targets": y[va][:64]},
           causes=["dead_relu"], checkpoint="chebnet_ep25.pth", log="chebnet_log.csv",
           what="ChebNet graph classifier, Chebyshev-layer biases initialised to -4",
           complaint="My ChebNet doesn't beat guessing on the three graph kinds. The loss is "
                     "flat at about 1.1 from the first epoch and just sits there, whatever I "
                     "do with the learning rate.")


if __name__ == "__main__":
    main()
