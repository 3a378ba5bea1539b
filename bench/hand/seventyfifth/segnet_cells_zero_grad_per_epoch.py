"""SegNet-lite segmenting synthetic microscopy "cells" on 32×32 grey images: 2–6 bright ellipses
(semi-axes 2–5 px, random angle, brightness 0.4–1.0) on an uneven background with speckle
noise; the target is the per-pixel cell / background mask (about 20 % cell pixels). SegNet
encoder conv-BN-ReLU 16, 16 → max-pool (indices kept) → 32, 32 → max-pool; the decoder
max-unpools with the stored indices (no learnt upsampling), conv-BN-ReLU 32 → 16, then 16 and a
1×1 to 2 classes. Per-pixel cross-entropy, SGD lr 0.02 momentum 0.9, batch 32, 6 epochs of 512
images; a CSV per epoch with the train loss, the val loss, the val pixel accuracy and the val
cell IoU.
Bug: ``opt.zero_grad()`` sits at the top of the *epoch* loop (it was moved there together with
the running-loss reset when the loop was tidied up), so within an epoch every ``backward()``
adds onto the gradients of all earlier batches: the step SGD takes is the sum of up to 16
batches' gradients, it grows through the epoch and the training is thrown around: val loss
0.91, 101.4, 0.63, 0.85, 0.40, 0.45, the val cell IoU 0.00 at the end (every pixel called
background, pixel accuracy 0.871 = the background share). Control (zero_grad per batch): val cell IoU 0.87, pixel accuracy 0.98."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 32


def cells(n, g):
    yy, xx = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(), indexing="ij")
    img = torch.zeros(n, SIZE, SIZE)
    mask = torch.zeros(n, SIZE, SIZE, dtype=torch.bool)
    k = torch.randint(2, 7, (n,), generator=g)
    for j in range(6):
        on = (k > j).float()[:, None, None]
        cy, cx = (torch.rand(n, 2, generator=g) * (SIZE - 8) + 4).unbind(1)
        a, b = (2 + 3 * torch.rand(n, 2, generator=g)).unbind(1)
        th = torch.rand(n, generator=g) * 3.1416
        dy, dx = yy[None] - cy[:, None, None], xx[None] - cx[:, None, None]
        u = dx * th.cos()[:, None, None] + dy * th.sin()[:, None, None]
        v = -dx * th.sin()[:, None, None] + dy * th.cos()[:, None, None]
        inside = (u / a[:, None, None]) ** 2 + (v / b[:, None, None]) ** 2 <= 1
        amp = (0.4 + 0.6 * torch.rand(n, generator=g))[:, None, None]
        img = torch.maximum(img, inside.float() * amp * on)
        mask |= inside & (on > 0)
    bg = F.interpolate(torch.rand(n, 1, 4, 4, generator=g), size=SIZE, mode="bilinear")[:, 0]
    img = img + 0.3 * bg + 0.15 * torch.randn(n, SIZE, SIZE, generator=g)
    return (img[:, None] - 0.35) / 0.3, mask.long()


def cbr(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())


class SegNetLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = nn.Sequential(cbr(1, 16), cbr(16, 16))
        self.enc2 = nn.Sequential(cbr(16, 32), cbr(32, 32))
        self.dec2 = nn.Sequential(cbr(32, 32), cbr(32, 16))
        self.dec1 = cbr(16, 16)
        self.classifier = nn.Conv2d(16, 2, 1)

    def forward(self, x):
        h1, i1 = F.max_pool2d(self.enc1(x), 2, return_indices=True)
        h2, i2 = F.max_pool2d(self.enc2(h1), 2, return_indices=True)
        d2 = self.dec2(F.max_unpool2d(h2, i2, 2))
        d1 = self.dec1(F.max_unpool2d(d2, i1, 2))
        return self.classifier(d1)


def build():
    torch.manual_seed(0)
    return SegNetLite()


def main():
    from _seventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, m = cells(640, g)
    xtr, mtr, xva, mva = x[:512], m[:512], x[512:], m[512:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    f = open(out / "segnet_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_loss", "val_pixel_acc", "val_cell_iou"])
    for epoch in range(1, 7):
        model.train()
        opt.zero_grad()
        running, seen = 0.0, 0
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            loss = F.cross_entropy(model(xtr[idx]), mtr[idx])
            loss.backward()
            opt.step()
            running += loss.item() * len(idx)
            seen += len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            vloss = F.cross_entropy(logits, mva).item()
            pred = logits.argmax(1)
            acc = (pred == mva).float().mean().item()
            iou = ((pred == 1) & (mva == 1)).sum().item() / max(((pred == 1) | (mva == 1)).sum()
                                                                 .item(), 1)
        row = [epoch, round(running / seen, 4), round(vloss, 4), round(acc, 4), round(iou, 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"segnet": model.state_dict(), "sgd": opt.state_dict(), "epochs_done": epoch},
               out / "segnet_cells.pth")
    finish(out, __file__, (xva[:32], mva[:32]), causes=["missing_zero_grad"],
           checkpoint="segnet_cells.pth", log="segnet_metrics.csv",
           what="SegNet-lite cell segmentation, zero_grad once per epoch",
           complaint="My SegNet for cell masks is all over the place: the validation loss shot "
                     "up to 101 in epoch 2, the training loss goes up and down, and in the end "
                     "it predicts background everywhere (cell IoU 0). Same data worked fine in a "
                     "colleague's U-Net.")


if __name__ == "__main__":
    main()
