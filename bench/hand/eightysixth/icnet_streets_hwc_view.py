"""Street-scene segmentation with an ICNet-lite (image cascade network) on synthetic 32×32 RGB
"street" images in 4 classes: background (noisy sky/buildings), road (a grey band of random
height and tilt at the bottom), cars (1–3 red-to-orange rectangles on or near the road) and trees
(1–3 green discs), colours jittered and pixel noise. The images come as an ``(N, 32, 32, 3)``
uint8 array, as PIL / OpenCV give them, with ``(N, 32, 32)`` class masks. ICNet-lite: three
branches — full resolution (3 convs, stride 2, 2, 1 → 8×8, 16 ch), half (→ 4×4, 32 ch) and
quarter resolution (→ 2×2, 32 ch, dilated) — merged by cascade feature fusion (upsample ×2,
dilated 3×3 conv + 1×1 projection of the finer branch, sum, ReLU), a 1×1 classifier and a ×4
bilinear upsample. Pixel cross-entropy, Adam 3e-3, batch 32, 8 epochs of 1024 images; a CSV
per epoch with train loss, val loss, val pixel accuracy and val mIoU.
Bug: the loader turns the HWC array into tensors with ``.view(-1, 3, 32, 32)`` instead of
``.permute(0, 3, 1, 2)``: no error, the shapes are right, but "channel 0" is now the first
third of the image rows with R, G, B interleaved along the width, so no pixel of the input sits
where its mask pixel is. The net still learns the layout from the scrambled statistics (road at
the bottom, roughly where the cars are) but not the shapes: val mIoU 0.60, pixel accuracy 0.85,
val loss 0.37 against a train loss 0.27 still falling (the control with the permute: val mIoU
0.86, pixel accuracy 0.95, val loss 0.12, train 0.11)."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = 4


def streets(n, seed):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:32, 0:32]
    imgs = np.zeros((n, 32, 32, 3), np.float32)
    masks = np.zeros((n, 32, 32), np.int64)
    for i in range(n):
        img = np.empty((32, 32, 3), np.float32)
        img[:] = rng.uniform(0.3, 0.8, 3) * rng.uniform(0.6, 1.0)
        img += 0.08 * rng.standard_normal((32, 32, 3))
        top = rng.uniform(18, 25) + (xx - 16) * rng.uniform(-0.15, 0.15)
        road = yy > top
        img[road] = rng.uniform(0.35, 0.5) + 0.05 * rng.standard_normal((road.sum(), 1))
        masks[i][road] = 1
        for _ in range(rng.integers(1, 4)):
            cx, cy, r = rng.uniform(4, 28), rng.uniform(3, 20), rng.uniform(2.5, 5)
            tree = (xx - cx) ** 2 + (yy - cy) ** 2 < r ** 2
            img[tree] = [rng.uniform(0.05, 0.25), rng.uniform(0.5, 0.8), rng.uniform(0.05, 0.25)]
            masks[i][tree] = 3
        for _ in range(rng.integers(1, 4)):
            cx, cy = rng.uniform(4, 28), rng.uniform(17, 29)
            w, h = rng.uniform(3, 6), rng.uniform(1.5, 3)
            car = (np.abs(xx - cx) < w) & (np.abs(yy - cy) < h)
            img[car] = [rng.uniform(0.7, 0.95), rng.uniform(0.05, 0.45), rng.uniform(0.0, 0.2)]
            masks[i][car] = 2
        imgs[i] = img + 0.04 * rng.standard_normal((32, 32, 3))
    return (imgs.clip(0, 1) * 255).astype(np.uint8), masks


def to_tensor(arr):
    x = torch.from_numpy(arr).float().div(255)
    x = x.view(-1, 3, 32, 32)  # (N, C, H, W) for the model
    return (x - 0.5) / 0.25


def cbr(cin, cout, stride=1, d=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, d, dilation=d, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU())


class CFF(nn.Module):
    """Cascade feature fusion: coarse (upsampled ×2, dilated conv) + fine (1×1 projection)."""

    def __init__(self, c_low, c_high, cout):
        super().__init__()
        self.low = nn.Sequential(nn.Conv2d(c_low, cout, 3, padding=2, dilation=2, bias=False),
                                 nn.BatchNorm2d(cout))
        self.high = nn.Sequential(nn.Conv2d(c_high, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, low, high):
        low = F.interpolate(low, size=high.shape[-2:], mode="bilinear", align_corners=False)
        return F.relu(self.low(low) + self.high(high))


class ICNetLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.sub1 = nn.Sequential(cbr(3, 16, 2), cbr(16, 16, 2), cbr(16, 16))
        self.sub2 = nn.Sequential(cbr(3, 24, 2), cbr(24, 32, 2), cbr(32, 32))
        self.sub4 = nn.Sequential(cbr(3, 24, 2), cbr(24, 32, 2), cbr(32, 32, d=2),
                                  cbr(32, 32, d=2))
        self.cff42 = CFF(32, 32, 32)
        self.cff21 = CFF(32, 16, 32)
        self.classifier = nn.Conv2d(32, CLASSES, 1)

    def forward(self, x):
        f1 = self.sub1(x)
        f2 = self.sub2(F.interpolate(x, scale_factor=0.5, mode="bilinear", align_corners=False))
        f4 = self.sub4(F.interpolate(x, scale_factor=0.25, mode="bilinear",
                                     align_corners=False))
        f = self.cff21(self.cff42(f4, f2), f1)
        return F.interpolate(self.classifier(f), size=x.shape[-2:], mode="bilinear",
                             align_corners=False)


def build():
    torch.manual_seed(0)
    return ICNetLite()


def miou(pred, y):
    ious = []
    for c in range(CLASSES):
        inter = ((pred == c) & (y == c)).sum().item()
        union = ((pred == c) | (y == c)).sum().item()
        if union:
            ious.append(inter / union)
    return sum(ious) / len(ious)


def main():
    from _eightysixth import finish, out_dir
    out = out_dir(__file__)
    arr, masks = streets(1280, seed=0)
    x, y = to_tensor(arr), torch.from_numpy(masks)
    xtr, ytr, xva, yva = x[:1024], y[:1024], x[1024:], y[1024:]
    g = torch.Generator().manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    f = open(out / "icnet_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "Train Loss", "Val Loss", "Val PixAcc", "Val mIoU"])
    for epoch in range(8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            vl = F.cross_entropy(logits, yva).item()
            pred = logits.argmax(1)
        acc, mi = (pred == yva).float().mean().item(), miou(pred, yva)
        w.writerow([epoch + 1, f"{tot / len(xtr):.4f}", f"{vl:.4f}", f"{acc:.4f}", f"{mi:.4f}"])
        print(epoch + 1, tot / len(xtr), vl, acc, mi)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": 8, "classes": ["background", "road", "car", "tree"]},
               out / "icnet_streets_e8.pth")
    finish(out, __file__, (xva[:32], yva[:32]), causes=["input_layout_scrambled"],
           checkpoint="icnet_streets_e8.pth", log="icnet_metrics.csv",
           what="ICNet-lite street segmentation; HWC uint8 images turned to NCHW with view()",
           complaint="ICNet on my street scenes tops out at about 0.6 mIoU and the "
                     "predicted masks are blobby: the road band is there but cars and trees come "
                     "out as smeared patches in roughly the right area. More epochs don't help "
                     "the validation loss.")


if __name__ == "__main__":
    main()
