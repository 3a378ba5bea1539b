"""Museum conservation triage: a small CNN sorts 24×24 RGB thumbnails of paint-sample
photos (the catalogue's "sample" shots of a painted exhibit) into the dominant pigment family
the conservator must check: 0 vermilion (red), 1 verdigris (green), 2 ultramarine (blue),
3 ochre (yellow). A thumbnail is a neutral grey-to-beige card (tone 0.3–0.7) with a painted
patch (ellipse or rectangle, 5–10 px half-size, position jitter ±4 px), the pigment colour with
a per-sample hue jitter, brightness 0.5–1.0 and a brush-stroke shading, plus a few dark
craquelure lines and noise 0.06. The photos come from the collection database's export as
uint8 arrays (N, H, W, 3), channels last. CNN: 3 conv blocks (16, 32, 32 ch, 3×3, ReLU,
max-pool), global average, linear 4. Adam 1e-3, batch 32, 3 epochs of 1024 thumbnails; CSV
log per epoch.
Bug: the channels-last batch is turned into (N, 3, H, W) with ``.view(-1, 3, S, S)`` instead
of ``.permute(0, 3, 1, 2)``: each "channel" is a third of the interleaved RGB bytes, so every
thumbnail's pixels are scrambled, and the colour of a pixel is now only its column's phase
mod 3, which a convolution cannot see. Val accuracy 0.39 → 0.50 → 0.80 (val loss 1.32 → 1.03 → 0.68, train accuracy 0.70);
the permute control: 0.81 → 0.996 → 0.996 (val loss 0.021, train accuracy 1.00)."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24


def thumbs(n, rng):
    yy, xx = np.mgrid[0:S, 0:S].astype(np.float32)
    pigments = np.array([[0.85, 0.15, 0.1], [0.2, 0.7, 0.45], [0.15, 0.25, 0.85],
                         [0.85, 0.7, 0.2]], np.float32)
    y = rng.integers(0, 4, n)
    imgs = np.zeros((n, S, S, 3), np.float32)
    for i in range(n):
        tone = rng.uniform(0.3, 0.7)
        im = np.ones((S, S, 3), np.float32) * (tone + np.array([0.03, 0.01, -0.03]))
        cy, cx = 12 + rng.integers(-4, 5), 12 + rng.integers(-4, 5)
        h, w = rng.integers(5, 11), rng.integers(5, 11)
        if rng.random() < 0.5:
            m = ((yy - cy) / h) ** 2 + ((xx - cx) / w) ** 2 <= 1
        else:
            m = (abs(yy - cy) <= h) & (abs(xx - cx) <= w)
        col = np.clip(pigments[y[i]] + rng.normal(0, 0.06, 3), 0, 1) * rng.uniform(0.5, 1.0)
        shade = 0.85 + 0.15 * np.sin(rng.uniform(0.5, 1.5) * (xx + rng.uniform(-1, 1) * yy))
        im[m] = col * shade[m][:, None]
        for _ in range(rng.integers(1, 4)):
            r0 = rng.integers(0, S)
            im[r0, :, :] *= 0.6 if rng.random() < 0.5 else 1.0
        imgs[i] = im + rng.normal(0, 0.06, (S, S, 3))
    return (np.clip(imgs, 0, 1) * 255).astype(np.uint8), y


def to_tensor(batch_hwc):
    x = torch.from_numpy(batch_hwc).float() / 255.0
    return (x.view(-1, 3, S, S) - 0.45) / 0.25


class ThumbCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU())
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc(self.body(x).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return ThumbCNN()


def main():
    from _hundredfortyeighth import finish, out_dir
    out = out_dir(__file__)
    rng = np.random.default_rng(0)
    torch.manual_seed(0)
    xtr, ytr = thumbs(1024, rng)
    xva, yva = thumbs(256, rng)
    ytr_t, yva_t = torch.from_numpy(ytr), torch.from_numpy(yva)
    xva_t = to_tensor(xva)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "triage_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "trn_loss", "trn_acc", "val_loss", "val_acc"])
    for epoch in range(3):
        model.train()
        order = rng.permutation(1024)
        tl = tc = 0.0
        for i in range(0, 1024, 32):
            idx = order[i:i + 32]
            xb, yb = to_tensor(xtr[idx]), ytr_t[idx]
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            tc += (logits.argmax(1) == yb).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva_t)
        row = [epoch + 1, round(tl / 1024, 4), round(tc / 1024, 4),
               round(F.cross_entropy(lo, yva_t).item(), 4),
               round((lo.argmax(1) == yva_t).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 3, "classes": ["vermilion", "verdigris", "ultramarine", "ochre"]},
               out / "thumbcnn.tar")
    finish(out, __file__, (xva_t[:64], yva_t[:64]), causes=["input_layout_scrambled"],
           checkpoint="thumbcnn.tar", log="triage_log.csv",
           what="museum pigment-thumbnail CNN, channels-last batch reshaped with .view instead of permute",
           complaint="The pigment classifier for our conservation thumbnails learns very slowly: "
                     "after 3 epochs validation accuracy is only 0.80 (0.39 after the first "
                     "epoch) and val loss 0.68, train accuracy 0.70. Telling red from blue "
                     "patches should be trivial; the same CNN on the old PNG folder was at 99 % "
                     "after 2 epochs. The new data comes straight from the collection database "
                     "as uint8 arrays.")


if __name__ == "__main__":
    main()
