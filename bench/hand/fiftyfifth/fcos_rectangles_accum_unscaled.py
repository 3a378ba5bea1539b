"""FCOS-style anchor-free detector: one bright rectangle (6–20 px a side) on a noisy 32×32
frame with a few distractor blobs. A small conv backbone (stride 4) gives an 8×8 feature map;
three heads per location: an object score (sigmoid, BCE against "this location lies inside
the box"), the distances (l, t, r, b) to the box edges (exp of the output, in units of the
stride, 1 − IoU loss on the positive locations) and a centerness (BCE against
sqrt(min(l, r)/max(l, r) · min(t, b)/max(t, b)) on the positives). The box is read at the
location with the highest score × centerness. SGD lr 0.08 momentum 0.9 (the lr found with one
micro-batch of 16 per step), gradient accumulation over 4 micro-batches of 16 (an effective
batch of 64), 10 epochs; a CSV log with
the three parts of the train loss, the val loss and the val mean IoU per epoch. 
Bug: each micro-batch's loss is back-propagated as is, not divided by the 4 accumulation
steps, so every optimizer step applies the sum of 4 mean-gradients: an effective lr of 0.32
where 0.08 was tuned."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE, STRIDE = 32, 4
GRID = SIZE // STRIDE
ACCUM, MICRO = 4, 16


def frames(n, g):
    x = 0.3 * torch.randn(n, 1, SIZE, SIZE, generator=g)
    boxes = torch.zeros(n, 4)
    for i in range(n):
        w, h = (int(v) for v in torch.randint(6, 21, (2,), generator=g))
        x0 = int(torch.randint(0, SIZE - w + 1, (1,), generator=g))
        y0 = int(torch.randint(0, SIZE - h + 1, (1,), generator=g))
        x[i, 0, y0:y0 + h, x0:x0 + w] += 1.0
        for _ in range(3):  # distractor blobs, 2×2
            bx, by = (int(v) for v in torch.randint(0, SIZE - 2, (2,), generator=g))
            x[i, 0, by:by + 2, bx:bx + 2] += 0.8
        boxes[i] = torch.tensor([x0, y0, x0 + w, y0 + h], dtype=torch.float)
    return x, boxes


def centers():
    c = torch.arange(GRID, dtype=torch.float) * STRIDE + STRIDE / 2
    cy, cx = torch.meshgrid(c, c, indexing="ij")
    return cx.reshape(-1), cy.reshape(-1)


def targets(boxes):
    cx, cy = centers()
    left = cx[None] - boxes[:, 0:1]
    t = cy[None] - boxes[:, 1:2]
    r = boxes[:, 2:3] - cx[None]
    b = boxes[:, 3:4] - cy[None]
    ltrb = torch.stack([left, t, r, b], 2)  # (n, 64, 4) in pixels
    pos = ltrb.min(2).values > 0
    lr, tb = ltrb[..., [0, 2]].clamp(min=1e-3), ltrb[..., [1, 3]].clamp(min=1e-3)
    ctr = torch.sqrt(lr.min(2).values / lr.max(2).values * tb.min(2).values / tb.max(2).values)
    return pos.float(), ltrb / STRIDE, ctr


class FCOS(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 48, 3, 2, 1), nn.ReLU(),
            nn.Conv2d(48, 48, 3, padding=2, dilation=2), nn.ReLU())
        self.cls = nn.Conv2d(48, 1, 3, padding=1)
        self.box = nn.Conv2d(48, 4, 3, padding=1)
        self.ctr = nn.Conv2d(48, 1, 3, padding=1)
        nn.init.constant_(self.cls.bias, -2.0)  # prior: most locations are background

    def forward(self, x):
        f = self.body(x)
        n = x.shape[0]
        score = self.cls(f).reshape(n, -1)
        ltrb = torch.exp(self.box(f).clamp(max=4)).reshape(n, 4, -1).transpose(1, 2)
        ctr = self.ctr(f).reshape(n, -1)
        return torch.cat([score[..., None], ltrb, ctr[..., None]], 2)  # (n, 64, 6)


def iou_ltrb(p, t):
    area_p = (p[:, 0] + p[:, 2]) * (p[:, 1] + p[:, 3])
    area_t = (t[:, 0] + t[:, 2]) * (t[:, 1] + t[:, 3])
    iw = torch.min(p[:, 0], t[:, 0]) + torch.min(p[:, 2], t[:, 2])
    ih = torch.min(p[:, 1], t[:, 1]) + torch.min(p[:, 3], t[:, 3])
    inter = iw.clamp(min=0) * ih.clamp(min=0)
    return inter / (area_p + area_t - inter + 1e-6)


def fcos_loss(out, boxes):
    pos, ltrb, ctr = targets(boxes)
    cls = F.binary_cross_entropy_with_logits(out[..., 0], pos)
    m = pos.bool()
    box = (1 - iou_ltrb(out[..., 1:5][m], ltrb[m])).mean()
    cen = F.binary_cross_entropy_with_logits(out[..., 5][m], ctr[m])
    return cls, box, cen


def decode(out):
    cx, cy = centers()
    best = (torch.sigmoid(out[..., 0]) * torch.sigmoid(out[..., 5])).argmax(1)
    d = out[torch.arange(len(out)), best, 1:5] * STRIDE
    x, y = cx[best], cy[best]
    return torch.stack([x - d[:, 0], y - d[:, 1], x + d[:, 2], y + d[:, 3]], 1)


def box_iou(a, b):
    iw = (torch.min(a[:, 2], b[:, 2]) - torch.max(a[:, 0], b[:, 0])).clamp(min=0)
    ih = (torch.min(a[:, 3], b[:, 3]) - torch.max(a[:, 1], b[:, 1])).clamp(min=0)
    inter = iw * ih
    area = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1]) + (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    return inter / (area - inter)


def build():
    torch.manual_seed(0)
    return FCOS()


def main():
    from _fiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, boxes = frames(2000, g)
    tx, tb, vx, vb = x[:1600], boxes[:1600], x[1600:], boxes[1600:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.08, momentum=0.9)
    with open(out / "fcos_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss_cls", "loss_box", "loss_ctr", "train_loss", "val_loss",
                    "val_mean_iou"])
        for epoch in range(10):
            model.train()
            sums = torch.zeros(3)
            idxs = torch.randperm(1600, generator=g).split(MICRO)
            for k in range(0, len(idxs), ACCUM):
                opt.zero_grad()
                for idx in idxs[k:k + ACCUM]:
                    parts = fcos_loss(model(tx[idx]), tb[idx])
                    loss = sum(parts)
                    loss.backward()
                    sums += torch.tensor([p.item() for p in parts])
                opt.step()
            sums /= len(idxs)
            model.eval()
            with torch.no_grad():
                o = model(vx)
                vl = sum(fcos_loss(o, vb)).item()
                miou = box_iou(decode(o), vb).mean().item()
            w.writerow([epoch, *(round(v, 4) for v in sums.tolist()), round(sums.sum().item(), 4),
                        round(vl, 4), round(miou, 4)])
            print(epoch, round(sums.sum().item(), 4), round(vl, 4), round(miou, 4), flush=True)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch,
                "accum_steps": ACCUM},
               out / "fcos_rect.pt")
    finish(out, __file__, (vx[:32], vb[:32]), causes=["grad_accum_unscaled"],
           checkpoint="fcos_rect.pt", log="fcos_log.csv",
           what="FCOS-style anchor-free detector, SGD 0.08 m0.9, 4-step gradient accumulation, "
                "loss not divided by 4",
           complaint="since I switched the rectangle detector to gradient accumulation the "
                     "training is really unstable, the loss spikes and the IoU is much worse "
                     "than with plain batches")


if __name__ == "__main__":
    main()
