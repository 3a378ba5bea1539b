"""A Network-in-Network (Lin et al.: three "mlpconv" blocks, each a 3×3 or 5×5 conv followed by
two 1×1 convs with ReLU, max-pooling between blocks and dropout after the second, the last block
giving one map
per class and global average pooling as the classifier, no fully connected layer) on 32×32
grey images, trained in a plain PyTorch loop to sort scanned fabric swatches into 5 weaves
(horizontal, vertical, two diagonal
twills, checks; random period 5–9 px, phase, contrast and sensor noise). The scans sit in a folder
as
``img_0.png … img_639.png`` and the labels in ``labels.csv`` in id order (row i is img_i).
AdamW 3e-3, weight decay 0.05, batch 64, 10 epochs, CSV log per epoch.

The bug: the loader lists the folder with ``sorted(os.listdir(...))``, which sorts the names as
strings (img_0, img_1, img_10, img_100, …, img_2, …) and then zips that list
with the CSV's labels in numeric order. Only a handful of files keep their own label; the
validation split is read by the same loader, so it is scrambled too. Nothing is left to learn:
train loss 1.607 and val loss 1.602 stay at ln 5 = 1.609 for all 10 epochs, val accuracy 0.25 (the
most frequent class) every epoch. Control (``key=lambda f: int(f[4:-4])``): val acc 0.925, val
loss 0.20."""
import csv
import io

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE, CLASSES = 32, 5


def swatch(cls, g):
    yy, xx = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(), indexing="ij")
    w = 6.28 / float(5 + 4 * torch.rand(1, generator=g))
    ph = float(6.28 * torch.rand(1, generator=g))
    pattern = [torch.sin(w * yy + ph), torch.sin(w * xx + ph), torch.sin(w * (xx + yy) / 1.41 + ph),
               torch.sin(w * (xx - yy) / 1.41 + ph),
               torch.sin(w * xx + ph) * torch.sin(w * yy + ph) * 2][cls].clamp(-1, 1)
    contrast = 0.4 + 0.6 * float(torch.rand(1, generator=g))
    return contrast * pattern + 0.3 * torch.randn(SIZE, SIZE, generator=g)


def scan_folder(n, g):
    """What the scanner wrote: {file name: image} and labels.csv text in id order."""
    labels = torch.randint(0, CLASSES, (n,), generator=g)
    disk = {f"img_{i}.png": swatch(int(labels[i]), g) for i in range(n)}
    text = "file,label\n" + "".join(f"img_{i}.png,{int(labels[i])}\n" for i in range(n))
    return disk, text


def load(disk, text):
    files = sorted(disk)  # as sorted(os.listdir(folder))
    rows = list(csv.DictReader(io.StringIO(text)))
    x = torch.stack([disk[f] for f in files])[:, None]
    y = torch.tensor([int(r["label"]) for r in rows])
    return x, y


def mlpconv(cin, cout, k, last=None):
    return [nn.Conv2d(cin, cout, k, padding=k // 2), nn.ReLU(), nn.Conv2d(cout, cout, 1),
            nn.ReLU(), nn.Conv2d(cout, last or cout, 1), nn.ReLU() if last is None else
            nn.Identity()]


class NiN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            *mlpconv(1, 16, 5), nn.MaxPool2d(2),
            *mlpconv(16, 32, 3), nn.MaxPool2d(2), nn.Dropout(0.2),
            *mlpconv(32, 32, 3, last=CLASSES))

    def forward(self, x):
        return self.features(x).mean((2, 3))


def build():
    torch.manual_seed(0)
    return NiN()


def main():
    from _seventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = load(*scan_folder(640, g))
    xva, yva = load(*scan_folder(200, g))
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.05)
    log = open(out / "nin_swatchs_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "loss", "val_loss", "val_top1"])
    for epoch in range(10):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(64):
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            vloss = F.cross_entropy(logits, yva).item()
            acc = (logits.argmax(1) == yva).float().mean().item()
        row = [epoch + 1, round(tot / len(xtr), 4), round(vloss, 4), round(acc, 4)]
        w.writerow(row)
        print(row)
    log.close()
    torch.save({"nin_weights": model.state_dict(), "adamw_state": opt.state_dict(), "epoch": 10},
               out / "nin_swatchs_ep10.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="nin_swatchs_ep10.pt", log="nin_swatchs_log.csv",
           what="Network-in-Network on swatch scans whose files are sorted as strings against labels "  # noqa: E501
                "in id order",
           complaint="My Network-in-Network swatch classifier won't learn: the loss doesn't move "
                     "at all, train or validation, and accuracy is stuck at 25% for 5 weave "
                     "types from the first epoch to the last. The patterns are easy to tell "
                     "apart by eye.")


if __name__ == "__main__":
    main()
