"""Monocular depth with a DPT-lite (dense prediction transformer) on synthetic 32×32 RGB room
renders: a far wall (4.5–6 m), a floor whose depth falls from the wall to 1 m at the bottom
row, and 1–3 boxes standing on the floor (their base row sets their depth, as in a real room),
each surface a random albedo, shaded by distance (0.35 + 0.65·exp(−d/4)), pixel noise 0.03. The
depth maps come from a simulated structured-light sensor: in 6 % of the frames a glossy box
returns no depth, and those pixels are NaN ("invalid"), as in NYU / ScanNet raw depth.
DPT-lite: 4×4 patches → 64 tokens of width 48 + learnt positions, 3 pre-norm transformer
blocks (4 heads); the tokens after blocks 1 and 3 are reassembled into 8×8 maps (1×1 projection
to 32 channels, block 1's upsampled ×2 by a transposed conv), fused by residual conv units with
×2 upsampling (8 → 16 → 32), a head conv 32→16→1 with softplus (metres). Eigen's
scale-invariant log loss (SILog, λ 0.5, ×10), AdamW 1e-3 (weight decay 0.01), batch 16, 5 epochs
of 448 frames (128 val); the validation metrics (AbsRel, δ<1.25) are
computed on valid pixels only, as the benchmark scripts do. Per epoch a CSV.

The bug: the training loss is ``silog(pred, depth)`` over every pixel, NaN holes included
(only the copied evaluation code masks them). The first batch holding a holed frame makes the
loss NaN, the backward fills every gradient with NaN and AdamW writes NaN into every weight;
from then on every output is NaN: the log's SILog and val AbsRel are NaN at every epoch, val
δ<1.25 is 0.0. Control (the loss on ``torch.isfinite(depth)`` pixels only): SILog 4.38 → 1.33,
val AbsRel 0.089, δ<1.25 0.953. (A first version used ``F.l1_loss``: its gradient at a NaN
difference is 0, so that run trained fine with a NaN *logged* loss; SILog mixes all pixels in
its mean and spreads the NaN.) Truth: nan_in_inputs (NaN in the targets: missing labels)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 32


def rooms(n, g):
    yy = torch.arange(S).float()[:, None].expand(S, S)
    xx = torch.arange(S).float()[None].expand(S, S)
    imgs, depth = torch.zeros(n, 3, S, S), torch.zeros(n, 1, S, S)
    for i in range(n):
        wall = 4.5 + 1.5 * float(torch.rand(1, generator=g))
        horizon = int(torch.randint(8, 16, (1,), generator=g))
        t = ((yy - horizon) / (S - 1 - horizon)).clamp(min=0)
        d = torch.where(yy < horizon, torch.full_like(yy, wall), wall + (1.0 - wall) * t)
        alb = torch.where(yy < horizon, torch.ones_like(yy), torch.zeros_like(yy))
        albedo = torch.rand(3, 2, generator=g) * 0.6 + 0.4
        col = albedo[:, 0, None, None] * alb + albedo[:, 1, None, None] * (1 - alb)
        glossy = float(torch.rand(1, generator=g)) < 0.06
        hole = torch.zeros(S, S, dtype=torch.bool)
        for k in range(int(torch.randint(1, 4, (1,), generator=g))):
            base = int(torch.randint(horizon + 2, S, (1,), generator=g))
            h, w = (torch.randint(4, 11, (2,), generator=g)).tolist()
            x0 = int(torch.randint(0, S - w, (1,), generator=g))
            box = (yy >= base - h) & (yy <= base) & (xx >= x0) & (xx < x0 + w)
            d = torch.where(box, d[base, 0].expand(S, S), d)
            c = torch.rand(3, generator=g) * 0.8 + 0.2
            col = torch.where(box[None], c[:, None, None].expand(3, S, S), col)
            if glossy and k == 0:
                hole = box
        imgs[i] = col * (0.35 + 0.65 * torch.exp(-d / 4))[None]
        depth[i, 0] = torch.where(hole, torch.tensor(float("nan")), d)
    imgs = imgs + 0.03 * torch.randn(n, 3, S, S, generator=g)
    return (imgs - 0.4) / 0.25, depth


class RCU(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1, self.c2 = nn.Conv2d(c, c, 3, padding=1), nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return x + self.c2(F.relu(self.c1(F.relu(x))))


class DPTLite(nn.Module):
    def __init__(self, dim=48, feat=32):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 4, 4)
        self.pos = nn.Parameter(torch.zeros(1, 64, dim))
        nn.init.normal_(self.pos, std=0.02)
        self.blocks = nn.ModuleList(nn.TransformerEncoderLayer(dim, 4, 2 * dim, 0.0,
                                                               batch_first=True, norm_first=True)
                                    for _ in range(3))
        self.proj1, self.proj3 = nn.Conv2d(dim, feat, 1), nn.Conv2d(dim, feat, 1)
        self.up1 = nn.ConvTranspose2d(feat, feat, 2, 2)
        self.fuse3, self.fuse1 = RCU(feat), RCU(feat)
        self.head = nn.Sequential(nn.Conv2d(feat, 16, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(16, 1, 1), nn.Softplus())

    def forward(self, x):
        b = x.shape[0]
        tok = self.patch(x).flatten(2).transpose(1, 2) + self.pos
        outs = []
        for blk in self.blocks:
            tok = blk(tok)
            outs.append(tok)
        grid = lambda t: t.transpose(1, 2).reshape(b, -1, 8, 8)  # noqa: E731
        f1 = self.up1(self.proj1(grid(outs[0])))                 # 16×16
        f3 = self.fuse3(self.proj3(grid(outs[2])))               # 8×8
        f = F.interpolate(f3, scale_factor=2, mode="bilinear", align_corners=False) + f1
        f = F.interpolate(self.fuse1(f), scale_factor=2, mode="bilinear", align_corners=False)
        return self.head(f)


def build():
    torch.manual_seed(0)
    return DPTLite()


def silog(pred, gt, lam=0.5):
    """Eigen et al.'s scale-invariant log loss."""
    d = torch.log(pred) - torch.log(gt)
    return (d.pow(2).mean() - lam * d.mean().pow(2)).sqrt() * 10


def metrics(pred, gt):
    valid = torch.isfinite(gt)
    p, t = pred[valid], gt[valid]
    absrel = ((p - t).abs() / t).mean().item()
    ratio = torch.maximum(p / t, t / p)
    return absrel, (ratio < 1.25).float().mean().item()


def main():
    from _eightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, d = rooms(576, g)
    xtr, dtr, xva, dva = x[:448], d[:448], x[448:], d[448:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    f = open(out / "depth_train_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "silog", "val_absrel", "val_delta1"])
    for epoch in range(5):
        model.train()
        tot = 0.0
        for idx in torch.randperm(448, generator=g).split(16):
            loss = silog(model(xtr[idx]), dtr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            absrel, delta1 = metrics(model(xva), dva)
        row = [epoch + 1, round(tot / 448, 4), round(absrel, 4), round(delta1, 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": epoch + 1, "max_depth_m": 6.0}, out / "dpt_lite_depth.pt")
    finish(out, __file__, (xva[:32], dva[:32]), causes=["nan_in_inputs"],
           checkpoint="dpt_lite_depth.pt", log="depth_train_log.csv",
           what="DPT-lite monocular depth, unmasked L1 on depth maps with NaN sensor holes",
           complaint="Training a small DPT for monocular depth on our room captures. The loss "
                     "is nan already in the first epoch and validation AbsRel / delta1 are nan "
                     "too, every epoch. I tried lowering the learning rate from 1e-3 to 1e-4, "
                     "same thing.")


if __name__ == "__main__":
    main()
