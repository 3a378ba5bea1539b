"""Cell segmentation on 32x32 microscopy crops (bright blobs on an uneven background, ~17 %
foreground), a two-level U-Net with BatchNorm whose last layer is
``nn.Sequential(nn.Conv2d(c, 1, 1), nn.Sigmoid())`` (copied from a Keras U-Net), trained
with ``nn.BCEWithLogitsLoss`` and predicted as ``torch.sigmoid(model(x)) > 0.5`` (bug: a
sigmoid before a loss that applies its own; the loss cannot fall below ~0.63 here, and the
prediction is sigmoid(0..1) > 0.5, i.e. every pixel foreground: IoU = the foreground share).
Adam 3e-3 with ReduceLROnPlateau."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 32


def crops(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    img = torch.zeros(n, S, S)
    mask = torch.zeros(n, S, S)
    for _ in range(4):
        c = S * torch.rand(n, 2, 1, 1, generator=g)
        r = 2.5 + 3 * torch.rand(n, 1, 1, generator=g)
        d2 = (yy - c[:, 0]) ** 2 + (xx - c[:, 1]) ** 2
        mask = torch.maximum(mask, (d2 < r ** 2).float())
        img += torch.exp(-d2 / (2 * r ** 2)) * 1.5
    grad = torch.linspace(-0.5, 0.5, S) * torch.randn(n, 1, 1, generator=g)
    img = img + grad + 0.3 * torch.randn(n, S, S, generator=g)
    return img.unsqueeze(1), mask.unsqueeze(1)


def conv_block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(), nn.Conv2d(cout, cout, 3, padding=1, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU())


class UNet(nn.Module):
    def __init__(self, c=8):
        super().__init__()
        self.down1, self.down2 = conv_block(1, c), conv_block(c, 2 * c)
        self.bottom = conv_block(2 * c, 4 * c)
        self.up2, self.dec2 = nn.ConvTranspose2d(4 * c, 2 * c, 2, 2), conv_block(4 * c, 2 * c)
        self.up1, self.dec1 = nn.ConvTranspose2d(2 * c, c, 2, 2), conv_block(2 * c, c)
        self.out = nn.Sequential(nn.Conv2d(c, 1, 1), nn.Sigmoid())  # BUG

    def forward(self, x):
        d1 = self.down1(x)
        d2 = self.down2(F.max_pool2d(d1, 2))
        b = self.bottom(F.max_pool2d(d2, 2))
        u2 = self.dec2(torch.cat([self.up2(b), d2], 1))
        u1 = self.dec1(torch.cat([self.up1(u2), d1], 1))
        return self.out(u1)


def build():
    torch.manual_seed(0)
    return UNet()


def iou(pred, mask):
    inter = (pred * mask).sum((1, 2, 3))
    union = ((pred + mask) > 0).float().sum((1, 2, 3))
    return (inter / union.clamp(min=1)).mean().item()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = crops(800, g), crops(200, g)
    model = build()
    criterion = nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.3, patience=2)
    with open(out / "cells_train.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "val_loss", "val_mean_iou", "lr"])
        for epoch in range(10):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            tot = 0.0
            for i in range(0, len(x), 32):
                idx = perm[i:i + 32]
                loss = criterion(model(x[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                logits = model(vx)
                vloss = criterion(logits, vy).item()
                viou = iou((torch.sigmoid(logits) > 0.5).float(), vy)
            sched.step(vloss)
            w.writerow([epoch, tot / len(x), vloss, viou, opt.param_groups[0]["lr"]])
    print("val loss", round(vloss, 4), "val iou", round(viou, 4), "fg", vy.mean().item())
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "unet_cells.pt")
    finish(out, __file__, (vx[:16], vy[:16]), causes=["activation_before_softmax"],
           checkpoint="unet_cells.pt", log="cells_train.csv",
           what="nn.Sigmoid as the U-Net's last layer, then BCEWithLogitsLoss",
           complaint="the predicted mask is all foreground, IoU stuck at 0.17")


if __name__ == "__main__":
    main()
