"""×4 super-resolution of synthetic thermal-camera frames with a LapSRN-lite (Laplacian pyramid
network): a 32×32 frame is a cool background with a vertical gradient plus 2–6 warm bodies
(anisotropic Gaussians, 0.3–0.9 above the background) and sensor noise 0.01; the input is the
8×8 frame (4×4 average pooling), supervised at ×2 (16×16) and ×4 (32×32). Feature branch:
conv 1→16 + LeakyReLU 0.2, then per level two convs 16→16 with LeakyReLU, a transposed conv
(stride 2) and a conv 16→1 predicting that level's residual; image branch: a transposed conv
1→1 initialised as bilinear upsampling, the residual added at each level. Charbonnier loss at
both levels (LapSRN's multi-scale supervision), Adam 3e-3, batch 16, 8 epochs of 512 frames; the
JSON lines log per epoch holds the loss, the val PSNR at ×2 and ×4, the bicubic ×4 PSNR and the
learning rate.

The bug: ``StepLR(opt, step_size=3, gamma=0.5)`` was meant to halve the rate every 3 epochs,
but ``sched.step()`` sits inside the batch loop, so it halves every 3 *batches*: after the
first epoch (32 steps) the rate is 3e-3 / 2**10 ≈ 3e-6 and the net stops learning. Train loss
0.0885 → 0.0807 and then flat to 4 digits, val ×4 PSNR stuck at 21.97 dB, 6 dB *below*
bicubic (28.18 dB). Control (``sched.step()`` once per epoch): loss 0.0272, val ×4 PSNR
31.64 dB. Truth: lr_decay_too_fast."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def thermal(n, g, size=32):
    yy, xx = torch.meshgrid(torch.arange(size).float(), torch.arange(size).float(), indexing="ij")
    frames = 0.2 + 0.1 * (yy / size)[None].repeat(n, 1, 1)
    for i in range(n):
        for _ in range(int(torch.randint(2, 7, (1,), generator=g))):
            cy, cx = (torch.rand(2, generator=g) * size).tolist()
            sy, sx = (1.5 + 4 * torch.rand(2, generator=g)).tolist()
            amp = 0.3 + 0.6 * float(torch.rand(1, generator=g))
            frames[i] += amp * torch.exp(-((yy - cy) / sy) ** 2 / 2 - ((xx - cx) / sx) ** 2 / 2)
    frames = frames + 0.01 * torch.randn(n, size, size, generator=g)
    hr = frames.clamp(0, 1)[:, None]
    return F.avg_pool2d(hr, 4), F.avg_pool2d(hr, 2), hr


def psnr(a, b):
    return 10 * math.log10(1.0 / F.mse_loss(a.clamp(0, 1), b).item())


def charbonnier(a, b, eps=1e-3):
    return torch.sqrt((a - b) ** 2 + eps * eps).mean()


def bilinear_kernel(k=4):
    f = (k + 1) // 2
    c = f - 0.5
    og = torch.arange(k).float()
    filt = 1 - (og - c).abs() / f
    return (filt[:, None] * filt[None])[None, None]


class Level(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.LeakyReLU(0.2),
                                  nn.Conv2d(c, c, 3, padding=1), nn.LeakyReLU(0.2),
                                  nn.ConvTranspose2d(c, c, 4, 2, 1), nn.LeakyReLU(0.2))
        self.to_res = nn.Conv2d(c, 1, 3, padding=1)
        self.up_img = nn.ConvTranspose2d(1, 1, 4, 2, 1, bias=False)
        with torch.no_grad():
            self.up_img.weight.copy_(bilinear_kernel())

    def forward(self, feat, img):
        feat = self.body(feat)
        return feat, self.up_img(img) + self.to_res(feat)


class LapSRNLite(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.inp = nn.Sequential(nn.Conv2d(1, c, 3, padding=1), nn.LeakyReLU(0.2))
        self.level2, self.level4 = Level(c), Level(c)

    def forward(self, x):
        feat, x2 = self.level2(self.inp(x), x)
        _, x4 = self.level4(feat, x2)
        return x2, x4


def build():
    torch.manual_seed(0)
    return LapSRNLite()


def main():
    from _eightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    lr8, mid16, hr32 = thermal(640, g)
    tr, va = slice(0, 512), slice(512, 640)  # noqa: F841
    bicubic = psnr(F.interpolate(lr8[va], scale_factor=4, mode="bicubic", align_corners=False),
                   hr32[va])
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)  # halve every 3 epochs
    log = open(out / "lapsrn_train.jsonl", "w")
    for epoch in range(8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(512, generator=g).split(16):
            p2, p4 = model(lr8[idx])
            loss = charbonnier(p2, mid16[idx]) + charbonnier(p4, hr32[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            p2, p4 = model(lr8[va])
        rec = {"ep": epoch, "loss": round(tot / 512, 5), "psnr_x2": round(psnr(p2, mid16[va]), 3),
               "psnr_x4": round(psnr(p4, hr32[va]), 3), "bicubic_x4": round(bicubic, 3),
               "lr": sched.get_last_lr()[0]}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": epoch}, out / "lapsrn_x4.pt")
    finish(out, __file__, (lr8[va][:32], hr32[va][:32]), causes=["lr_decay_too_fast"],
           checkpoint="lapsrn_x4.pt", log="lapsrn_train.jsonl",
           what="LapSRN-lite ×4 on thermal frames, StepLR(step_size=3) stepped every batch",
           complaint="My LapSRN for upscaling thermal frames x4 stops improving after the first "
                     "epoch. Loss drops a bit and then is completely flat for the remaining 7 "
                     "epochs, and the x4 output is even worse than plain bicubic upscaling. "
                     "Adam at 3e-3, which works fine for my other SR models.")


if __name__ == "__main__":
    main()
