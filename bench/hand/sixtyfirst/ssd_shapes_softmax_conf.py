"""SSD-lite multibox detector written by hand on synthetic 32×32 grey frames holding one or two
shapes (a filled square or a ring, 7–14 px) on a noisy background with faint distractor dots.
A small conv backbone gives an 8×8 and a 4×4 feature map; each cell has 2 default boxes (sizes
0.22 / 0.34 on the 8×8 map, 0.45 / 0.6 on the 4×4 map), 160 in all. Matching: every default
with IoU ≥ 0.5 to a ground-truth box, plus each box's best default; offsets encoded as in SSD
(variances 0.1 / 0.2). Loss: SmoothL1 on the positives' offsets plus cross-entropy on the class
scores (background, square, ring) with hard negative mining at 3 negatives per positive, both
divided by the number of positives. Adam 2e-3, batch 32, 8 epochs; CSV log per epoch.

Bug: the head returns ``softmax`` scores ("so inference gets probabilities") and the loss feeds
those scores to ``F.cross_entropy``, which expects logits: the class loss cannot fall below the
softmax-of-probabilities floor and its gradients are squashed."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 32
CLASSES = 3  # background, square, ring


def default_boxes():
    boxes = []
    for fm, sizes in ((8, (0.22, 0.34)), (4, (0.45, 0.6))):
        for i in range(fm):
            for j in range(fm):
                for s in sizes:
                    boxes.append(((j + 0.5) / fm, (i + 0.5) / fm, s, s))
    return torch.tensor(boxes)  # (160, 4) cx, cy, w, h


DEFAULTS = default_boxes()


def corners(b):
    return torch.cat([b[..., :2] - b[..., 2:] / 2, b[..., :2] + b[..., 2:] / 2], -1)


def iou(a, b):
    a, b = corners(a), corners(b)
    lt = torch.max(a[:, None, :2], b[None, :, :2])
    rb = torch.min(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area = lambda x: (x[:, 2:] - x[:, :2]).prod(-1)  # noqa: E731
    return inter / (area(a)[:, None] + area(b)[None] - inter)


def scenes(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    imgs = 0.15 * torch.randn(n, 1, S, S, generator=g)
    loc_t = torch.zeros(n, len(DEFAULTS), 4)
    cls_t = torch.zeros(n, len(DEFAULTS), dtype=torch.long)
    for k in range(n):
        for _ in range(int(torch.randint(0, 4, (1,), generator=g))):  # distractor dots
            y0, x0 = torch.randint(0, S, (2,), generator=g).tolist()
            imgs[k, 0, y0, x0] += 0.5
        n_obj = int(torch.randint(1, 3, (1,), generator=g))
        gts, labels = [], []
        for _ in range(n_obj):
            size = int(torch.randint(7, 15, (1,), generator=g))
            x0 = int(torch.randint(0, S - size, (1,), generator=g))
            y0 = int(torch.randint(0, S - size, (1,), generator=g))
            kind = int(torch.randint(1, 3, (1,), generator=g))
            cx, cy, r = x0 + size / 2, y0 + size / 2, size / 2
            if kind == 1:
                m = (xx >= x0) & (xx < x0 + size) & (yy >= y0) & (yy < y0 + size)
            else:
                d = ((xx + 0.5 - cx) ** 2 + (yy + 0.5 - cy) ** 2).sqrt()
                m = (d <= r) & (d >= r - 2.5)
            imgs[k, 0][m] = 1.0 + 0.1 * torch.randn(int(m.sum()), generator=g)
            gts.append((cx / S, cy / S, size / S, size / S))
            labels.append(kind)
        gt = torch.tensor(gts)
        ov = iou(gt, DEFAULTS)  # (n_obj, 160)
        best_gt_ov, best_gt = ov.max(0)
        best_gt_ov[ov.argmax(1)] = 2.0
        best_gt[ov.argmax(1)] = torch.arange(n_obj)
        pos = best_gt_ov >= 0.5
        m_gt = gt[best_gt]
        cls_t[k] = torch.where(pos, torch.tensor(labels)[best_gt], 0)
        loc_t[k] = torch.cat([(m_gt[:, :2] - DEFAULTS[:, :2]) / (0.1 * DEFAULTS[:, 2:]),
                              torch.log(m_gt[:, 2:] / DEFAULTS[:, 2:]) / 0.2], 1)
    return imgs, loc_t, cls_t


def block(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1), nn.BatchNorm2d(cout), nn.ReLU())


class SSDLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(block(1, 16, 1), block(16, 24, 2), block(24, 32, 2))  # 8×8
        self.down = block(32, 48, 2)  # 4×4
        self.loc8, self.conf8 = nn.Conv2d(32, 2 * 4, 3, 1, 1), nn.Conv2d(32, 2 * CLASSES, 3, 1, 1)
        self.loc4, self.conf4 = nn.Conv2d(48, 2 * 4, 3, 1, 1), nn.Conv2d(48, 2 * CLASSES, 3, 1, 1)

    def forward(self, x):
        f8 = self.stem(x)
        f4 = self.down(f8)
        b = x.shape[0]
        flat = lambda t, k: t.permute(0, 2, 3, 1).reshape(b, -1, k)  # noqa: E731
        loc = torch.cat([flat(self.loc8(f8), 4), flat(self.loc4(f4), 4)], 1)
        conf = torch.cat([flat(self.conf8(f8), CLASSES), flat(self.conf4(f4), CLASSES)], 1)
        return loc, F.softmax(conf, dim=-1)


def multibox_loss(loc, conf, loc_t, cls_t):
    pos = cls_t > 0
    n_pos = pos.sum().clamp(min=1)
    loss_l = F.smooth_l1_loss(loc[pos], loc_t[pos], reduction="sum")
    ce = F.cross_entropy(conf.reshape(-1, CLASSES), cls_t.reshape(-1),
                         reduction="none").view(cls_t.shape)
    mine = ce.detach().clone()
    mine[pos] = 0.0
    rank = mine.argsort(1, descending=True).argsort(1)
    neg = rank < (3 * pos.sum(1, keepdim=True)).clamp(max=cls_t.shape[1] - 1)
    loss_c = ce[pos | neg].sum()
    return loss_l / n_pos, loss_c / n_pos


def build():
    torch.manual_seed(0)
    return SSDLite()


def main():
    from _sixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, loc_t, cls_t = scenes(1280, g)
    tx, tl, tc = x[:1024], loc_t[:1024], cls_t[:1024]
    vx, vl, vc = x[1024:], loc_t[1024:], cls_t[1024:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "ssd_metrics.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "iters", "train_loc", "train_conf", "val_loc", "val_conf",
                "val_pos_acc", "val_bg_fp"])
    it = 0
    for epoch in range(8):
        model.train()
        sl = sc = 0.0
        nb = 0
        for idx in torch.randperm(1024, generator=g).split(32):
            loc, conf = model(tx[idx])
            ll, lc = multibox_loss(loc, conf, tl[idx], tc[idx])
            opt.zero_grad()
            (ll + lc).backward()
            opt.step()
            it += 1
            sl, sc, nb = sl + ll.item(), sc + lc.item(), nb + 1
        model.eval()
        with torch.no_grad():
            loc, conf = model(vx)
            vll, vlc = multibox_loss(loc, conf, vl, vc)
            pred = conf.argmax(-1)
            pos = vc > 0
            pos_acc = (pred[pos] == vc[pos]).float().mean().item()
            bg_fp = (pred[~pos] > 0).float().mean().item()
        row = [epoch, it, round(sl / nb, 4), round(sc / nb, 4), round(vll.item(), 4),
               round(vlc.item(), 4), round(pos_acc, 4), round(bg_fp, 5)]
        w.writerow(row)
        print(*row)
    log.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": epoch, "iters": it}, out / "ssd_lite.pth")
    finish(out, __file__, (vx[:32], vc[:32]), causes=["activation_before_softmax"],
           checkpoint="ssd_lite.pth", log="ssd_metrics.csv",
           what="SSD-lite multibox detector, softmax scores fed to cross_entropy",
           complaint="my little SSD detector's confidence loss drops for an epoch and then "
                     "just parks around the same value; the localisation loss keeps improving "
                     "but the class scores never get sharp")


if __name__ == "__main__":
    main()
