"""Proxy-anchor metric learning on synthetic clustered feature vectors: 32 classes with centres
in a 16-D latent space, samples = centre + noise, seen through a fixed random tanh map into 48
features plus 16 pure-noise features (64 inputs). 24 classes are for training (400 samples
each, and 40 more each for a held-out loss), 8 unseen classes (40 each) for the retrieval
metric, Recall@1 / Recall@4 by cosine nearest neighbour, as metric-learning papers report it.
Embedding net 64 → 128 → 64 (ReLU), L2-normalised; one learned proxy per training class;
proxy-anchor loss (α = 32, δ = 0.1), SGD momentum 0.9, lr 0.05 for the net and 0.1 for the
proxies, weight decay 1e-4, batch 160, 10 epochs. The log (CSV) holds per epoch the mean train
loss, the held-out loss (mean over batches of 160) and the unseen-class Recall@1 / Recall@4.
Bug: the loop has no ``opt.zero_grad()`` (it was removed while adding a gradient-accumulation
option that was never finished), so each step's gradient is the sum of every gradient since
the start: the updates follow a stale, ever-growing direction dominated by the first steps;
the train loss crawls 13.7 → 9.9, the held-out loss 14.4 → 11.6 and the unseen-class Recall@1
sits at 0.83–0.85, where the control (zero_grad restored) reaches a train loss of 2.8, a
held-out loss of 9.1 and Recall@1 0.93–0.96."""
import csv

import torch
import torch.nn as nn

CLASSES, TRAIN_CLASSES, LATENT, EMB = 32, 24, 16, 64


def data(g):
    centres = torch.randn(CLASSES, LATENT, generator=g)
    mix = torch.randn(LATENT, 48, generator=g) / LATENT ** 0.5

    def sample(c, n):
        z = centres[c] + 0.7 * torch.randn(n, LATENT, generator=g)
        f = torch.tanh(z @ mix) + 0.2 * torch.randn(n, 48, generator=g)
        return torch.cat([f, torch.randn(n, 16, generator=g)], 1), torch.full((n,), c)

    def split(classes, n):
        xs, ys = zip(*(sample(c, n) for c in classes), strict=True)
        return torch.cat(xs), torch.cat(ys)

    return (split(range(TRAIN_CLASSES), 400), split(range(TRAIN_CLASSES), 40),
            split(range(TRAIN_CLASSES, CLASSES), 40))


class ProxyAnchorNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, EMB))
        self.proxies = nn.Parameter(torch.empty(TRAIN_CLASSES, EMB))
        nn.init.kaiming_normal_(self.proxies, mode="fan_out")

    def embeddings(self, x):
        return nn.functional.normalize(self.embed(x), dim=1)

    def forward(self, x):
        return self.embeddings(x) @ nn.functional.normalize(self.proxies, dim=1).T


def proxy_anchor(cos, y, alpha=32.0, delta=0.1):
    onehot = nn.functional.one_hot(y, TRAIN_CLASSES).float()
    pos = torch.exp(-alpha * (cos - delta)) * onehot
    neg = torch.exp(alpha * (cos + delta)) * (1 - onehot)
    with_pos = onehot.sum(0) > 0
    pos_term = torch.log1p(pos.sum(0))[with_pos].sum() / with_pos.sum()
    neg_term = torch.log1p(neg.sum(0)).sum() / TRAIN_CLASSES
    return pos_term + neg_term


def recall(model, x, y, k):
    with torch.no_grad():
        e = model.embeddings(x)
        sim = e @ e.T
        sim.fill_diagonal_(-2)
        nn_idx = sim.topk(k, dim=1).indices
    return (y[nn_idx] == y[:, None]).any(1).float().mean().item()


def build():
    torch.manual_seed(0)
    return ProxyAnchorNet()


def main():
    from _fortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (tx, ty), (hx, hy), (ux, uy) = data(g)
    model = build()
    opt = torch.optim.SGD([{"params": model.embed.parameters()},
                           {"params": [model.proxies], "lr": 0.1}], lr=0.05, momentum=0.9,
                          weight_decay=1e-4)
    log = open(out / "proxy_anchor.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "loss", "heldout_loss", "recall_at_1", "recall_at_4"])
    for epoch in range(10):
        model.train()
        total, batches = 0.0, 0
        for idx in torch.randperm(len(tx), generator=g).split(160):
            loss = proxy_anchor(model(tx[idx]), ty[idx])
            loss.backward()
            opt.step()
            total, batches = total + loss.item(), batches + 1
        model.eval()
        with torch.no_grad():
            hl = sum(proxy_anchor(model(hx[i:i + 160]), hy[i:i + 160]).item()
                     for i in range(0, len(hx), 160)) / (len(hx) // 160)
        r1, r4 = recall(model, ux, uy, 1), recall(model, ux, uy, 4)
        w.writerow([epoch, round(total / batches, 4), round(hl, 4), round(r1, 4), round(r4, 4)])
        print(epoch, round(total / batches, 4), round(hl, 4), round(r1, 4), round(r4, 4))
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "epochs_done": epoch + 1}, out / "proxy_anchor.pt")
    finish(out, __file__, (hx[:160], hy[:160]), causes=["missing_zero_grad"],
           checkpoint="proxy_anchor.pt", log="proxy_anchor.csv",
           what="proxy-anchor metric learning on clustered vectors, no optimizer.zero_grad()",
           complaint="the proxy-anchor loss hardly moves after the first two epochs (still "
                     "around 10) and recall@1 on the unseen classes is stuck at 0.84; "
                     "more epochs don't help")


if __name__ == "__main__":
    main()
