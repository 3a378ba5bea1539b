"""×2 single-image super-resolution with an RCAN-lite (residual channel attention network) on
synthetic 32×32 grey "fabric" patches: sums of 2–3 oriented sinusoidal gratings (period 4–12
px) plus a few sharp-edged blobs, pixel noise 0.01; the low-resolution input is the 2×2 average
pool (16×16). RCAN-lite: a 3×3 head conv to 16 channels, 2 residual groups of 2 RCABs each
(conv-ReLU-conv, then channel attention: global average pool, 1×1 16→4, ReLU, 1×1 4→16, sigmoid,
rescale), a conv closing each group with a group skip, a long skip over the body, a 3×3 conv to
64 channels + PixelShuffle(2), a 3×3 tail conv to 1 channel. The output is added to the bicubic
upsampling of the input (the net learns the residual). L1 loss, Adam 1e-3, batch 16, 5 epochs of
512 patches; a CSV every 16 iterations with the L1, the val L1, the val PSNR (dB) and the
bicubic PSNR as the baseline.
Bug: ``optimizer.zero_grad`` written without the call parentheses (a bare attribute access that
does nothing), so every ``backward()`` adds to the gradients of all earlier steps; Adam then
follows the running sum of all gradients ever taken and overshoots: the L1 climbs from 0.06 to
tens within 160 iterations and the val PSNR falls far below plain bicubic upsampling (control
with ``zero_grad()``: val PSNR 27.9 dB against 24.9 dB bicubic)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

HR = 32


def fabric(n, g):
    yy, xx = torch.meshgrid(torch.arange(HR).float(), torch.arange(HR).float(), indexing="ij")
    img = torch.zeros(n, 1, HR, HR)
    for i in range(n):
        for _ in range(int(torch.randint(2, 4, (1,), generator=g))):
            th = float(torch.rand(1, generator=g)) * math.pi
            period = 4 + 8 * float(torch.rand(1, generator=g))
            ph = float(torch.rand(1, generator=g)) * 6.28
            amp = 0.1 + 0.2 * float(torch.rand(1, generator=g))
            img[i, 0] += amp * torch.sin(2 * math.pi * (xx * math.cos(th) + yy * math.sin(th))
                                         / period + ph)
        for _ in range(int(torch.randint(1, 4, (1,), generator=g))):
            c = torch.rand(3, generator=g)
            r = 2 + 5 * float(c[2])
            disc = ((yy - c[0] * HR) ** 2 + (xx - c[1] * HR) ** 2) < r * r
            img[i, 0][disc] = 0.5 * float(torch.rand(1, generator=g)) - 0.25
    img = img + 0.01 * torch.randn(n, 1, HR, HR, generator=g)
    return F.avg_pool2d(img, 2), img


class RCAB(nn.Module):
    def __init__(self, c, r=4):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(c, c, 3, padding=1))
        self.ca = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(c, c // r, 1), nn.ReLU(),
                                nn.Conv2d(c // r, c, 1), nn.Sigmoid())

    def forward(self, x):
        res = self.body(x)
        return x + res * self.ca(res)


class ResidualGroup(nn.Module):
    def __init__(self, c, n_blocks=2):
        super().__init__()
        self.blocks = nn.Sequential(*[RCAB(c) for _ in range(n_blocks)],
                                    nn.Conv2d(c, c, 3, padding=1))

    def forward(self, x):
        return x + self.blocks(x)


class RCANLite(nn.Module):
    def __init__(self, c=16, groups=2):
        super().__init__()
        self.head = nn.Conv2d(1, c, 3, padding=1)
        self.body = nn.Sequential(*[ResidualGroup(c) for _ in range(groups)],
                                  nn.Conv2d(c, c, 3, padding=1))
        self.upsample = nn.Sequential(nn.Conv2d(c, 4 * c, 3, padding=1), nn.PixelShuffle(2))
        self.tail = nn.Conv2d(c, 1, 3, padding=1)

    def forward(self, lr):
        h = self.head(lr)
        h = h + self.body(h)
        base = F.interpolate(lr, scale_factor=2, mode="bicubic", align_corners=False)
        return base + self.tail(self.upsample(h))


def build():
    torch.manual_seed(0)
    return RCANLite()


def psnr(a, b):
    return (10 * torch.log10(1.0 / F.mse_loss(a, b))).item()  # signal range taken as 1


def main():
    from _eightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    lr_img, hr_img = fabric(640, g)
    ltr, htr, lva, hva = lr_img[:512], hr_img[:512], lr_img[512:], hr_img[512:]
    bicubic = psnr(F.interpolate(lva, scale_factor=2, mode="bicubic", align_corners=False), hva)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "sr_progress.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["iter", "l1_loss", "val_l1", "val_psnr", "bicubic_psnr"])
    it, run = 0, []
    for _epoch in range(5):
        model.train()
        for idx in torch.randperm(512, generator=g).split(16):
            optimizer.zero_grad  # noqa: B018 - the bug: the method is named, never called
            loss = F.l1_loss(model(ltr[idx]), htr[idx])
            loss.backward()
            optimizer.step()
            run.append(loss.item())
            it += 1
            if it % 16 == 0:
                model.eval()
                with torch.no_grad():
                    p = model(lva)
                    row = [it, round(sum(run) / len(run), 5), round(F.l1_loss(p, hva).item(), 5),
                           round(psnr(p, hva), 3), round(bicubic, 3)]
                w.writerow(row)
                print(row)
                run = []
                model.train()
    f.close()
    torch.save({"rcan": model.state_dict(), "adam": optimizer.state_dict(), "iters": it,
                "scale": 2}, out / "rcan_x2.pt")
    finish(out, __file__, (lva[:32], hva[:32]), causes=["missing_zero_grad"],
           checkpoint="rcan_x2.pt", log="sr_progress.csv",
           what="RCAN-lite ×2 super-resolution, optimizer.zero_grad without parentheses",
           complaint="My RCAN never beats bicubic: the validation PSNR is already below the "
                     "bicubic baseline at the first check and then the L1 loss climbs from 0.06 "
                     "to double digits and bounces around. The PSNR even goes negative.")


if __name__ == "__main__":
    main()
