"""ESRGAN-style RRDB generator, PSNR-oriented pre-training (L1 only, no GAN), ×2 super-resolution
of synthetic 32×32 RGB images (3–6 soft-edged discs and rectangles of random colours on a smooth
colour gradient, a little noise); the low-resolution input is the 2×2 average-pooled 16×16
image. Generator: conv_first 3→16, two residual-in-residual dense blocks (each: two residual
dense blocks of three 3×3 convs with growth 8 and LeakyReLU 0.2, branch scaled by 0.2, the RRDB
output scaled by 0.2 too), trunk conv, nearest ×2 upsampling + conv + LeakyReLU, conv_hr,
conv_last → RGB, added to the bilinear ×2 upsampling of the input (a global residual). Adam 2e-3,
batch 16, 5 epochs of 640 images; per epoch a JSON line with the train L1, val L1, val PSNR and
the PSNR of the bilinear upsampling alone.
Bug: the author wanted every block to start as the identity ("zero-initialise the last conv of
each residual branch") and wrote ``self.apply(zero_init)`` with a ``zero_init`` that zeroes any
``nn.Conv2d``'s weight and bias — it reaches *every* conv of the generator, not only the
branch ends. All features are exactly zero, so every weight gradient is zero: only
``conv_last.bias`` can move (and settles at ~0), the output stays the bilinear upsampling, and
train / val L1 are flat from the first epoch at the bilinear PSNR (31.27 dB; the control, zeroing
only each dense block's last conv, reaches 33.0 dB and is still rising)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

HR = 32


def scenes(n, g):
    yy, xx = torch.meshgrid(torch.linspace(0, 1, HR), torch.linspace(0, 1, HR), indexing="ij")
    c0, c1 = torch.rand(n, 3, 1, 1, generator=g), torch.rand(n, 3, 1, 1, generator=g)
    ang = torch.rand(n, 1, 1, 1, generator=g) * 6.28
    t = (torch.cos(ang) * xx + torch.sin(ang) * yy + 1.5) / 3
    img = c0 + (c1 - c0) * t
    for _ in range(5):
        keep = (torch.rand(n, 1, 1, 1, generator=g) < 0.75).float()
        col = torch.rand(n, 3, 1, 1, generator=g)
        cy, cx = torch.rand(n, 1, 1, 1, generator=g), torch.rand(n, 1, 1, 1, generator=g)
        r = 0.08 + 0.2 * torch.rand(n, 1, 1, 1, generator=g)
        disc = torch.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
        box = torch.maximum((yy - cy).abs(), (xx - cx).abs())
        use_disc = (torch.rand(n, 1, 1, 1, generator=g) < 0.5).float()
        d = use_disc * disc + (1 - use_disc) * box
        m = torch.sigmoid((r - d) * 60) * keep
        img = img * (1 - m) + col * m
    img = (img + 0.02 * torch.randn(n, 3, HR, HR, generator=g)).clamp(0, 1)
    return F.avg_pool2d(img, 2), img


def zero_init(m):
    if isinstance(m, nn.Conv2d):
        nn.init.zeros_(m.weight)
        nn.init.zeros_(m.bias)


class RDB(nn.Module):
    def __init__(self, nf=16, gc=8):
        super().__init__()
        self.c1 = nn.Conv2d(nf, gc, 3, 1, 1)
        self.c2 = nn.Conv2d(nf + gc, gc, 3, 1, 1)
        self.c3 = nn.Conv2d(nf + 2 * gc, nf, 3, 1, 1)

    def forward(self, x):
        x1 = F.leaky_relu(self.c1(x), 0.2)
        x2 = F.leaky_relu(self.c2(torch.cat([x, x1], 1)), 0.2)
        return x + 0.2 * self.c3(torch.cat([x, x1, x2], 1))


class RRDB(nn.Module):
    def __init__(self, nf=16):
        super().__init__()
        self.rdb1, self.rdb2 = RDB(nf), RDB(nf)

    def forward(self, x):
        return x + 0.2 * self.rdb2(self.rdb1(x))


class RRDBNet(nn.Module):
    def __init__(self, nf=16, blocks=2):
        super().__init__()
        self.conv_first = nn.Conv2d(3, nf, 3, 1, 1)
        self.body = nn.Sequential(*[RRDB(nf) for _ in range(blocks)])
        self.conv_body = nn.Conv2d(nf, nf, 3, 1, 1)
        self.conv_up = nn.Conv2d(nf, nf, 3, 1, 1)
        self.conv_hr = nn.Conv2d(nf, nf, 3, 1, 1)
        self.conv_last = nn.Conv2d(nf, 3, 3, 1, 1)
        self.apply(zero_init)  # every block starts as the identity

    def forward(self, x):
        feat = self.conv_first(x)
        feat = feat + self.conv_body(self.body(feat))
        feat = F.leaky_relu(self.conv_up(F.interpolate(feat, scale_factor=2, mode="nearest")), 0.2)
        base = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
        return base + self.conv_last(F.leaky_relu(self.conv_hr(feat), 0.2))


def build():
    torch.manual_seed(0)
    return RRDBNet()


def psnr(a, b):
    return (10 * torch.log10(1 / F.mse_loss(a.clamp(0, 1), b))).item()


def main():
    from _eightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    lr_img, hr_img = scenes(768, g)
    ltr, htr, lva, hva = lr_img[:640], hr_img[:640], lr_img[640:], hr_img[640:]
    bilinear = psnr(F.interpolate(lva, scale_factor=2, mode="bilinear", align_corners=False), hva)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3, betas=(0.9, 0.99))
    log = open(out / "sr_pretrain.jsonl", "w")
    for epoch in range(5):
        net.train()
        tot = 0.0
        for idx in torch.randperm(640, generator=g).split(16):
            loss = F.l1_loss(net(ltr[idx]), htr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        net.eval()
        with torch.no_grad():
            sr = net(lva)
        row = {"epoch": epoch + 1, "l1": round(tot / 640, 5),
               "val_l1": round(F.l1_loss(sr, hva).item(), 5),
               "val_psnr": round(psnr(sr, hva), 2), "bilinear_psnr": round(bilinear, 2)}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"generator": net.state_dict(), "optim_g": opt.state_dict(), "epoch": 5,
                "scale": 2}, out / "rrdb_psnr_e5.pth")
    finish(out, __file__, (lva[:32], hva[:32]), causes=["zero_weight_init"],
           checkpoint="rrdb_psnr_e5.pth", log="sr_pretrain.jsonl",
           what="RRDB generator whose zero-init reaches every conv, not only the branch ends",
           complaint="PSNR pre-training of my RRDB super-resolution net: the L1 loss is dead flat "
                     "from the first epoch on and the PSNR never gets past what plain bilinear "
                     "upscaling gives. It's as if the network isn't doing anything.")


if __name__ == "__main__":
    main()
