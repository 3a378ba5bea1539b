"""SRCNN-style 2x super-resolution of greyscale floor-plan tiles (32x32: walls, rooms of
different shades, a round pillar, a little texture; uint8 like the PNGs they came from,
divided by 255): the input is the tile shrunk to 16x16 and blown up again with bilinear
interpolation, the target is the sharp tile. Three convs (5x5 -> 32, 3x3 -> 16, 3x3 -> 1, ReLU
between, "same" padding) predict the residual added to the input, MSE, batch 32, 10 epochs,
a CSV per epoch with train MSE, val MSE and val PSNR (dB) next to the bilinear input's PSNR.
Bug: ``Adam(lr=3e-2)`` (copied from the classifier config next to it): the residual
branch's ReLUs die in the first two epochs, and from epoch 2 on the net outputs its input:
val PSNR 17.06 dB in every epoch, exactly the bilinear baseline (Adam 1e-3: 18.54 dB and
still rising)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 32


def tiles(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    img = 0.55 + 0.25 * torch.rand(n, 1, 1, generator=g) * torch.ones(n, S, S)
    for _ in range(4):
        x0, y0 = torch.randint(0, S - 6, (2, n, 1, 1), generator=g)
        w, h = torch.randint(5, 16, (2, n, 1, 1), generator=g)
        shade = torch.rand(n, 1, 1, generator=g)
        room = (xx >= x0) & (xx < x0 + w) & (yy >= y0) & (yy < y0 + h)
        img = torch.where(room, shade, img)
        wall = room & ((xx == x0) | (xx == x0 + w - 1) | (yy == y0) | (yy == y0 + h - 1))
        img = torch.where(wall, 0.05, img)
    c = torch.randint(4, S - 4, (2, n, 1, 1), generator=g)
    img = torch.where((xx - c[0]) ** 2 + (yy - c[1]) ** 2 < 5, 0.15, img)
    img = img + 0.03 * torch.randn(n, S, S, generator=g)
    return (img.clamp(0, 1) * 255).round().to(torch.uint8)[:, None]


def degrade(hr):
    return F.interpolate(F.avg_pool2d(hr, 2), scale_factor=2, mode="bilinear",
                         align_corners=False)


class SRCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(),
                                  nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(16, 1, 3, padding=1))

    def forward(self, x):
        return x + self.body(x)  # predicts the missing detail


def psnr(mse, peak=1.0):
    return 10 * math.log10(peak ** 2 / mse)


def build():
    torch.manual_seed(0)
    return SRCNN()


def main():
    from _twelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    hr = tiles(1000, g).float() / 255
    lr_in = degrade(hr)
    tx, ty, vx, vy = lr_in[:800], hr[:800], lr_in[800:], hr[800:]
    base = psnr(F.mse_loss(vx, vy).item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-2)  # BUG: 30x the usual 1e-3
    f = open(out / "sr_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_mse", "val_mse", "val_psnr", "bilinear_psnr"])
    for epoch in range(10):
        model.train()
        tot = 0.0
        for idx in torch.randperm(800, generator=g).split(32):
            loss = F.mse_loss(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vm = F.mse_loss(model(vx), vy).item()
        w.writerow([epoch, round(tot / 800, 4), round(vm, 4), round(psnr(vm), 3),
                    round(base, 3)])
        print(epoch, round(tot / 800, 3), round(vm, 3), round(psnr(vm), 2), round(base, 2))
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch}, out / "srcnn.pth")
    finish(out, __file__, (vx[:32], vy[:32]), causes=["lr_too_high"],
           checkpoint="srcnn.pth", log="sr_metrics.csv",
           what="residual SRCNN 2x super-resolution, Adam lr 3e-2",
           complaint="超分辨率网络训练了 10 个 epoch，验证 PSNR 从第三个 epoch 开始就一动不动，"
                     "和直接双线性插值的 PSNR 一模一样，网络好像什么都没学到")


if __name__ == "__main__":
    main()
