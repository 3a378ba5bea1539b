"""A PointPillars-style classifier of lidar object crops: a 16 × 16 m patch of synthetic
points (a flat ground with jitter, 160 points, plus one object of 4 kinds — car 4.2 × 1.8 × 1.5
m, truck 7 × 2.5 × 3.2 m, pedestrian a 0.3 m-radius cylinder 1.8 m tall, cyclist 1.8 × 0.5 × 1.7
m — at a random place and heading, 90–240 points on its surface, intensity higher on the
object). Points are grouped into an 8 × 8 grid of 2 m pillars, at most 8 points each; a point
carries 7 features (x, y, z, intensity, and its offset x, y, z from its pillar's point mean),
so the dataset stores pillars as ``(scenes, 64 pillars, 8 points, 7 features)``. The pillar
feature net is PointPillars': a 1 × 1 Conv2d over ``(B, features, pillars, points)`` + BN +
ReLU to 32 channels, max over the points, the 64 pillar vectors scattered back into an 8 × 8
pseudo-image, then a 2-D backbone (conv 32, conv 64 stride 2, each with BN + ReLU), global max
pooling and a linear head. Adam 2e-3, batch 32, 8 epochs of 1024 scenes; a JSON-lines log per
epoch (``ep``, ``loss``, ``val_loss``, ``val_top1``) and a checkpoint ``{"pfn_backbone",
"adam", "ep", "grid"}``.

The bug: the PFN wants features first, and the loop brings the stored pillars there with
``pillars.view(B, 7, 64, 8)`` instead of ``pillars.permute(0, 3, 1, 2)``. The shapes match and
nothing fails, but each "feature channel" now holds a run of 512 numbers that mixes features,
points and pillars (channel 0 is pillars 0–9's x, y, z, intensity, offsets interleaved), and
the "pillars" are no longer places in the grid. The network still learns something from the
scrambled values (heights and intensities leak through the mixture), but only what it can
memorise: the train loss falls to 0.11 while val top-1 swings between 0.53 and 0.83 and ends
at 0.64 (val loss 0.93). The control with the permute: train loss 0.046, val top-1 0.90, val
loss 0.23 (pedestrians and cyclists are the confusable pair)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

GRID, CELL, NPTS, FEAT = 8, 2.0, 8, 7
KINDS = ["car", "truck", "pedestrian", "cyclist"]
SIZES = torch.tensor([[4.2, 1.8, 1.5], [7.0, 2.5, 3.2], [0.6, 0.6, 1.8], [1.8, 0.5, 1.7]])


def scene(kind, g):
    ground = torch.rand(160, 3, generator=g) * torch.tensor([16.0, 16.0, 0.0])
    ground[:, 2] = 0.05 * torch.randn(160, generator=g)
    m = int(torch.randint(90, 241, (1,), generator=g))
    length, width, height = SIZES[kind] * (0.9 + 0.2 * torch.rand(3, generator=g))
    if kind == 2:  # a cylinder
        a = torch.rand(m, generator=g) * 6.283
        local = torch.stack([0.3 * a.cos(), 0.3 * a.sin(), torch.rand(m, generator=g) * height], 1)
    else:  # points on the box's sides and top
        local = (torch.rand(m, 3, generator=g) - 0.5) * torch.stack([length, width, height])
        local[:, 2] += height / 2
        face = torch.randint(0, 3, (m,), generator=g)
        side = torch.where(torch.rand(m, generator=g) < 0.5, -0.5, 0.5)
        local[face == 0, 0] = (side * length)[face == 0]
        local[face == 1, 1] = (side * width)[face == 1]
        local[face == 2, 2] = height
    th = float(torch.rand(1, generator=g)) * math.pi
    rot = torch.tensor([[math.cos(th), -math.sin(th)], [math.sin(th), math.cos(th)]])
    centre = 4 + 8 * torch.rand(2, generator=g)
    obj = local.clone()
    obj[:, :2] = local[:, :2] @ rot.T + centre
    pts = torch.cat([ground, obj]).clamp(0, 15.99)
    pts[:, 2] = torch.cat([ground[:, 2], obj[:, 2]])
    inten = torch.cat([0.1 + 0.1 * torch.rand(160, generator=g),
                       0.3 + 0.5 * torch.rand(m, generator=g)])
    pid = (pts[:, 0] // CELL).long() * GRID + (pts[:, 1] // CELL).long()
    order = torch.argsort(pid * 10 + torch.rand(len(pid), generator=g))  # random points first
    pid, pts, inten = pid[order], pts[order], inten[order]
    first = torch.searchsorted(pid, pid)
    rank = torch.arange(len(pid)) - first
    keep = rank < NPTS
    pillars = torch.zeros(GRID * GRID, NPTS, FEAT)
    feats = torch.cat([pts, inten[:, None], torch.zeros(len(pid), 3)], 1)[keep]
    pillars[pid[keep], rank[keep]] = feats
    filled = (pillars[:, :, 3] > 0).float()
    mean = (pillars[:, :, :3] * filled[..., None]).sum(1) / filled.sum(1).clamp(min=1)[:, None]
    pillars[:, :, 4:] = (pillars[:, :, :3] - mean[:, None]) * filled[..., None]
    pillars[:, :, :2] = pillars[:, :, :2] / 8 - 1  # metres to about [-1, 1]
    return pillars


def dataset(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    return torch.stack([scene(int(k), g) for k in y]), y


class PointPillars(nn.Module):
    def __init__(self):
        super().__init__()
        self.pfn = nn.Sequential(nn.Conv2d(FEAT, 32, 1, bias=False), nn.BatchNorm2d(32),
                                 nn.ReLU())
        self.backbone = nn.Sequential(
            nn.Conv2d(32, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU())
        self.head = nn.Linear(64, 4)

    def forward(self, x):  # x: (B, FEAT, pillars, points)
        h = self.pfn(x).max(3).values  # (B, 32, pillars)
        canvas = h.view(len(x), 32, GRID, GRID)  # pillars are in grid order: the scatter
        return self.head(self.backbone(canvas).amax((2, 3)))


def build():
    torch.manual_seed(0)
    return PointPillars()


def main():
    from _seventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    pil, y = dataset(1280, g)
    ptr, ytr, pva, yva = pil[:1024], y[:1024], pil[1024:], y[1024:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    B = 32

    def to_model(p):  # (B, pillars, points, features) -> (B, features, pillars, points)
        return p.view(len(p), FEAT, GRID * GRID, NPTS)

    with open(out / "train_log.jsonl", "w") as log:
        for ep in range(8):
            model.train()
            tot = 0.0
            for idx in torch.randperm(len(ptr), generator=g).split(B):
                loss = F.cross_entropy(model(to_model(ptr[idx])), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(to_model(pva))
            row = {"ep": ep, "loss": round(tot / len(ptr), 4),
                   "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
                   "val_top1": round((lv.argmax(1) == yva).float().mean().item(), 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"pfn_backbone": model.state_dict(), "adam": opt.state_dict(), "ep": 8,
                "grid": {"cells": GRID, "cell_m": CELL, "points_per_pillar": NPTS}},
               out / "pointpillars_cls.pt")
    finish(out, __file__, (to_model(pva[:64]), yva[:64]), causes=["input_layout_scrambled"],
           checkpoint="pointpillars_cls.pt", log="train_log.jsonl",
           what="PointPillars-style object classifier; pillars (B, P, N, D) view()ed to "
                "(B, D, P, N) instead of permuted",
           complaint="The pillar classifier's validation accuracy jumps between 50 and 80% "
                     "from epoch to epoch and ends at 64% on four object types, while the "
                     "training loss keeps going down. A truck vs a pedestrian should be "
                     "trivial from the heights alone.")


if __name__ == "__main__":
    main()
