"""HRNet-lite keypoint localisation: find a surgical marker (a small bright ring, radius 1.5–2.5
px) in 32×32 grey "endoscope" frames full of clutter (6–10 random blobs and short streaks of
similar brightness, a vignette and pixel noise). The target is a 16×16 heatmap, a Gaussian
(σ 1 cell) at the marker. The network keeps two resolutions in parallel as HRNet does: a
stem (conv 3×3 stride 2, 16 channels + BN + ReLU) to 16×16, then two stages of a high-res
branch (16 ch, 16×16) and a low-res branch (32 ch, 8×8), each two 3×3 conv-BN-ReLU, fused at
the end of each stage (low → high by 1×1 conv + BN + upsampling, high → low by a strided 3×3
conv + BN, summed); a 1×1 head on the high-res branch. MSE on the heatmaps × 1000, Adam 2e-3,
batch 32, 6 epochs of 1024 frames; per epoch a JSON line ``{"epoch", "heatmap_mse",
"val_heatmap_mse", "val_pck1"}`` (the share of frames whose heatmap peak is within 1 cell of
the marker); the checkpoint holds ``hrnet`` / ``opt`` / ``epoch`` / ``heatmap_size``.
Bug: ``optimizer.zero_grad`` is written without the parentheses (it names the method and does
nothing), so ``.grad`` holds the sum of every batch's gradient since the start. Adam rescales
the size away but not the direction, which becomes the running sum of all past gradients: the
train loss never settles (47, 46, 88, 53, 84, 34 per epoch; the control with ``zero_grad()``
goes 28 → 2.4), the val loss starts at 1119 and only comes down to 26, and the peak lands on
the marker for 4 % of the validation frames (the control: 98 %)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

S, H = 32, 16


def frames(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    img = torch.zeros(n, S, S)
    for _ in range(8):  # clutter: blobs and streaks
        c = 2 + 28 * torch.rand(n, 2, 1, 1, generator=g)
        r = 1 + 2 * torch.rand(n, 1, 1, generator=g)
        stretch = 1 + 3 * (torch.rand(n, 1, 1, generator=g) < 0.5)
        d2 = ((yy - c[:, 0]) / stretch) ** 2 + (xx - c[:, 1]) ** 2
        img += (0.4 + 0.5 * torch.rand(n, 1, 1, generator=g)) * torch.exp(-d2 / (2 * r ** 2))
    m = 3 + 26 * torch.rand(n, 2, generator=g)
    rad = 1.5 + torch.rand(n, 1, 1, generator=g)
    dist = ((yy - m[:, 0, None, None]) ** 2 + (xx - m[:, 1, None, None]) ** 2).sqrt()
    img += 0.9 * torch.exp(-(dist - rad) ** 2 / 0.5)
    vignette = 1 - 0.4 * (((yy - 16) ** 2 + (xx - 16) ** 2) / 512)
    img = img * vignette + 0.15 * torch.randn(n, S, S, generator=g)
    hy, hx = torch.meshgrid(torch.arange(H).float(), torch.arange(H).float(), indexing="ij")
    mc = m / 2 - 0.25
    heat = torch.exp(-((hy - mc[:, 0, None, None]) ** 2 + (hx - mc[:, 1, None, None]) ** 2) / 2)
    return ((img - 0.35) / 0.4)[:, None], heat[:, None], mc


def cbr(cin, cout, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU())


class Stage(nn.Module):
    def __init__(self, ch=(16, 32)):
        super().__init__()
        self.high = nn.Sequential(cbr(ch[0], ch[0]), cbr(ch[0], ch[0]))
        self.low = nn.Sequential(cbr(ch[1], ch[1]), cbr(ch[1], ch[1]))
        self.low_to_high = nn.Sequential(nn.Conv2d(ch[1], ch[0], 1, bias=False),
                                         nn.BatchNorm2d(ch[0]))
        self.high_to_low = nn.Sequential(nn.Conv2d(ch[0], ch[1], 3, 2, 1, bias=False),
                                         nn.BatchNorm2d(ch[1]))

    def forward(self, hi, lo):
        hi, lo = self.high(hi), self.low(lo)
        up = F.interpolate(self.low_to_high(lo), scale_factor=2, mode="nearest")
        return F.relu(hi + up), F.relu(lo + self.high_to_low(hi))


class HRNetLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = cbr(1, 16, 2)
        self.branch = cbr(16, 32, 2)
        self.stage1, self.stage2 = Stage(), Stage()
        self.head = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        hi = self.stem(x)
        hi, lo = self.stage1(hi, self.branch(hi))
        hi, lo = self.stage2(hi, lo)
        return self.head(hi)


def build():
    torch.manual_seed(0)
    return HRNetLite()


def pck1(pred, centre):
    flat = pred.flatten(1).argmax(1)
    peak = torch.stack([flat // H, flat % H], 1).float()
    return ((peak - centre).abs().max(1).values <= 1).float().mean().item()


def main():
    from _eightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, heat, centre = frames(1280, g)
    xtr, htr = x[:1024], heat[:1024]
    xva, hva, cva = x[1024:], heat[1024:], centre[1024:]
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    log = open(out / "hrnet_log.jsonl", "w")
    for epoch in range(6):
        model.train()
        tot = 0.0
        for idx in torch.randperm(1024, generator=g).split(32):
            optimizer.zero_grad  # noqa: B018 - the bug: the call is missing
            loss = F.mse_loss(model(xtr[idx]), htr[idx]) * 1000
            loss.backward()
            optimizer.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            p = model(xva)
            row = {"epoch": epoch, "heatmap_mse": round(tot / 1024, 3),
                   "val_heatmap_mse": round(F.mse_loss(p, hva).item() * 1000, 3),
                   "val_pck1": round(pck1(p, cva), 4)}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"hrnet": model.state_dict(), "opt": optimizer.state_dict(), "epoch": 6,
                "heatmap_size": H}, out / "hrnet_marker.pth")
    finish(out, __file__, (xva[:64], hva[:64]), causes=["missing_zero_grad"],
           checkpoint="hrnet_marker.pth", log="hrnet_log.jsonl",
           what="HRNet-lite marker heatmaps, optimizer.zero_grad without parentheses",
           complaint="The heatmap loss never really goes down, it bounces between 30 and 90 "
                     "from epoch to epoch, and the predicted peak is on the marker for only a "
                     "few frames even on validation. Tried a couple of seeds, always the same.")


if __name__ == "__main__":
    main()
