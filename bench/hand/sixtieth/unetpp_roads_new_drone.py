"""A UNet++-lite segmenter of synthetic aerial road masks (binary per pixel). A 32×32 grey tile
holds 1–2 straight roads (random angle and offset, 2–3 px wide, a little brighter than the
ground) on a smooth ground texture with pixel noise; the mask marks the road pixels (~15 %).
Nested dense skip pathways X0_0 → X1_0 → X2_0 with X0_1 = f(X0_0, up X1_0), X1_1 = f(X1_0,
up X2_0), X0_2 = f(X0_0, X0_1, up X1_1) (conv-BN-ReLU ×2 per node, widths 8 / 16 / 32) and
deep supervision: a 1×1 head on X0_1 and on X0_2, the loss the mean of their BCE; the
prediction is the X0_2 head. Adam 2e-3, batch 16, 4 epochs of 1000 tiles; JSON-lines log
(``bce`` / ``dice`` every 20 steps; ``val_bce`` / ``val_iou`` per epoch); checkpoint dict
``unetpp`` / ``adam`` / ``iters``.
Bug: the validation tiles come from the new drone's camera (``VAL_CAMERA = (0.45, 0.9)``:
gain 0.45, offset +0.9, over-exposed and low-contrast) while all training tiles are from the
old one (gain 1, offset 0), and the model has no input normalisation but BatchNorm with
running statistics: training IoU reaches 0.95 while validation IoU stays at 0.00–0.02 (control: the
validation tiles from the training camera)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 32
TRAIN_CAMERA = (1.0, 0.0)
VAL_CAMERA = (0.45, 0.9)  # the bug: (1.0, 0.0) is the control


def tiles(n, g, camera):
    gain, offset = camera
    r = torch.arange(SIZE).float() - SIZE / 2
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    mask = torch.zeros(n, SIZE, SIZE)
    for k in range(2):
        theta = torch.rand(n, generator=g) * torch.pi
        off = (torch.rand(n, generator=g) - 0.5) * SIZE * 0.7
        width = 1.0 + torch.rand(n, generator=g) * 0.6
        d = (xx[None] * torch.cos(theta)[:, None, None] + yy[None] * torch.sin(theta)[:, None, None]
             - off[:, None, None]).abs()
        road = (d < width[:, None, None]).float()
        if k == 1:
            road = road * (torch.rand(n, 1, 1, generator=g) < 0.5)
        mask = torch.maximum(mask, road)
    ground = F.interpolate(torch.randn(n, 1, 8, 8, generator=g), size=SIZE, mode="bilinear",
                           align_corners=False)[:, 0] * 0.5
    x = ground + 1.2 * mask + 0.35 * torch.randn(n, SIZE, SIZE, generator=g)
    return (gain * x + offset)[:, None], mask[:, None]


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())


class UNetPP(nn.Module):
    def __init__(self, w=(8, 16, 32)):
        super().__init__()
        self.x00, self.x10, self.x20 = block(1, w[0]), block(w[0], w[1]), block(w[1], w[2])
        self.x01 = block(w[0] + w[1], w[0])
        self.x11 = block(w[1] + w[2], w[1])
        self.x02 = block(2 * w[0] + w[1], w[0])
        self.head1, self.head2 = nn.Conv2d(w[0], 1, 1), nn.Conv2d(w[0], 1, 1)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)

    def forward(self, x, deep=False):
        x00 = self.x00(x)
        x10 = self.x10(self.pool(x00))
        x20 = self.x20(self.pool(x10))
        x01 = self.x01(torch.cat([x00, self.up(x10)], 1))
        x11 = self.x11(torch.cat([x10, self.up(x20)], 1))
        x02 = self.x02(torch.cat([x00, x01, self.up(x11)], 1))
        if deep:
            return self.head1(x01), self.head2(x02)
        return self.head2(x02)


def build():
    torch.manual_seed(0)
    return UNetPP()


def iou(logits, mask):
    pred = logits > 0
    inter = (pred & (mask > 0.5)).sum().item()
    union = (pred | (mask > 0.5)).sum().item()
    return inter / max(union, 1)


def main():
    from _sixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xt, mt = tiles(1000, g, TRAIN_CAMERA)
    xv, mv = tiles(300, g, VAL_CAMERA)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    it = 0
    with open(out / "seg_log.jsonl", "w") as fh:
        for epoch in range(4):
            model.train()
            for idx in torch.randperm(1000, generator=g).split(16):
                o1, o2 = model(xt[idx], deep=True)
                loss = (F.binary_cross_entropy_with_logits(o1, mt[idx])
                        + F.binary_cross_entropy_with_logits(o2, mt[idx])) / 2
                opt.zero_grad()
                loss.backward()
                opt.step()
                it += 1
                if it % 20 == 0:
                    p = torch.sigmoid(o2.detach())
                    dice = (2 * (p * mt[idx]).sum() / (p.sum() + mt[idx].sum())).item()
                    fh.write(json.dumps({"iter": it, "bce": round(loss.item(), 5),
                                         "dice": round(dice, 4)}) + "\n")
            model.eval()
            with torch.no_grad():
                lv = model(xv)
                vb = F.binary_cross_entropy_with_logits(lv, mv).item()
                tr = iou(model(xt[:300]), mt[:300])
            fh.write(json.dumps({"iter": it, "epoch": epoch, "val_bce": round(vb, 5),
                                 "val_iou": round(iou(lv, mv), 4)}) + "\n")
            print(epoch, round(loss.item(), 4), "train_iou", round(tr, 3), "val", round(vb, 4),
                  round(iou(lv, mv), 3))
    torch.save({"unetpp": model.state_dict(), "adam": opt.state_dict(), "iters": it},
               out / "unetpp.pt")
    finish(out, __file__, (xv[:32], mv[:32]), causes=["distribution_shift"],
           checkpoint="unetpp.pt", log="seg_log.jsonl",
           what="UNet++-lite road segmenter (nested skips, deep supervision), validation tiles "
                "from another camera (gain 0.45, offset +0.9)",
           complaint="My UNet++ road segmenter: the training BCE and dice look great, but on the "
                     "validation tiles the IoU is terrible and the validation loss is way "
                     "higher than training. Is the nested decoder overfitting?")


if __name__ == "__main__":
    main()
