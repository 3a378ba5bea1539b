"""Nucleus segmentation with a SegNet-lite on synthetic 32×32 fluorescence crops: 1-4 bright
ellipses (nuclei, random size, orientation and brightness) on a dim uneven background with shot
noise, the target a binary mask. SegNet: encoder conv-BN-ReLU ×2 (8) → max-pool (indices kept)
→ conv-BN-ReLU ×2 (16) → max-pool; decoder max-unpool with the encoder's indices → conv-BN-ReLU
×2 (16→8) → unpool → conv-BN-ReLU (8) → 1×1 conv to a logit. BCE-with-logits, Adam 2e-3, batch
32, 6 epochs of 768 crops through a ``Dataset`` with random horizontal / vertical flips; CSV log
per epoch: train BCE, val BCE, val Dice.
Bug: the augmentation in ``__getitem__`` flips the image (``img = img.flip(-1)``) and forgets the
mask; nuclei are off-centre, so for half of the training crops (those drawn for the horizontal flip)
the mask sits on the mirror image of the nuclei. The net learns a hedged,
half-confident mask: train BCE 0.26 above val 0.18, val Dice 0.83 at epoch 1 falling to 0.72,
where the control (image and mask flipped together) reaches Dice 0.95 (train BCE 0.15)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 32


def crops(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    img, mask = torch.zeros(n, 1, S, S), torch.zeros(n, 1, S, S)
    for i in range(n):
        for _ in range(int(torch.randint(1, 5, (1,), generator=g))):
            c = torch.rand(5, generator=g)
            cy, cx = 4 + c[0] * 24, 4 + c[1] * 24
            a, b = 2.5 + c[2] * 3, 2 + c[3] * 2
            th = c[4] * 3.14
            u = (xx - cx) * torch.cos(th) + (yy - cy) * torch.sin(th)
            v = -(xx - cx) * torch.sin(th) + (yy - cy) * torch.cos(th)
            m = (u / a) ** 2 + (v / b) ** 2 < 1
            mask[i, 0][m] = 1
            img[i, 0][m] = 0.5 + 0.5 * float(torch.rand(1, generator=g))
    bg = F.interpolate(torch.rand(n, 1, 4, 4, generator=g), size=S, mode="bilinear") * 0.25
    img = F.avg_pool2d(img, 3, 1, 1) + bg
    img = img + 0.1 * torch.randn(img.shape, generator=g) * img.clamp(min=0.05).sqrt()
    return (img - 0.3) / 0.25, mask


class Nuclei(torch.utils.data.Dataset):
    def __init__(self, img, mask, augment):
        self.img, self.mask, self.augment = img, mask, augment

    def __len__(self):
        return len(self.img)

    def __getitem__(self, i):
        img, mask = self.img[i], self.mask[i]
        if self.augment:
            if torch.rand(1) < 0.5:
                img = img.flip(-1)
            if torch.rand(1) < 0.5:
                img, mask = img.flip(-2), mask.flip(-2)
        return img, mask


def cbr(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]


class SegNetLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = nn.Sequential(*cbr(1, 8), *cbr(8, 8))
        self.enc2 = nn.Sequential(*cbr(8, 16), *cbr(16, 16))
        self.dec2 = nn.Sequential(*cbr(16, 16), *cbr(16, 8))
        self.dec1 = nn.Sequential(*cbr(8, 8))
        self.classifier = nn.Conv2d(8, 1, 1)

    def forward(self, x):
        x, i1 = F.max_pool2d(self.enc1(x), 2, return_indices=True)
        x, i2 = F.max_pool2d(self.enc2(x), 2, return_indices=True)
        x = self.dec2(F.max_unpool2d(x, i2, 2))
        x = self.dec1(F.max_unpool2d(x, i1, 2))
        return self.classifier(x)


def build():
    torch.manual_seed(0)
    return SegNetLite()


def main():
    from _seventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    img, mask = crops(960, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(Nuclei(img[:768], mask[:768], True), batch_size=32,
                                        shuffle=True)
    xva, mva = img[768:], mask[768:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "segnet_metrics.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "bce", "val_bce", "val_dice"])
    for epoch in range(6):
        model.train()
        tot = 0.0
        for x, m in train:
            loss = F.binary_cross_entropy_with_logits(model(x), m)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(x)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            p = (lo > 0).float()
            dice = (2 * (p * mva).sum() / (p.sum() + mva.sum())).item()
            row = [epoch, round(tot / 768, 4),
                   round(F.binary_cross_entropy_with_logits(lo, mva).item(), 4), round(dice, 4)]
        w.writerow(row)
        print(row)
    log.close()
    torch.save({"segnet": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch + 1},
               out / "segnet_nuclei_e6.pt")
    batch = next(iter(train))  # a training batch, as the loader hands it to the model
    finish(out, __file__, batch, causes=["labels_wrong"], checkpoint="segnet_nuclei_e6.pt",
           log="segnet_metrics.csv",
           what="SegNet-lite nuclei segmentation, random flip applied to the image but not the mask",
           complaint="SegNet for nuclei masks: the predicted masks are blurry blobs that often "
                     "show up on the wrong side of the crop. Val Dice peaked at 0.83 after "
                     "epoch 2 and has been sliding down to 0.72 since, training loss stays higher "
                     "than val loss.")


if __name__ == "__main__":
    main()
