"""ESPCN-style 2x super-resolution for texture tiles: 24x24 grey high-resolution tiles (a few
random oriented stripes and blobs, values in [0, 1]), the low-resolution input is the 2x2
average pool (12x12). Net: conv5x5 1->32, tanh, conv3x3 32->16, tanh, conv3x3 16->4,
``PixelShuffle(2)`` (as in Shi et al. 2016), MSE, Adam lr 2e-3, batch 32, 10 epochs; the
log holds the val PSNR next to the PSNR of bicubic upsampling. Bug: ``weight_decay=5e-1``
(the author meant 5e-4); Adam's coupled L2 pulls every weight to near zero, the output goes
flat: val PSNR 13.5 -> 12.6 dB, 8.7 dB under bicubic (21.3 dB), train MSE flat at
0.045-0.055; with 5e-4: val PSNR 17.6 -> 21.5 dB, just over bicubic."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

HR = 24
WEIGHT_DECAY = 5e-1


def tiles(n, g):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, HR), torch.linspace(-1, 1, HR), indexing="ij")
    out = torch.zeros(n, 1, HR, HR)
    for i in range(n):
        img = torch.zeros(HR, HR)
        for _ in range(3):
            a = float(torch.rand(1, generator=g)) * math.pi
            f = 2 + 6 * float(torch.rand(1, generator=g))
            ph = 6.28 * float(torch.rand(1, generator=g))
            img += torch.sin(f * (math.cos(a) * xx + math.sin(a) * yy) * 3 + ph)
        cy, cx = (torch.rand(2, generator=g) * 2 - 1).tolist()
        img += 3 * ((yy - cy) ** 2 + (xx - cx) ** 2 < 0.15).float()
        out[i, 0] = (img - img.min()) / (img.max() - img.min())
    return F.avg_pool2d(out, 2), out


class ESPCN(nn.Module):
    def __init__(self, scale=2):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.Tanh(),
                                  nn.Conv2d(32, 16, 3, padding=1), nn.Tanh(),
                                  nn.Conv2d(16, scale * scale, 3, padding=1))
        self.shuffle = nn.PixelShuffle(scale)

    def forward(self, x):
        return self.shuffle(self.body(x))


def psnr(mse):
    return 10 * math.log10(1.0 / mse)


def build():
    torch.manual_seed(0)
    return ESPCN()


def main():
    from _twentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    lr_img, hr_img = tiles(1300, g)
    tx, ty, vx, vy = lr_img[:1100], hr_img[:1100], lr_img[1100:], hr_img[1100:]
    bicubic = F.mse_loss(F.interpolate(vx, scale_factor=2, mode="bicubic").clamp(0, 1),
                         vy).item()
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=WEIGHT_DECAY)
    step = 0
    with open(out / "sr_log.jsonl", "w") as log:
        for epoch in range(10):
            model.train()
            tot = 0.0
            for idx in torch.randperm(1100, generator=g).split(32):
                loss = F.mse_loss(model(tx[idx]), ty[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                vmse = F.mse_loss(model(vx), vy).item()
            rec = {"epoch": epoch, "step": step, "train_mse": round(tot / 1100, 5),
                   "val_mse": round(vmse, 5), "val_psnr": round(psnr(vmse), 2),
                   "bicubic_psnr": round(psnr(bicubic), 2)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch,
                "step": step}, out / "espcn.pth")
    finish(out, __file__, (vx[:32], vy[:32]), causes=["over_regularization"],
           checkpoint="espcn.pth", log="sr_log.jsonl",
           what="ESPCN 2x super-resolution with Adam weight_decay=0.5 (meant 5e-4)",
           complaint="超分辨率网络训练完 PSNR 还不如直接双三次插值，输出图像发灰、几乎没有细节。")


if __name__ == "__main__":
    main()
