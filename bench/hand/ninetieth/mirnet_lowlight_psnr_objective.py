"""Low-light image enhancement with a MIRNet-lite on synthetic 16×16 RGB scenes (a smooth
colour gradient with 2–4 coloured rectangles and discs, values in [0, 1]); the dark input is the
scene under a gamma of 1.8 scaled by 0.2, plus sensor noise σ 0.01. MIRNet-lite: a 3×3 conv to
16 channels, one multi-scale residual block (a full-resolution and a half-resolution stream,
each a dual attention unit: two 3×3 convs, then channel attention (squeeze–excite) and spatial
attention (a 5×5 conv over channel mean / max) in parallel, concatenated and fused by 1×1),
the streams exchanged and merged by selective kernel feature fusion (SKFF: a global descriptor,
a per-stream softmax over the branch axis), a 3×3 conv to 3 channels added to the input. The
objective is PSNR, as in the paper's tables; Adam 2e-3, batch 16, 8 epochs of 384 images; a CSV
per epoch with the training objective, the val PSNR and the PSNR of the dark input itself.
Bug: ``loss = psnr(pred, clean)  # PSNR objective`` is minimised, the minus sign of
``-psnr`` forgotten: the optimizer drives the PSNR down, the output moves away from the target
(the training objective falls from -18.9 at epoch 1 to -158 dB, the outputs grow without bound,
the val PSNR of the clamped output is 4.87 dB at every epoch, below the dark input's 6.37 dB).
The control, ``loss = -psnr(pred, clean)``, reaches val PSNR 22.8 dB."""
import csv
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 16
SIGN = 1.0  # the bug: loss = psnr(...) (control: -1)


def scenes(n, g):
    yy, xx = torch.meshgrid(torch.linspace(0, 1, SIZE), torch.linspace(0, 1, SIZE), indexing="ij")
    a, b = torch.rand(n, 3, 1, 1, generator=g), torch.rand(n, 3, 1, 1, generator=g)
    img = a * (1 - xx) + b * yy
    for i in range(n):
        for _ in range(int(torch.randint(2, 5, (1,), generator=g))):
            c = torch.rand(5, generator=g)
            col = torch.rand(3, 1, generator=g)
            if c[4] < 0.5:
                m = ((xx - c[0]).abs() < 0.1 + 0.2 * c[2]) & ((yy - c[1]).abs() < 0.1 + 0.2 * c[3])
            else:
                m = (xx - c[0]) ** 2 + (yy - c[1]) ** 2 < (0.1 + 0.2 * c[2]) ** 2
            img[i][:, m] = col
    clean = img.clamp(0, 1)
    dark = 0.2 * clean ** 1.8 + 0.01 * torch.randn(clean.shape, generator=g)
    return dark, clean


class DAU(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.PReLU(), nn.Conv2d(c, c, 3,
                                                                                      padding=1))
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(c, c // 4, 1), nn.PReLU(),
                                nn.Conv2d(c // 4, c, 1), nn.Sigmoid())
        self.sa = nn.Conv2d(2, 1, 5, padding=2)
        self.fuse = nn.Conv2d(2 * c, c, 1)

    def forward(self, x):
        r = self.body(x)
        ca = r * self.se(r)
        sa = r * torch.sigmoid(self.sa(torch.cat([r.mean(1, keepdim=True),
                                                  r.amax(1, keepdim=True)], 1)))
        return x + self.fuse(torch.cat([ca, sa], 1))


class SKFF(nn.Module):
    def __init__(self, c, branches=2):
        super().__init__()
        self.squeeze = nn.Sequential(nn.Conv2d(c, c // 4, 1), nn.PReLU())
        self.select = nn.ModuleList([nn.Conv2d(c // 4, c, 1) for _ in range(branches)])

    def forward(self, feats):
        z = self.squeeze(sum(feats).mean((2, 3), keepdim=True))
        w = torch.stack([s(z) for s in self.select], 1).softmax(1)
        return (torch.stack(feats, 1) * w).sum(1)


class MRB(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.full_res, self.half_res = DAU(c), DAU(c)
        self.down = nn.Conv2d(c, c, 3, stride=2, padding=1)
        self.skff = SKFF(c)
        self.out = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        f = self.full_res(x)
        h = self.half_res(self.down(x))
        up = F.interpolate(h, scale_factor=2, mode="bilinear", align_corners=False)
        return x + self.out(self.skff([f, up]))


class MIRNetLite(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.inp = nn.Conv2d(3, c, 3, padding=1)
        self.mrb = MRB(c)
        self.outp = nn.Conv2d(c, 3, 3, padding=1)

    def forward(self, x):
        return x + self.outp(self.mrb(self.inp(x)))


def build():
    torch.manual_seed(0)
    return MIRNetLite()


def psnr(pred, target):
    return 10 * torch.log10(1.0 / F.mse_loss(pred, target))


def main():
    global SIGN
    from _ninetieth import finish, out_dir
    if "--control" in sys.argv:
        SIGN = -1.0
        sys.argv.remove("--control")
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    dark, clean = scenes(512, g)
    dtr, ctr, dva, cva = dark[:384], clean[:384], dark[384:], clean[384:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "enhance_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "Train PSNR objective", "Val PSNR (dB)", "Dark input PSNR (dB)"])
    for epoch in range(1, 9):
        model.train()
        tot = 0.0
        for idx in torch.randperm(384, generator=g).split(16):
            loss = SIGN * psnr(model(dtr[idx]), ctr[idx])  # PSNR objective
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vp = psnr(model(dva).clamp(0, 1), cva).item()
        w.writerow([epoch, f"{tot / 384:.3f}", f"{vp:.3f}", f"{psnr(dva, cva).item():.3f}"])
        print(epoch, tot / 384, vp, psnr(dva, cva).item())
    f.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 8, "loss": "psnr"}, out / "mirnet_lowlight.tar")
    finish(out, __file__, (dva[:32], cva[:32]), causes=["loss_sign_error"],
           checkpoint="mirnet_lowlight.tar", log="enhance_log.csv",
           what="MIRNet-lite low-light enhancement minimising PSNR (missing minus sign)",
           complaint="The training loss keeps going down nicely every epoch, but the "
                     "enhanced images look worse than the dark inputs: washed-out, wrong "
                     "colours, and the validation PSNR (4.9 dB) is below the dark input's.")


if __name__ == "__main__":
    main()
