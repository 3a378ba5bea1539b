"""Road segmentation from synthetic 32×32 aerial tiles with a LinkNet-lite (Chaurasia & Culurciello,
2017): 1-3 straight or gently curved roads (2-4 px wide, grey) over a textured green-brown ground
with darker field patches and tree blobs, some of which sit on the roads and hide them (the masks
keep the road under the tree, as a map would). LinkNet: a stride-2 stem conv 16, two residual
encoder blocks (16 → 32 → 64, stride 2 each, BN), decoder blocks (1×1 reduce, 3×3 transposed conv
×2 up, 1×1 expand) whose output is *added* to the matching encoder feature map, a final transposed
conv to full size and a 1×1 logit. BCE-with-logits, AdamW 2e-3 (weight decay 1e-4), batch 32,
7 epochs of 640 tiles; CSV log per epoch (train BCE, val BCE, val IoU, val pixel accuracy).
Healthy: val IoU 0.92, pixel accuracy 0.986 at the end, after a slow start: the first epochs
predict almost no road (val IoU 0.04, 0.12, 0.32 while the pixel accuracy is already 0.82-0.87,
the background share), then it rises 0.55 → 0.80 → 0.89 → 0.92."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 32


def tiles(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    ground = 0.35 + 0.1 * F.interpolate(torch.rand(n, 1, 6, 6, generator=g), size=S, mode="bilinear")
    img = ground.repeat(1, 3, 1, 1) * torch.tensor([0.8, 1.0, 0.6])[None, :, None, None]
    mask = torch.zeros(n, 1, S, S)
    for i in range(n):
        for _ in range(int(torch.randint(1, 4, (1,), generator=g))):
            c = torch.rand(5, generator=g)
            ang = c[0] * 3.14
            off = (c[1] - 0.5) * 24
            bend = (c[2] - 0.5) * 0.04
            d = (xx - 16) * torch.sin(ang) - (yy - 16) * torch.cos(ang) - off
            along = (xx - 16) * torch.cos(ang) + (yy - 16) * torch.sin(ang)
            m = (d - bend * along ** 2).abs() < (1 + c[3] * 1.0)
            mask[i, 0][m] = 1
            img[i, :, m] = 0.55 + 0.15 * c[4]
        for _ in range(int(torch.randint(0, 4, (1,), generator=g))):
            p = torch.rand(3, generator=g)
            t = (xx - p[0] * S) ** 2 + (yy - p[1] * S) ** 2 < (1.5 + 2 * p[2]) ** 2
            img[i, :, t] = torch.tensor([0.15, 0.3, 0.12])[:, None]
    img = img + 0.05 * torch.randn(img.shape, generator=g)
    return (img - 0.4) / 0.15, mask


class Res(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, 2, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, 2, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.down(x))


def decoder(cin, cout):
    mid = cin // 4
    return nn.Sequential(nn.Conv2d(cin, mid, 1), nn.BatchNorm2d(mid), nn.ReLU(),
                         nn.ConvTranspose2d(mid, mid, 2, 2), nn.BatchNorm2d(mid), nn.ReLU(),
                         nn.Conv2d(mid, cout, 1), nn.BatchNorm2d(cout), nn.ReLU())


class LinkNetLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.enc1, self.enc2 = Res(16, 32), Res(32, 64)
        self.dec2, self.dec1 = decoder(64, 32), decoder(32, 16)
        self.final = nn.Sequential(nn.ConvTranspose2d(16, 8, 2, 2), nn.ReLU(), nn.Conv2d(8, 1, 1))

    def forward(self, x):
        s = self.stem(x)            # 16 @ 16×16
        e1 = self.enc1(s)           # 32 @ 8×8
        e2 = self.enc2(e1)          # 64 @ 4×4
        d2 = self.dec2(e2) + e1     # LinkNet: add, not concatenate
        d1 = self.dec1(d2) + s
        return self.final(d1)


def build():
    torch.manual_seed(0)
    return LinkNetLite()


def main():
    from _seventysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, m = tiles(800, g)
    xtr, mtr, xva, mva = x[:640], m[:640], x[640:], m[640:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    f = open(out / "roads_metrics.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_bce", "val_bce", "val_iou", "val_pixel_acc"])
    for epoch in range(1, 8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), mtr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            p = (lo > 0).float()
            iou = ((p * mva).sum() / ((p + mva) > 0).float().sum()).item()
            row = [epoch, round(tot / len(xtr), 4),
                   round(F.binary_cross_entropy_with_logits(lo, mva).item(), 4), round(iou, 4),
                   round((p == mva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"linknet": model.state_dict(), "adamw": opt.state_dict(), "epoch": epoch,
                "val_iou": row[3]}, out / "linknet_roads.pth")
    finish(out, __file__, (xva[:64], mva[:64]), causes=[], healthy=True,
           checkpoint="linknet_roads.pth", log="roads_metrics.csv",
           what="LinkNet-lite road segmentation on aerial tiles, trees hiding road pieces (healthy)")


if __name__ == "__main__":
    main()
