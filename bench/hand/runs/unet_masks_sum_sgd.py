"""The U-Net on blob masks with SGD and a per-pixel loss summed instead of averaged
(reduction="sum" over 32x24x24 pixels): every step is ~18000x larger than intended."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def blobs(n, g):
    yy, xx = torch.meshgrid(torch.arange(24.0), torch.arange(24.0), indexing="ij")
    c = 4 + 16 * torch.rand(n, 2, 2, 1, 1, generator=g)
    r = 2 + 3 * torch.rand(n, 2, 1, 1, generator=g)
    d = (xx - c[:, :, 0]) ** 2 + (yy - c[:, :, 1]) ** 2 < r ** 2
    mask = d.any(1, keepdim=True).float()
    img = 80 + 60 * mask + 25 * torch.randn(n, 1, 24, 24, generator=g)  # raw 8-bit-ish values
    return img, mask


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU())


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down1, self.down2 = block(1, 16), block(16, 32)
        self.up = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.dec = block(32, 16)
        self.out = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        s1 = self.down1(x)
        s2 = self.down2(F.max_pool2d(s1, 2))
        return self.out(self.dec(torch.cat([self.up(s2), s1], 1)))


def build():
    torch.manual_seed(0)
    return UNet()


def main():
    from _hand import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    img, mask = blobs(640, g)
    vimg, vmask = blobs(128, g)
    mean, std = img.mean(), img.std()

    def transform(t):
        return (t - mean) / std

    x, y, vx, vy = transform(img), mask, transform(vimg), vmask
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    with open(out / "unet_log.jsonl", "w") as f:
        for epoch in range(5):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            for i in range(0, len(x), 32):
                b = perm[i:i + 32]
                loss = F.binary_cross_entropy_with_logits(model(x[b]), y[b],
                                                          reduction="sum")
                opt.zero_grad()
                loss.backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                logits = model(vx)
                vl = F.binary_cross_entropy_with_logits(logits, vy).item()
                inter = ((logits > 0) & (vy > 0.5)).sum().item()
                iou = inter / (((logits > 0) | (vy > 0.5)).sum().item() + 1e-9)
            f.write(json.dumps({"epoch": epoch, "train_loss": loss.item(), "val_loss": vl,
                                "val_iou": iou}) + "\n")
    print("val loss", vl, "val IoU", iou)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, out / "unet.pt")
    finish(out, __file__, (vx[:16], vy[:16]), causes=["lr_too_high", "exploding_gradients"],
           checkpoint="unet.pt", log="unet_log.jsonl",
           what="BCE with reduction='sum' under SGD lr 0.01",
           complaint="loss is nan already after the first epoch")


if __name__ == "__main__":
    main()
