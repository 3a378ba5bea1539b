"""Image colourisation with a small U-Net on synthetic coloured shapes (32×32): a grey,
lightly textured background with 1–3 shapes whose colour follows the shape (discs red-orange,
squares blue, crosses green, with some spread in hue and brightness). The input is the
luminance L = 0.299 R + 0.587 G + 0.114 B (centred: L − 0.5), the targets the two chroma
channels (a = R − L, b = B − L). The U-Net: two 3×3 conv blocks of 16 channels, max-pool,
two of 32, max-pool, a 32-channel bottleneck, transposed-conv up-sampling with the skips
concatenated, a 1×1 conv to the 2 chroma channels. L1 loss, Adam 2e-3, batch 32, 6 epochs;
CSV log of the train and val chroma L1 per epoch.
Bug: the hand-written ``init_weights`` sets every conv and transposed-conv weight to zero
(``nn.init.zeros_(m.weight)`` where only the biases were meant to be zeroed, the weights
left to PyTorch's default); every unit of a layer starts equal and gets the same gradient."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def shapes(n, g):
    yy, xx = torch.meshgrid(torch.arange(32).float(), torch.arange(32).float(), indexing="ij")
    rgb = 0.45 + 0.1 * torch.rand(n, 1, 1, 1, generator=g) + 0.04 * torch.randn(n, 1, 32, 32,
                                                                               generator=g)
    rgb = rgb.expand(n, 3, 32, 32).clone()
    base = torch.tensor([[0.95, 0.35, 0.15], [0.15, 0.3, 0.95], [0.2, 0.85, 0.25]])
    for i in range(n):
        for _ in range(int(torch.randint(1, 4, (1,), generator=g))):
            kind = int(torch.randint(0, 3, (1,), generator=g))
            r = 3 + float(torch.rand(1, generator=g)) * 4
            cy, cx = (torch.rand(2, generator=g) * (32 - 2 * r) + r).tolist()
            if kind == 0:
                m = ((yy - cy) ** 2 + (xx - cx) ** 2) < r * r
            elif kind == 1:
                m = ((yy - cy).abs() < r) & ((xx - cx).abs() < r)
            else:
                m = (((yy - cy).abs() < 1.5) & ((xx - cx).abs() < r)) | (
                    ((xx - cx).abs() < 1.5) & ((yy - cy).abs() < r))
            col = (base[kind] + 0.08 * torch.randn(3, generator=g)).clamp(0, 1)
            col = col * (0.8 + 0.3 * float(torch.rand(1, generator=g)))
            rgb[i] = torch.where(m, col[:, None, None].expand(3, 32, 32), rgb[i])
    rgb = rgb.clamp(0, 1)
    lum = 0.299 * rgb[:, 0] + 0.587 * rgb[:, 1] + 0.114 * rgb[:, 2]
    ab = torch.stack([rgb[:, 0] - lum, rgb[:, 2] - lum], 1)
    return (lum - 0.5).unsqueeze(1), ab


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU())


def init_weights(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.zeros_(m.weight)


class ColourUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1, self.enc2 = block(1, 16), block(16, 32)
        self.mid = nn.Sequential(nn.Conv2d(32, 32, 3, padding=1), nn.ReLU())
        self.up2 = nn.ConvTranspose2d(32, 32, 2, stride=2)
        self.dec2 = block(64, 32)
        self.up1 = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.dec1 = block(32, 16)
        self.out = nn.Conv2d(16, 2, 1)
        self.apply(init_weights)

    def forward(self, lum):
        e1 = self.enc1(lum)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        m = self.mid(F.max_pool2d(e2, 2))
        d2 = self.dec2(torch.cat([self.up2(m), e2], 1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))
        return self.out(d1)


def build():
    torch.manual_seed(0)
    return ColourUNet()


def main():
    from _sixtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    lum, ab = shapes(640, g)
    ntr = 480
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "colour_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_l1", "val_l1"])
    for epoch in range(6):
        model.train()
        tot, nb = 0.0, 0
        for idx in torch.randperm(ntr, generator=g).split(32):
            loss = F.l1_loss(model(lum[idx]), ab[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot, nb = tot + loss.item(), nb + 1
        model.eval()
        with torch.no_grad():
            val = F.l1_loss(model(lum[ntr:]), ab[ntr:]).item()
        w.writerow([epoch, round(tot / nb, 5), round(val, 5)])
        print(epoch, round(tot / nb, 5), round(val, 5))
    f.close()
    print("grey guess", ab[ntr:].abs().mean().item())
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 6},
               out / "colour_unet.pt")
    finish(out, __file__, (lum[ntr:ntr + 32], ab[ntr:ntr + 32]), causes=["zero_weight_init"],
           checkpoint="colour_unet.pt", log="colour_log.csv",
           what="U-Net colouriser L -> (a, b), every conv weight initialised to zero",
           complaint="The colouriser only ever paints everything a flat greyish tint; the "
                     "red discs and blue squares never show up, and the val L1 barely moves "
                     "after the first epoch.")


if __name__ == "__main__":
    main()
