"""Defect classification of machined parts from 2-D contour point clouds with a PointNet++-lite:
64 points sampled (with jitter) on the outline of a part; class 0 "ok" (a rounded rectangle),
1 "notch" (a V cut in one side), 2 "burr" (a spike on one side), 3 "bent" (one side sheared).
Set abstraction 1: 16 centroids by farthest-point sampling, 8 nearest neighbours each, a shared
MLP (2 → 32 → 32) on the neighbours' offsets, max-pooled; set abstraction 2: an MLP (34 → 64) on
[centroid, local feature], max-pooled over centroids; a 64 → 32 → 4 head. Cross-entropy, Adam
2e-3, batch 32, 10 epochs; a CSV per epoch (``loss``, ``val_loss``, ``val_acc``,
``val_defect_recall``: recall averaged over the three defect classes, on a balanced val set).
Bug: the training data are the production line's export as it comes, 91 % "ok" parts and 3 %
of each defect, and the loss is the plain ``nn.CrossEntropyLoss()`` with no class weights or
re-sampling; the net learns to answer "ok" and never flags a defect (val accuracy 0.25 on the balanced
val set, defect recall 0; with class-weighted cross-entropy: 0.77, recall 0.76)."""
import csv

import torch
import torch.nn as nn

N_PTS = 64


def parts(labels, g):
    n = len(labels)
    t = torch.rand(n, N_PTS, generator=g) * 4          # position along the 4 sides
    side, u = t.floor(), t - t.floor()
    w = 1.0 + 0.3 * torch.rand(n, 1, generator=g)
    h = 0.6 + 0.3 * torch.rand(n, 1, generator=g)
    x = torch.where(side == 0, -w + 2 * w * u, torch.where(side == 1, w, torch.where(side == 2, w - 2 * w * u, -w)))
    y = torch.where(side == 0, -h, torch.where(side == 1, -h + 2 * h * u, torch.where(side == 2, h, h - 2 * h * u)))
    bottom = side == 0
    c = labels[:, None]
    notch = (c == 1) & bottom
    y = y + torch.where(notch, 0.5 * h * (1 - (u - 0.5).abs() * 4).clamp(min=0), torch.zeros_like(y))
    burr = (c == 2) & bottom
    y = y - torch.where(burr, 0.6 * (1 - (u - 0.5).abs() * 10).clamp(min=0), torch.zeros_like(y))
    bent = (c == 3) & (side == 1)
    x = x + torch.where(bent, 0.5 * u, torch.zeros_like(x))
    pts = torch.stack([x, y], -1) + 0.02 * torch.randn(n, N_PTS, 2, generator=g)
    ang = torch.rand(n, 1, generator=g) * 0.4 - 0.2
    rot = torch.stack([torch.cat([ang.cos(), -ang.sin()], 1), torch.cat([ang.sin(), ang.cos()], 1)], 1)
    return pts @ rot


def fps(pts, k):
    B, N, _ = pts.shape
    idx = torch.zeros(B, k, dtype=torch.long)
    dist = torch.full((B, N), float("inf"))
    far = torch.zeros(B, dtype=torch.long)
    for i in range(k):
        idx[:, i] = far
        c = pts[torch.arange(B), far][:, None]
        dist = torch.minimum(dist, ((pts - c) ** 2).sum(-1))
        far = dist.argmax(1)
    return idx


class PointNetPPLite(nn.Module):
    def __init__(self, n_classes=4):
        super().__init__()
        self.local = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU())
        self.glob = nn.Sequential(nn.Linear(34, 64), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, n_classes))

    def forward(self, pts):
        B = pts.shape[0]
        cent = pts[torch.arange(B)[:, None], fps(pts, 16)]                 # (B, 16, 2)
        knn = torch.cdist(cent, pts).topk(8, largest=False).indices        # (B, 16, 8)
        nb = pts[torch.arange(B)[:, None, None], knn] - cent[:, :, None]    # (B, 16, 8, 2)
        feat = self.local(nb).max(2).values                                 # (B, 16, 32)
        g = self.glob(torch.cat([cent, feat], -1)).max(1).values            # (B, 64)
        return self.head(g)


def build():
    torch.manual_seed(0)
    return PointNetPPLite()


def main():
    from _ninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ytr = torch.where(torch.rand(1600, generator=g) < 0.91, 0, torch.randint(1, 4, (1600,), generator=g))
    xtr = parts(ytr, g)
    yva = torch.arange(320) % 4
    xva = parts(yva, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    criterion = nn.CrossEntropyLoss()
    f = open(out / "train_history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "val_loss", "val_acc", "val_defect_recall"])
    for epoch in range(10):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            loss = criterion(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            pred = lo.argmax(1)
            rec = [((pred == c) & (yva == c)).sum().item() / (yva == c).sum().item() for c in (1, 2, 3)]
            row = [epoch + 1, round(tot / len(xtr), 4), round(criterion(lo, yva).item(), 4),
                   round((pred == yva).float().mean().item(), 4), round(sum(rec) / 3, 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 10,
                "classes": ["ok", "notch", "burr", "bent"]}, out / "pointnetpp_parts.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="pointnetpp_parts.pt", log="train_history.csv",
           what="PointNet++-lite defect classifier trained on 97 % 'ok' parts, unweighted CE",
           complaint="The PointNet++ part inspector says almost every part is OK. The training "
                     "loss is tiny, but on our test set of notched, burred and bent parts it "
                     "catches hardly any defects.")


if __name__ == "__main__":
    main()
