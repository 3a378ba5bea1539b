"""Zoning-class mapping for an urban-planning GIS: a small CNN (3 × 16 × 16 rasterised parcels →
conv 16 → pool → conv 32 → pool → global average, dropout 0.4, linear 4) tags 16 × 16 tiles
(5 m cells) as residential, commercial, industrial or open space from three rasterised layers:
building footprints, roads and vegetation. Synthetic tiles: residential = many small houses
(2–3 cells) on a street grid with garden vegetation, commercial = mid-sized blocks (3–5 cells)
lining a wide road, industrial = one or two large sheds (6–10 cells) with a service road,
open space = mostly vegetation with a path and maybe a pavilion; every layer gets 10 % flipped
cells (digitising errors) and 6 % of the training tiles carry the wrong zone (outdated
records). Adam 2e-3, batch 64, 10 epochs of 2400 tiles; a CSV log per epoch (``Epoch``,
``Train Loss``, ``Val Loss``, ``Val Acc``).
Healthy, with val loss below train loss all the way (dropout 0.4 and the wrong zones sit in
training only): val accuracy 0.87, 0.89, 0.99, then 1.00 from epoch 5; val loss 0.60 → 0.09
while the train loss goes 1.09 → 0.43 (its floor is set by the 6 % wrong zones)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

ZONES = ["residential", "commercial", "industrial", "open_space"]
S = 16


def tile(z, g):
    t = torch.zeros(3, S, S)
    ri = lambda lo, hi: int(torch.randint(lo, hi, (1,), generator=g))  # noqa: E731
    if z == 0:
        r = ri(5, 11)
        t[1, r, :] = 1
        t[2] = (torch.rand(S, S, generator=g) < 0.3).float()
        for _ in range(ri(5, 9)):
            a, b, s = ri(0, 14), ri(0, 14), ri(2, 4)
            t[0, a:a + s, b:b + s] = 1
    elif z == 1:
        r = ri(6, 10)
        t[1, r:r + 2, :] = 1
        for side in (-1, 1):
            for b in range(0, S, ri(4, 6)):
                s = ri(3, 6)
                a = r - s if side < 0 else r + 2
                t[0, max(a, 0):a + s, b:b + s - 1] = 1
    elif z == 2:
        c = ri(2, 6)
        t[1, :, c] = 1
        for _ in range(ri(1, 3)):
            a, b, h, w = ri(0, 8), ri(c + 1, 10), ri(6, 10), ri(5, 8)
            t[0, a:a + h, b:b + w] = 1
    else:
        t[2] = (torch.rand(S, S, generator=g) < 0.85).float()
        p = ri(2, 14)
        t[1, p, :] = 1
        t[2, p, :] = 0
        if torch.rand(1, generator=g) < 0.5:
            a, b = ri(2, 12), ri(2, 12)
            t[0, a:a + 3, b:b + 3] = 1
    t[2][t[0] > 0] = 0
    flip = torch.rand(3, S, S, generator=g) < 0.10
    return torch.where(flip, 1 - t, t)


def tiles(n, g, wrong=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.stack([tile(int(z), g) for z in y])
    bad = torch.rand(n, generator=g) < wrong
    y = torch.where(bad, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return x, y


class ZoningCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.drop = nn.Dropout(0.4)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(self.drop(x.mean((2, 3))))


def build():
    torch.manual_seed(0)
    return ZoningCNN()


def main():
    from _hundredtwentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tiles(2400, g, wrong=0.06)
    xva, yva = tiles(600, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "zoning_history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "Train Loss", "Val Loss", "Val Acc"])
    for epoch in range(1, 11):
        model.train()
        perm = torch.randperm(2400)
        tot = 0.0
        for i in range(0, 2400, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [epoch, round(tot / 2400, 4), round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": 10, "zones": ZONES, "cell_m": 5}, out / "zoning_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="zoning_cnn.ckpt",
           log="zoning_history.csv",
           what="zoning-class CNN on rasterised GIS tiles, 6 % outdated zones (healthy)")


if __name__ == "__main__":
    main()
