"""Face re-identification from 64-d descriptors (40 people, 20 shots each), an MLP embedder
to 16-d unit vectors and a triplet loss written by hand, ``d = ((a - b) ** 2).sum(1).sqrt()``,
SGD + momentum. The positive is "a random shot of the same person", drawn without
excluding the anchor itself (bug: about 1 triplet in 20 has d(a, p) = 0 exactly, and the
gradient of sqrt at 0 is inf; inf * 0 gives NaN, and one step later every weight is NaN)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

PEOPLE, SHOTS = 40, 20


def shots(g, identity, per):
    who = torch.arange(PEOPLE).repeat_interleave(per)
    light = torch.randn(len(who), 1, generator=g) * 0.5
    x = identity[who] * (1 + light) + 1.5 * torch.randn(len(who), 64, generator=g)
    return x, who


class Embedder(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 16))

    def forward(self, x):
        return F.normalize(self.net(x), dim=-1)


def build():
    torch.manual_seed(0)
    return Embedder()


def triplets(who, g, n):
    a = torch.randint(0, len(who), (n,), generator=g)
    same = [torch.nonzero(who == who[i]).flatten() for i in a.tolist()]  # BUG: may be i
    p = torch.stack([s[torch.randint(0, len(s), (1,), generator=g)][0] for s in same])
    neg = torch.randint(0, len(who), (n,), generator=g)
    neg = torch.where(who[neg] == who[a], (neg + SHOTS) % len(who), neg)
    return a, p, neg


def dist(a, b):
    return ((a - b) ** 2).sum(1).sqrt()


def triplet_loss(a, p, n, margin=0.2):
    return F.relu(dist(a, p) - dist(a, n) + margin).mean()


def nn_accuracy(model, x, who, gx, gwho):
    with torch.no_grad():
        d = torch.cdist(model(x), model(gx))
    return (gwho[d.argmin(1)] == who).float().mean().item()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    identity = torch.randn(PEOPLE, 64, generator=g)
    (x, who), (vx, vwho) = shots(g, identity, SHOTS), shots(g, identity, 5)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    with open(out / "reid_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "val_top1"])
        for epoch in range(25):
            model.train()
            a, p, neg = triplets(who, g, 800)
            tot = 0.0
            for i in range(0, 800, 64):
                sl = slice(i, i + 64)
                loss = triplet_loss(model(x[a[sl]]), model(x[p[sl]]), model(x[neg[sl]]))
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(a[sl])
            model.eval()
            w.writerow([epoch, tot / 800, nn_accuracy(model, vx, vwho, x, who)])
    print("loss", tot / 800, "val nn acc", nn_accuracy(model, vx, vwho, x, who))
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "reid_embedder.pt")
    finish(out, __file__, (vx[:100], vwho[:100]), causes=["numerical_log_or_div_zero"],
           checkpoint="reid_embedder.pt", log="reid_log.csv",
           what="hand-written sqrt distance, positive can be the anchor: sqrt'(0) = inf",
           complaint="triplet loss becomes nan after a few iterations")


if __name__ == "__main__":
    main()
