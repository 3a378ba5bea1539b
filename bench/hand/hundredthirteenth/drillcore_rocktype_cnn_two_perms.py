"""Geology: a small CNN logs rock type from core-tray photographs of diamond-drill core, cut
into 32×32 RGB tiles along the core: granite (pink–white–black speckle), basalt (dark,
fine-grained, a few pale amygdales), sandstone (tan, fine grain, faint bedding across the
core), limestone (pale grey with small shell fragments) and schist (grey–green with strong
foliation at a random dip). Tiles get a lighting gradient from the core-shed window, a
wet/dry brightness 0.75–1.25 and noise. 3 conv blocks (16/32/64, BatchNorm, ReLU, max-pool),
global average pool, dropout 0.2, linear head. SGD momentum 0.9, lr 0.02, batch 50, 8 epochs
of 1200 tiles (300 for validation); a CSV per epoch (epoch, tr_loss, tr_acc, va_loss, va_acc).
Bug: the tiles and the logged rock types come as two arrays, and the script shuffles them once
before the split with two separate permutations (``tiles = tiles[torch.randperm(n)]`` and
``rocktype = rocktype[torch.randperm(n)]``), so each tile keeps a random tile's label, in
training and validation alike. Train loss 1.73 → 1.63 (ln 5 = 1.61), train accuracy 0.18–0.22,
val accuracy 0.15–0.20 (0.187 at epoch 8), val loss 1.64–1.71: chance throughout. The control
(the same permutation for both: ``torch.manual_seed(1)`` again before the second randperm)
reaches val accuracy 0.987 after one epoch and 1.00 from epoch 4, val loss 0.0006."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 32
ROCKS = ["granite", "basalt", "sandstone", "limestone", "schist"]


def core_tiles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, S), torch.linspace(-1, 1, S), indexing="ij")
    y = torch.randint(0, 5, (n,), generator=g)
    out = torch.zeros(n, 3, S, S)
    for i in range(n):
        k = int(y[i])
        speck = r(S, S)
        if k == 0:
            base = torch.tensor([0.85, 0.6, 0.55])[:, None, None].expand(3, S, S).clone()
            base[:, speck > 0.75] = 0.92
            base[:, speck < 0.15] = 0.12
        elif k == 1:
            base = torch.tensor([0.22, 0.22, 0.24])[:, None, None] + 0.04 * (speck - 0.5)
            base = base.clone()
            for _ in range(3):
                cy, cx = r(2) * 2 - 1
                base[:, ((yy - cy) ** 2 + (xx - cx) ** 2) < 0.01] = 0.7
        elif k == 2:
            bed = 0.05 * torch.sin(12 * yy + 6 * float(r(1)))
            base = torch.tensor([0.78, 0.66, 0.45])[:, None, None] + bed + 0.08 * (speck - 0.5)
        elif k == 3:
            base = torch.tensor([0.7, 0.7, 0.68])[:, None, None].expand(3, S, S).clone()
            base[:, speck > 0.93] = 0.95
            base = base + 0.03 * (speck - 0.5)
        else:
            th = float(r(1)) * math.pi
            u = xx * math.cos(th) + yy * math.sin(th)
            fol = 0.18 * torch.sin(14 * math.pi * u)
            base = torch.tensor([0.45, 0.52, 0.45])[:, None, None] + fol + 0.05 * (speck - 0.5)
        light = 1 + 0.2 * (xx * float(r(1) - 0.5) + yy * float(r(1) - 0.5))
        out[i] = base * light * (0.75 + 0.5 * float(r(1)))
    out = out + 0.05 * torch.randn(out.shape, generator=g)
    return (out - 0.55) / 0.25, y


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.MaxPool2d(2))


def build():
    torch.manual_seed(0)
    return nn.Sequential(block(3, 16), block(16, 32), block(32, 64), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Dropout(0.2), nn.Linear(64, 5))


def main():
    from _hundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tiles, rocktype = core_tiles(1500, g)
    n = len(tiles)
    torch.manual_seed(1)
    tiles = tiles[torch.randperm(n)]
    rocktype = rocktype[torch.randperm(n)]
    xtr, ytr, xva, yva = tiles[:1200], rocktype[:1200], tiles[1200:], rocktype[1200:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    f = open(out / "corelog_history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "tr_loss", "tr_acc", "va_loss", "va_acc"])
    for epoch in range(8):
        model.train()
        perm = torch.randperm(1200)
        tl, tc = 0.0, 0
        for i in range(0, 1200, 50):
            idx = perm[i:i + 50]
            lo = model(xtr[idx])
            loss = F.cross_entropy(lo, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            tc += (lo.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [epoch + 1, round(tl / 1200, 4), round(tc / 1200, 4),
                   round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 8, "classes": ROCKS}, out / "corelog_cnn_epoch8.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="corelog_cnn_epoch8.pt", log="corelog_history.csv",
           what="drill-core rock-type CNN, tiles and labels shuffled with two permutations",
           complaint="我们用岩芯照片训练的岩性识别 CNN 完全学不动：8 个 epoch 训练 loss 从 1.73 "
                     "只降到 1.63，训练准确率 0.2 左右，验证准确率 0.15–0.20（5 类岩性，瞎猜也是 "
                     "0.2）。SGD lr 0.02，momentum 0.9。")


if __name__ == "__main__":
    main()
