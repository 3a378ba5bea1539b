"""×2 super-resolution with a VDSR-lite on synthetic 24×24 grey scenes: 3–6 filled rectangles,
discs and thin lines of random grey levels over a smooth gradient background. The
low-resolution input is the scene average-pooled ×2 and upsampled back bicubically (VDSR works
on the interpolated image); the net predicts the residual (sharp − interpolated) and adds it to
its input. VDSR-lite: 6 convs 3×3 of 16 channels with ReLU (Kaiming init), a 3×3 conv to one
channel initialised to zero (the net starts as the identity = the bicubic image), global
residual. MSE, Adam 2e-3, batch 16, 5 epochs of 512 images; a CSV row every 4 iterations with
the training MSE and, per epoch, the val PSNR of the output and of the bicubic input.
Healthy: the val PSNR climbs steadily about 1.3 dB above the bicubic input's (24.3 vs 23.0 dB); the
gain looks small but thin lines and corners lost at half resolution cannot be recovered, and
the training MSE per batch is noisy (scenes differ a lot in how many edges they have)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_flush_denormal(True)

SIZE = 24


def scenes(n, g):
    yy, xx = torch.meshgrid(torch.linspace(0, 1, SIZE), torch.linspace(0, 1, SIZE), indexing="ij")
    a = torch.rand(n, 2, 1, 1, generator=g)
    img = 0.2 + 0.3 * (a[:, :1] * yy + a[:, 1:2] * xx)
    img = img.clone()
    for i in range(n):
        for _ in range(int(torch.randint(3, 7, (1,), generator=g))):
            c = torch.rand(5, generator=g)
            level = float(c[4])
            kind = int(torch.randint(0, 3, (1,), generator=g))
            if kind == 0:
                m = ((xx - c[0]).abs() < 0.05 + 0.2 * c[2]) & ((yy - c[1]).abs() < 0.05 + 0.2 * c[3])
            elif kind == 1:
                m = (xx - c[0]) ** 2 + (yy - c[1]) ** 2 < (0.05 + 0.15 * c[2]) ** 2
            else:
                m = ((xx - c[0]) * (c[3] - 0.5) - (yy - c[1]) * (c[2] - 0.5)).abs() < 0.012
            img[i, 0][m] = level
    sharp = img.clamp(0, 1)
    low = F.interpolate(F.avg_pool2d(sharp, 2), scale_factor=2, mode="bicubic",
                        align_corners=False).clamp(0, 1)
    return low, sharp


class VDSR(nn.Module):
    def __init__(self, depth=6, width=16):
        super().__init__()
        layers = [nn.Conv2d(1, width, 3, padding=1), nn.ReLU()]
        for _ in range(depth - 1):
            layers += [nn.Conv2d(width, width, 3, padding=1), nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.tail = nn.Conv2d(width, 1, 3, padding=1)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)
        nn.init.zeros_(self.tail.weight)  # start as the identity

    def forward(self, x):
        return x + self.tail(self.body(x))


def build():
    torch.manual_seed(0)
    return VDSR()


def psnr(a, b):
    return 10 * math.log10(1.0 / max(F.mse_loss(a, b).item(), 1e-12))


def main():
    from _eightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    low, sharp = scenes(640, g)
    xtr, ytr, xva, yva = low[:512], sharp[:512], low[512:], sharp[512:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "vdsr_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "iteration", "mse", "val_psnr", "bicubic_psnr"])
    it = 0
    base = psnr(xva, yva)
    for epoch in range(5):
        model.train()
        for idx in torch.randperm(len(xtr), generator=g).split(16):
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            it += 1
            if it % 4 == 0:
                w.writerow([epoch + 1, it, f"{loss.item():.6g}", "", ""])
        model.eval()
        with torch.no_grad():
            vp = psnr(model(xva).clamp(0, 1), yva) if torch.isfinite(
                model(xva)).all() else float("nan")
        w.writerow([epoch + 1, it, f"{loss.item():.6g}", f"{vp:.3f}", f"{base:.3f}"])
        f.flush()
        print(epoch + 1, loss.item(), vp, base)
    f.close()
    torch.save({"vdsr": model.state_dict(), "adam": opt.state_dict(), "iters": it,
                "scale": 2}, out / "vdsr_x2.pth")
    finish(out, __file__, (xva[:32], yva[:32]), causes=[], checkpoint="vdsr_x2.pth",
           log="vdsr_train.csv", what="VDSR-lite ×2 super-resolution on grey scenes (healthy)")


if __name__ == "__main__":
    main()
