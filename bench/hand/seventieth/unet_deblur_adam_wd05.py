"""Image deblurring with a small U-Net on synthetic 32×32 grey shapes: 2–4 filled rectangles
and discs of random grey levels on a dark background, blurred by a Gaussian (σ 1.5 px, 7×7)
plus pixel noise 0.02; the net maps the blurred image to the sharp one. U-Net: 8 → 16 → 32
channels (two 3×3 convs per level, max-pool down, transposed conv up, skip concatenation), a
1×1 output added to the input (global residual, zero-initialised so it starts as the
identity); L1 loss, Adam 3e-3, batch 16, 8 epochs of 512 images; a CSV log per epoch with
train L1, val L1 and val PSNR (dB) of the output (and of the blurred input as a baseline).
Bug: the optimizer line came from a colleague's AdamW config and kept its decay while the
class was switched to ``torch.optim.Adam(..., weight_decay=0.5)``: with Adam that is an L2
term of 0.25·‖w‖² added to the gradient, far stronger than an L1 image loss of ~0.05, so the
weights are pulled to zero and the net barely beats the blurred input."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 32


def shapes(n, g):
    yy, xx = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(), indexing="ij")
    sharp = torch.full((n, 1, SIZE, SIZE), 0.1)
    for i in range(n):
        for _ in range(int(torch.randint(2, 5, (1,), generator=g))):
            c = torch.rand(4, generator=g)
            level = 0.3 + 0.7 * float(torch.rand(1, generator=g))
            if float(torch.rand(1, generator=g)) < 0.5:
                x0, y0 = c[0] * 24, c[1] * 24
                m = (xx >= x0) & (xx < x0 + 4 + c[2] * 12) & (yy >= y0) & (yy < y0 + 4 + c[3] * 12)
            else:
                m = (xx - 4 - c[0] * 24) ** 2 + (yy - 4 - c[1] * 24) ** 2 < (2 + c[2] * 6) ** 2
            sharp[i, 0][m] = level
    k = torch.exp(-torch.arange(-3, 4).float() ** 2 / (2 * 1.5 ** 2))
    k2 = (k[:, None] * k[None]) / (k.sum() ** 2)
    blur = F.conv2d(F.pad(sharp, (3, 3, 3, 3), mode="replicate"), k2[None, None])
    return blur + 0.02 * torch.randn(blur.shape, generator=g), sharp


def double(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU())


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.d1, self.d2, self.mid = double(1, 8), double(8, 16), double(16, 32)
        self.u2, self.c2 = nn.ConvTranspose2d(32, 16, 2, stride=2), double(32, 16)
        self.u1, self.c1 = nn.ConvTranspose2d(16, 8, 2, stride=2), double(16, 8)
        self.out = nn.Conv2d(8, 1, 1)
        nn.init.zeros_(self.out.weight)  # start as the identity
        nn.init.zeros_(self.out.bias)

    def forward(self, x):
        a = self.d1(x)
        b = self.d2(F.max_pool2d(a, 2))
        m = self.mid(F.max_pool2d(b, 2))
        b = self.c2(torch.cat([self.u2(m), b], 1))
        return x + self.out(self.c1(torch.cat([self.u1(b), a], 1)))  # predict the residual


def build():
    torch.manual_seed(0)
    return UNet()


def psnr(pred, target):
    return (10 * torch.log10(1 / F.mse_loss(pred.clamp(0, 1), target))).item()


def main():
    from _seventieth import finish, out_dir
    out = out_dir(__file__)
    torch.set_flush_denormal(True)  # CPU job: subnormal weights are slow
    g = torch.Generator().manual_seed(0)
    blur, sharp = shapes(640, g)
    btr, str_, bva, sva = blur[:512], sharp[:512], blur[512:], sharp[512:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=0.5)
    log = open(out / "deblur.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "train_l1", "val_l1", "val_psnr_db", "input_psnr_db"])
    base = psnr(bva, sva)
    for epoch in range(8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(btr), generator=g).split(16):
            loss = F.l1_loss(model(btr[idx]), str_[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            p = model(bva)
            row = [epoch, round(tot / len(btr), 5), round(F.l1_loss(p, sva).item(), 5),
                   round(psnr(p, sva), 3), round(base, 3)]
        w.writerow(row)
        print(row)
    log.close()
    assert math.isfinite(row[2])
    torch.save({"unet": model.state_dict(), "optim": opt.state_dict(), "epoch": epoch,
                "best_psnr": row[3]}, out / "unet_deblur.ckpt")
    finish(out, __file__, (bva[:32], sva[:32]), causes=["over_regularization"],
           checkpoint="unet_deblur.ckpt", log="deblur.csv",
           what="U-Net deblurring, torch.optim.Adam with weight_decay=0.5",
           complaint="去模糊的 U-Net 训练了 8 个 epoch，L1 几乎不降，"
                     "验证 PSNR 跟模糊输入本身一样，输出看起来还是糊的。"
                     "训练集和验证集的损失都很高而且差不多。")


if __name__ == "__main__":
    main()
