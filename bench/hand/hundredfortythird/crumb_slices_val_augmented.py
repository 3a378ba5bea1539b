"""A bakery's QC station photographs a slice from the middle of each loaf; a small CNN grades
the crumb from a 24×24 grayscale crop: tight (many small round cells), open (fewer, large,
irregular cells), tunnelled (long vertical holes from trapped gas / poor shaping) or gummy
(under-baked: little contrast, a dense streak near the bottom crust). Training uses strong
augmentation (random 24×24 crops from the 28×28 padded slice, horizontal flips, brightness and
contrast jitter, Gaussian sensor noise, a random erased 9×9 patch: crumbs, flour dust and knife
marks). Three conv blocks with BatchNorm, Adam 2e-3, batch 64, 20 epochs on 1200 slices; 400
validation slices, accuracy logged per epoch."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ["tight", "open", "tunnelled", "gummy"]
S = 24


def slices(n, g):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    y = torch.randint(0, 4, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    imgs = torch.empty(n, 1, S, S)
    for i in range(n):
        k = int(y[i])
        img = torch.full((S, S), 0.8) + 0.05 * torch.randn(S, S, generator=g)
        if k == 0:
            cells = [(1.0 + 0.6 * r(), 1.0) for _ in range(22)]
        elif k == 1:
            cells = [(2.3 + 1.4 * r(), 1.0 + 0.4 * r()) for _ in range(6)]
        elif k == 2:
            cells = [(1.0 + 0.4 * r(), 0.8) for _ in range(8)] + [(1.3 + 0.5 * r(), 4.0 + 2 * r())
                                                               for _ in range(2)]
        else:
            cells = [(0.9 + 0.5 * r(), 1.0) for _ in range(10)]
        for rad, stretch in cells:
            cy, cx = S * r(), S * r()
            d = ((xx - cx) ** 2 + ((yy - cy) / stretch) ** 2).sqrt()
            img = torch.where(d < rad, torch.full_like(img, 0.25), img)
        if k == 3:
            img = 0.55 + 0.35 * (img - 0.55)
            img[S - 6:] -= 0.15
        imgs[i, 0] = img
    return imgs, y


def train_tf(x, g):
    n = len(x)
    pad = F.pad(x, (2, 2, 2, 2), mode="replicate")
    out = torch.empty_like(x)
    for i in range(n):
        a, b = torch.randint(0, 5, (2,), generator=g).tolist()
        out[i] = pad[i, :, a:a + S, b:b + S]
    flip = torch.rand(n, generator=g) < 0.5
    out[flip] = out[flip].flip(-1)
    bright = 0.25 * (2 * torch.rand(n, 1, 1, 1, generator=g) - 1)
    contrast = 0.6 + 0.8 * torch.rand(n, 1, 1, 1, generator=g)
    out = (out - 0.6) * contrast + 0.6 + bright
    out = out + 0.25 * torch.randn(out.shape, generator=g)
    for i in range(n):
        if float(torch.rand(1, generator=g)) < 0.7:
            a, b = torch.randint(0, S - 9, (2,), generator=g).tolist()
            out[i, :, a:a + 9, b:b + 9] = 0.6
    return out


class CrumbSet:
    """Yields (images, labels) batches, the transform applied per batch."""

    def __init__(self, x, y, transform=None, batch_size=64, shuffle=False, seed=0):
        self.x, self.y, self.transform = x, y, transform
        self.bs, self.shuffle = batch_size, shuffle
        self.g = torch.Generator().manual_seed(seed)

    def __iter__(self):
        idx = torch.randperm(len(self.x), generator=self.g) if self.shuffle else \
            torch.arange(len(self.x))
        for i in range(0, len(idx), self.bs):
            j = idx[i:i + self.bs]
            xb = self.x[j]
            if self.transform is not None:
                xb = self.transform(xb, self.g)
            yield (xb - 0.6) / 0.25, self.y[j]


def build():
    torch.manual_seed(0)
    block = lambda a, b: [nn.Conv2d(a, b, 3, padding=1), nn.BatchNorm2d(b), nn.ReLU(),  # noqa: E731
                          nn.MaxPool2d(2)]
    return nn.Sequential(*block(1, 16), *block(16, 32), *block(32, 32), nn.Flatten(),
                         nn.Linear(32 * 3 * 3, 64), nn.ReLU(), nn.Linear(64, 4))


def main():
    from _hundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = slices(1200, g)
    xva, yva = slices(400, g)
    train_set = CrumbSet(xtr, ytr, transform=train_tf, shuffle=True, seed=1)
    val_set = CrumbSet(xva, yva, transform=train_tf, batch_size=200, seed=2)
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "crumb_history.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
        for epoch in range(1, 21):
            model.train()
            tl, tc, tn = 0.0, 0, 0
            for xb, yb in train_set:
                lo = model(xb)
                loss = F.cross_entropy(lo, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tl += loss.item() * len(yb)
                tc += (lo.argmax(1) == yb).sum().item()
                tn += len(yb)
            model.eval()
            vl, vc, vn = 0.0, 0, 0
            with torch.no_grad():
                for xb, yb in val_set:
                    lo = model(xb)
                    vl += F.cross_entropy(lo, yb, reduction="sum").item()
                    vc += (lo.argmax(1) == yb).sum().item()
                    vn += len(yb)
            row = [epoch, round(tl / tn, 4), round(tc / tn, 4), round(vl / vn, 4),
                   round(vc / vn, 4)]
            w.writerow(row)
            print(row)
    with torch.no_grad():
        clean = (model((xva - 0.6) / 0.25).argmax(1) == yva).float().mean().item()
    print("val acc on the un-augmented slices", clean)
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": 20,
                "classes": CLASSES, "norm": (0.6, 0.25)}, out / "crumb_grader.pt")
    finish(out, __file__, ((xva[:128] - 0.6) / 0.25, yva[:128]), causes=["eval_data_augmented"],
           checkpoint="crumb_grader.pt", log="crumb_history.csv",
           what="crumb-grading CNN, the validation set built with the training transform",
           complaint="Our crumb grader's validation numbers are all over the place. Train accuracy "
                     "climbs steadily to 0.95 (0.91 at epoch 20), but val accuracy jumps "
                     "0.885, 0.74, 0.86, 0.83 ... 0.93, 0.925, 0.87, 0.91, 0.885 from one epoch "
                     "to the next and val loss swings between 0.18 and 0.71 in the second half. When I "
                     "spot-check slices by hand the model looks better than that. Is it "
                     "overfitting, or is something unstable?")


if __name__ == "__main__":
    main()
