"""Spatial transformer network on glyphs: 10 synthetic glyph classes (three random strokes each
on a 12×12 canvas) placed in a 32×32 frame at a random position, rotation (±15°) and size
(45–65 % of the frame), with pixel noise and a few clutter dots. A localisation net (conv 8 →
conv 10 → FC 32 → 6, the last layer initialised to the identity transform) predicts an affine
grid; the frame is resampled by ``F.grid_sample`` and classified by a CNN (conv 16 → conv 32 →
FC 256 → 10; 0.54 M parameters in all). Adam 1e-3, batch 32, no weight decay, no dropout, no
augmentation; ``glyph_log.csv`` per epoch (``train_loss``, ``train_acc``, ``val_loss``,
``val_acc``); 300 validation frames.
Bug: the labelled set is only 120 frames (12 per class) and the 0.54 M-parameter model is
trained on them for 80 epochs with nothing to hold it back: it memorises them (train loss →
0.001) and the validation loss turns up after epoch 16."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES, S, N_TRAIN, EPOCHS = 10, 32, 120, 80


def glyph_shapes(g):
    """(10, 1, 12, 12): three thick random strokes per class."""
    yy, xx = torch.meshgrid(torch.arange(12.), torch.arange(12.), indexing="ij")
    out = torch.zeros(CLASSES, 1, 12, 12)
    for c in range(CLASSES):
        for _ in range(3):
            p, q = 1 + 10 * torch.rand(2, generator=g), 1 + 10 * torch.rand(2, generator=g)
            d = q - p
            t = (((xx - p[0]) * d[0] + (yy - p[1]) * d[1]) / (d @ d + 1e-6)).clamp(0, 1)
            dist = ((xx - p[0] - t * d[0]) ** 2 + (yy - p[1] - t * d[1]) ** 2).sqrt()
            out[c, 0] = torch.maximum(out[c, 0], (1.2 - dist).clamp(0, 1))
    return out


def frames(shapes, n, g):
    y = torch.randint(0, CLASSES, (n,), generator=g)
    ang = (torch.rand(n, generator=g) * 2 - 1) * math.pi / 12
    size = 0.45 + 0.2 * torch.rand(n, generator=g)
    shift = (torch.rand(n, 2, generator=g) * 2 - 1) * 0.6 * (1 - size[:, None])
    cos, sin = torch.cos(ang) / size, torch.sin(ang) / size
    theta = torch.stack([torch.stack([cos, sin, -(cos * shift[:, 0] + sin * shift[:, 1])], 1),
                         torch.stack([-sin, cos, sin * shift[:, 0] - cos * shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, (n, 1, S, S), align_corners=False)
    x = F.grid_sample(shapes[y], grid, align_corners=False, padding_mode="zeros")
    dots = (torch.rand(n, 1, S, S, generator=g) < 0.006).float()
    x = (x + dots).clamp(max=1) + 0.15 * torch.randn(n, 1, S, S, generator=g)
    return x, y


class STN(nn.Module):
    def __init__(self):
        super().__init__()
        self.loc = nn.Sequential(nn.Conv2d(1, 8, 5), nn.MaxPool2d(2), nn.ReLU(),
                                 nn.Conv2d(8, 10, 5), nn.MaxPool2d(2), nn.ReLU(), nn.Flatten(),
                                 nn.Linear(10 * 5 * 5, 32), nn.ReLU(), nn.Linear(32, 6))
        nn.init.zeros_(self.loc[-1].weight)
        with torch.no_grad():
            self.loc[-1].bias.copy_(torch.tensor([1., 0, 0, 0, 1, 0]))
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                                      nn.MaxPool2d(2), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32 * 8 * 8, 256), nn.ReLU(), nn.Linear(256, CLASSES))

    def forward(self, x):
        theta = self.loc(x).view(-1, 2, 3)
        grid = F.affine_grid(theta, x.shape, align_corners=False)
        return self.head(self.features(F.grid_sample(x, grid, align_corners=False)))


def build():
    torch.manual_seed(0)
    return STN()


def main():
    from _thirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    shapes = glyph_shapes(g)
    xtr, ytr = frames(shapes, N_TRAIN, g)
    xva, yva = frames(shapes, 300, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = csv.writer(open(out / "glyph_log.csv", "w", newline=""))
    log.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(EPOCHS):
        model.train()
        perm = torch.randperm(N_TRAIN, generator=g)
        tot, hits = 0.0, 0
        for b in range(0, N_TRAIN, 32):
            idx = perm[b:b + 32]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hits += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            vl = F.cross_entropy(logits, yva).item()
            acc = (logits.argmax(1) == yva).float().mean().item()
        log.writerow([epoch, round(tot / N_TRAIN, 5), round(hits / N_TRAIN, 4), round(vl, 5),
                      round(acc, 4)])
        if epoch % 10 == 9:
            print(epoch, round(tot / N_TRAIN, 4), hits / N_TRAIN, round(vl, 4), round(acc, 4))
    torch.save({"model_state_dict": model.state_dict(), "optim_state_dict": opt.state_dict(),
                "epoch": epoch + 1, "n_train": N_TRAIN}, out / "stn_glyphs.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="stn_glyphs.pt", log="glyph_log.csv",
           what="spatial transformer glyph classifier, 0.54 M params on 120 frames, 80 epochs",
           complaint="the STN glyph classifier is at 100 % train accuracy from epoch 22 with a "
                     "train loss of 0.001, but val accuracy never gets past 0.56 and the val "
                     "loss has been climbing since epoch 16 (1.61 to 2.70)")


if __name__ == "__main__":
    main()
