"""DispNet-lite stereo disparity regressor on synthetic rectified pairs: a random smooth
texture (32x48) as the left image, the right image the left one shifted left by a disparity
that varies across the image (a fronto-parallel plane per image, 1–6 px), plus sensor noise.
Encoder on the concatenated pair (3 stride-2 convs), decoder with two transposed convs and a
skip, predicting the disparity map at full resolution; L1 loss (end-point error). Adam 1e-3,
batch 32, 8 epochs; a CSV log per epoch with train EPE and val EPE in pixels."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

H, W = 32, 48


def pairs(n, g):
    tex = F.avg_pool2d(torch.randn(n, 1, H, W + 8, generator=g), 3, 1, 1)
    tex = tex / tex.std((2, 3), keepdim=True)
    a = 1 + 3 * torch.rand(n, 1, 1, generator=g)
    b = 1.5 * torch.rand(n, 1, 1, generator=g)
    disp = (a + b * torch.linspace(0, 1, W)[None, None]).expand(n, H, W)
    xs = torch.arange(W).float()[None, None] + disp
    gx = xs / (W + 7) * 2 - 1
    gy = torch.linspace(-1, 1, H)[None, :, None].expand(n, H, W)
    right = F.grid_sample(tex, torch.stack([gx, gy], -1), align_corners=True)
    left = tex[..., :W]
    x = torch.cat([left, right], 1) + 0.05 * torch.randn(n, 2, H, W, generator=g)
    return x, disp[:, None].contiguous()


class DispNetLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.e1 = nn.Conv2d(2, 32, 3, 2, 1)
        self.e2 = nn.Conv2d(32, 64, 3, 2, 1)
        self.e3 = nn.Conv2d(64, 64, 3, 1, 1)
        self.d1 = nn.ConvTranspose2d(64, 32, 4, 2, 1)
        self.d2 = nn.ConvTranspose2d(64, 16, 4, 2, 1)
        self.out = nn.Conv2d(16, 1, 3, 1, 1)

    def forward(self, x):
        h1 = F.relu(self.e1(x))
        h = F.relu(self.e3(F.relu(self.e2(h1))))
        h = F.relu(self.d1(h))
        h = F.relu(self.d2(torch.cat([h, h1], 1)))
        return self.out(h)


def build():
    torch.manual_seed(0)
    return DispNetLite()


def main():
    from _ninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, d = pairs(900, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "epe_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "train_epe_px", "val_epe_px"])
    for ep in range(8):
        model.train()
        perm = torch.randperm(800, generator=g)
        tot = 0.0
        for i in range(0, 800, 32):
            idx = perm[i:i + 32]
            loss = F.l1_loss(model(x[idx]), d[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            row = [ep, round(tot / 800, 4), round(F.l1_loss(model(x[800:]), d[800:]).item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "ep": 8},
               out / "dispnet_ep8.ckpt")
    finish(out, __file__, (x[800:832], d[800:1032]), causes=[],
           checkpoint="dispnet_ep8.ckpt", log="epe_log.csv",
           what="DispNet-lite stereo disparity regressor, healthy", complaint="")


if __name__ == "__main__":
    main()
