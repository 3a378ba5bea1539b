"""Shipyard hull survey: a BatchNorm CNN grades 64×64 grey photos (downscaled from the survey
camera) of hull plates taken in the dry dock into 4 classes: sound paint, general rust (a
mottled darker texture over much of the plate), pitting (many small dark pits) and blistering (a
few bright round blisters with a dark rim); weld seams cross some plates, and each photo has its
own floodlight exposure (gain 0.4–2.4, an offset of ±0.6 and a lighting gradient). Four
conv(3×3)–BatchNorm–ReLU blocks (8, 16, 32, 32 channels, max-pooling after the first three),
global average pooling, Linear(32, 4). Adam 1e-3, 4 epochs of 640 photos; a CSV per epoch:
epoch, train_loss, train_acc (train mode, running), val_loss, val_acc (eval mode).
Bug: the photos are "large", so the author set ``BATCH = 1`` to save memory (the laptop ran out
at 64) and kept every BatchNorm layer: each batch's statistics come from one photo (BatchNorm
acts as a per-photo normalisation that removes that photo's exposure), and the running mean/var
used in eval mode do not describe what the network was trained on. Train-mode accuracy climbs to
0.986 (loss 0.49) while the eval-mode validation accuracy is 0.27, 0.215, 0.215, 0.305 (val loss
1.54 → 1.60, 174 of 200 validation photos called "blister" at the end). The control (``BATCH =
32``, the same everything else) reaches train accuracy 0.82 and val accuracy 0.85 (val loss
0.62) in the same 4 epochs, still rising."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 64
BATCH = 1  # 64 ran out of memory on the laptop, 2 too once
GRADES = ["sound", "rust", "pitting", "blister"]


def plates(n, g):
    yy, xx = torch.meshgrid(torch.linspace(0, 1, S), torch.linspace(0, 1, S), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.empty(n, 1, S, S)
    for i in range(n):
        r = torch.rand(8, generator=g)
        img = 0.6 + 0.03 * torch.randn(S, S, generator=g)
        k = int(y[i])
        if k == 1:
            blot = F.interpolate(torch.rand(1, 1, 8, 8, generator=g), size=S, mode="bicubic")[0, 0]
            img = img - 0.35 * (blot > 0.45 + 0.1 * r[0]).float() * (0.6 + 0.4 * torch.rand(S, S, generator=g))
        elif k == 2:
            for _ in range(int(12 + 12 * r[0])):
                c = torch.rand(2, generator=g)
                img = img - 0.5 * torch.exp(-((yy - c[0]) ** 2 + (xx - c[1]) ** 2) / 0.0003)
        elif k == 3:
            for _ in range(int(3 + 4 * r[0])):
                c = torch.rand(2, generator=g)
                rad = 0.05 + 0.05 * float(torch.rand(1, generator=g))
                d = torch.sqrt((yy - c[0]) ** 2 + (xx - c[1]) ** 2)
                img = img + 0.3 * (d < rad).float() - 0.25 * ((d >= rad) & (d < rad + 0.025)).float()
        if r[1] < 0.5:  # a weld seam
            img = img + 0.2 * torch.exp(-((xx - r[2]) / 0.02) ** 2)
        gain = 0.4 + 2.0 * r[3]
        x[i, 0] = img * gain * (1 + 0.4 * (r[4] - 0.5) * (xx - 0.5 + yy - 0.5)) + 1.2 * (r[5] - 0.5)
    return x, y


def block(cin, cout, stride=1):
    return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


class HullNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(*block(1, 8), nn.MaxPool2d(2), *block(8, 16), nn.MaxPool2d(2),
                                      *block(16, 32), nn.MaxPool2d(2), *block(32, 32),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return HullNet()


def main():
    from _hundredfiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = plates(840, g)
    xtr, ytr, xva, yva = x[:640], y[:640], x[640:], y[640:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "hull_metrics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(1, 5):
            model.train()
            perm = torch.randperm(640, generator=g)
            tot = cor = 0.0
            for i in range(0, 640, BATCH):
                idx = perm[i:i + BATCH]
                logits = model(xtr[idx])
                loss = F.cross_entropy(logits, ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                cor += (logits.argmax(1) == ytr[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                lo = model(xva)
                row = [epoch, round(tot / 640, 4), round(cor / 640, 4),
                       round(F.cross_entropy(lo, yva).item(), 4),
                       round((lo.argmax(1) == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row, torch.bincount(lo.argmax(1), minlength=4).tolist())
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 4,
                "batch_size": BATCH, "grades": GRADES}, out / "hullnet_ep4.pt")
    finish(out, __file__, (xva[:BATCH * 16], yva[:BATCH * 16]), causes=["bn_small_batch"],
           checkpoint="hullnet_ep4.pt", log="hull_metrics.csv",
           what="BatchNorm CNN on 64x64 hull-plate photos trained with batch size 1",
           complaint="The hull plate grading CNN looks great in training, 98.6% train accuracy after "
                     "4 epochs, but on the validation photos it gets 30% (val loss 1.60, worse than "
                     "after epoch 1) and calls almost everything a blister (174 of 200). Training "
                     "and validation photos come from the same dry-dock survey. I had to train with "
                     "batch size 1 because the images are big.")


if __name__ == "__main__":
    main()
