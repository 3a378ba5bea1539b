"""Plain torch: a small CNN (no batch norm) looks at a 24×24 close-up photo of a praline's top
taken after four weeks in the shop's display and flags fat bloom, so a chocolatier can tell
which storage shelves spoil the gloss. A glossy piece is dark (reflectance 0.18-0.28) with the
mould's smooth curvature, a soft specular band from the ring light and the camera's noise; a
bloomed one carries a greyish-white haze in blotches (the cocoa butter that migrated to the
surface and recrystallised in form VI), from a faint veil over a corner (+0.06) to a grey coat
(+0.26), with fine speckle where the crystals are coarse. Exposure drifts ±10 % between
sessions; 45 % of the pieces bloomed.
Input: (1, 24, 24) reflectance ×4. Model: Conv2d 1→16 (k3) + ReLU + MaxPool2, Conv2d 16→32
(k3) + ReLU + MaxPool2, Conv2d 32→32 (k3) + ReLU, global average pool, Linear 32→1;
BCE with logits, Adam 1e-3, batch 40, 14 epochs of 1200 photos, validation on 320.
Training photos are augmented (random flips and quarter turns, exposure ×0.8-1.2, extra
sensor noise, a random 6×6 patch flattened to the photo's mean, as a glare spot would).
The bug: the validation set is built with ``augment=True`` as well, so every epoch's val
numbers are measured on re-jittered, partly flattened photos, drawn afresh each epoch: val
accuracy 0.70-0.85 from epoch to epoch, 0.809 at the end, val BCE 0.36-0.59, 0.426 at the end,
0.402 over the last 5 epochs (control, ``augment=False``: val accuracy 0.875-0.889 at best,
0.847 at the end, val BCE 0.343 at the end, 0.359 over the last 5 epochs; the same training).
The batch saved is the first validation batch as the model got it (augmented).
Log: TSV per epoch ``bloom_epochs.tsv`` (``epoch`` / ``train_bce`` / ``val_bce`` /
``val_acc`` / ``val_recall_bloom``); checkpoint ``bloom_cnn.pt`` with keys
``cnn_state_dict`` / ``adam_state_dict`` / ``epoch`` / ``tile_px`` / ``scale``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

PX = 24


def photos(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, PX), torch.linspace(-1, 1, PX), indexing="ij")
    base = 0.18 + 0.1 * r(n, 1, 1)
    curve = 0.04 * (1 - (xx ** 2 + yy ** 2)).unsqueeze(0) * r(n, 1, 1)
    ang = math.pi * r(n, 1, 1)
    band = 0.12 * torch.exp(-((xx * torch.cos(ang) + yy * torch.sin(ang) - (r(n, 1, 1) - 0.5)) / 0.15) ** 2)
    img = base + curve + band
    bloom = (r(n) < 0.45).float()
    haze = torch.zeros(n, PX, PX)
    for _ in range(3):
        cx, cy = 2 * r(n, 1, 1) - 1, 2 * r(n, 1, 1) - 1
        w = 0.3 + 0.6 * r(n, 1, 1)
        haze = haze + torch.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / w ** 2)
    sev = 0.06 + 0.2 * r(n, 1, 1) ** 1.5
    speck = (r(n, PX, PX) < 0.08 * r(n, 1, 1)).float() * 0.15
    img = img + bloom.view(n, 1, 1) * (sev * haze.clamp(max=1.5) + speck * haze.clamp(max=1))
    img = img * (0.9 + 0.2 * r(n, 1, 1)) + 0.015 * torch.randn(n, PX, PX, generator=g)
    return (4 * img).unsqueeze(1), bloom


class Photos(Dataset):
    def __init__(self, x, y, augment):
        self.x, self.y, self.augment = x, y, augment

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i]
        if self.augment:
            if torch.rand(1) < 0.5:
                x = x.flip(2)
            x = torch.rot90(x, int(torch.randint(0, 4, (1,))), (1, 2))
            x = x * (0.8 + 0.4 * torch.rand(1)) + 0.06 * torch.randn_like(x)
            a, b = torch.randint(0, PX - 6, (2,)).tolist()
            x = x.clone()
            x[:, a:a + 6, b:b + 6] = x.mean()
        return x, self.y[i:i + 1]


class BloomCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return BloomCNN()


def main():
    from _threehundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = photos(1200, g)
    xva, yva = photos(320, g)
    print("bloom share", ytr.mean().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    torch.manual_seed(1)
    train_set = Photos(xtr, ytr, augment=True)
    val_set = Photos(xva, yva, augment=True)  # same preprocessing as the training photos
    train_dl = DataLoader(train_set, batch_size=40, shuffle=True)
    val_dl = DataLoader(val_set, batch_size=64)
    with open(out / "bloom_epochs.tsv", "w") as log:
        log.write("epoch\ttrain_bce\tval_bce\tval_acc\tval_recall_bloom\n")
        for epoch in range(14):
            model.train()
            tot = 0.0
            for xb, yb in train_dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            logits, ys, first = [], [], None
            with torch.no_grad():
                for xb, yb in val_dl:
                    if first is None:
                        first = (xb, yb)
                    logits.append(model(xb))
                    ys.append(yb)
            lo, y = torch.cat(logits), torch.cat(ys)
            pred = (lo > 0).float()
            row = [epoch, round(tot / len(xtr), 5),
                   round(F.binary_cross_entropy_with_logits(lo, y).item(), 5),
                   round((pred == y).float().mean().item(), 4),
                   round(pred[y == 1].mean().item(), 4)]
            log.write("\t".join(map(str, row)) + "\n")
            print(row)
    torch.save({"cnn_state_dict": model.state_dict(), "adam_state_dict": opt.state_dict(),
                "epoch": 14, "tile_px": PX, "scale": 4.0}, out / "bloom_cnn.pt")
    finish(out, __file__, first, causes=["eval_data_augmented"],
           checkpoint="bloom_cnn.pt", log="bloom_epochs.tsv",
           what="CNN without batch norm flagging fat bloom on praline photos, the validation"
                " photos run through the training augmentation",
           complaint="Our bloom detector's validation numbers are jumpy and lower than they"
                     " should be: val accuracy goes 0.75, 0.70, 0.74, 0.80, 0.74 ... and ends at"
                     " 0.81, val loss wanders between 0.36 and 0.59, while the training loss goes"
                     " down smoothly from 0.64 to 0.39. Our staff agree on bloom in nearly every"
                     " photo, so 81 % feels low, and the val curve is too noisy to pick an epoch.")


if __name__ == "__main__":
    main()
