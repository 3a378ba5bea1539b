"""A small AlexNet on synthetic 32×32 RGB "road signs" in 8 classes (disc, ring, triangle,
inverted triangle, square, diamond, cross, horizontal bar), random size and position, a bright
tinted sign on a dark random background, pixel noise 0.1. AlexNet's layout shrunk: conv 5×5
16 stride 2 → max-pool → conv 5×5 32 → max-pool → three 3×3 convs (48, 48, 32) → max-pool → FC
128 → FC 128 → 8, ReLU throughout, He init for the convs, dropout 0.5 before the FC layers as
in the paper. SGD momentum 0.9, lr 0.02, batch 32, 10 epochs of 1536 images; a CSV log per epoch (``epoch,train_loss,train_acc,val_loss,
val_acc``) and a checkpoint ``{"weights", "sgd", "epoch", "classes"}``.

The bug: the features block was written with a helper ``block(cin, cout, k)`` that returns
``[Conv2d, ReLU, Dropout(0.5)]`` — "AlexNet uses dropout 0.5", copied from the classifier — so
every one of the five convolutions is followed by element-wise dropout 0.5. Half of every
feature map is zeroed in training, five times over: the training accuracy crawls to 0.30 and the
validation accuracy stays at chance (0.12, val loss rising 2.08 → 2.64) after 10 epochs. The
control without the conv dropout plateaus for 3 epochs and then reaches train 0.80 (with the FC
dropout on) and val 0.89, val loss 0.21."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ["disc", "ring", "triangle", "inv_triangle", "square", "diamond", "cross", "bar"]


def signs(n, g):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 32), torch.linspace(-1, 1, 32), indexing="ij")
    y = torch.randint(0, 8, (n,), generator=g)
    r = 0.35 + 0.3 * torch.rand(n, 1, 1, generator=g)
    cy, cx = [(torch.rand(n, 1, 1, generator=g) - 0.5) * 0.6 for _ in range(2)]
    u, v = (xx[None] - cx) / r, (yy[None] - cy) / r
    masks = torch.stack([
        u ** 2 + v ** 2 < 1,
        ((u ** 2 + v ** 2) < 1) & ((u ** 2 + v ** 2) > 0.4),
        (v < 0.7) & (v > 1.4 * u.abs() - 0.7),
        (v > -0.7) & (-v > 1.4 * u.abs() - 0.7),
        (u.abs() < 0.8) & (v.abs() < 0.8),
        u.abs() + v.abs() < 1,
        ((u.abs() < 0.25) | (v.abs() < 0.25)) & (u.abs() < 1) & (v.abs() < 1),
        (v.abs() < 0.3) & (u.abs() < 1),
    ])[y, torch.arange(n)].float()
    tint = 0.7 + 0.3 * torch.rand(n, 3, 1, 1, generator=g)
    fg = (0.6 + 0.4 * torch.rand(n, 1, 1, 1, generator=g)) * tint
    bg = 0.35 * torch.rand(n, 3, 1, 1, generator=g)
    img = bg + (fg - bg) * masks[:, None] + 0.1 * torch.randn(n, 3, 32, 32, generator=g)
    return (img - 0.5) / 0.3, y


def block(cin, cout, k, stride=1):
    return [nn.Conv2d(cin, cout, k, stride, padding=k // 2), nn.ReLU(inplace=True),
            nn.Dropout(0.5)]


class AlexNet(nn.Module):
    def __init__(self, classes=8):
        super().__init__()
        self.features = nn.Sequential(
            *block(3, 16, 5, stride=2), nn.MaxPool2d(2),
            *block(16, 32, 5), nn.MaxPool2d(2),
            *block(32, 48, 3), *block(48, 48, 3), *block(48, 32, 3), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Dropout(0.5), nn.Linear(32 * 2 * 2, 128), nn.ReLU(inplace=True),
            nn.Dropout(0.5), nn.Linear(128, 128), nn.ReLU(inplace=True), nn.Linear(128, classes))
        for m in self.modules():  # He init for the convs (ReLU)
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


def build():
    torch.manual_seed(0)
    return AlexNet()


def main():
    from _seventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = signs(1920, g)
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    with open(out / "signs_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(10):
            model.train()
            tot, hit = 0.0, 0
            for idx in torch.randperm(len(xtr), generator=g).split(32):
                logits = model(xtr[idx])
                loss = F.cross_entropy(logits, ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                hit += (logits.argmax(1) == ytr[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                vloss = F.cross_entropy(lv, yva).item()
                vacc = (lv.argmax(1) == yva).float().mean().item()
            row = [epoch + 1, round(tot / len(xtr), 4), round(hit / len(xtr), 4),
                   round(vloss, 4), round(vacc, 4)]
            w.writerow(row)
            print(row)
    torch.save({"weights": model.state_dict(), "sgd": opt.state_dict(), "epoch": 10,
                "classes": CLASSES}, out / "alexnet_signs.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dropout_in_conv"],
           checkpoint="alexnet_signs.pth", log="signs_log.csv",
           what="small AlexNet on synthetic signs; Dropout(0.5) after every conv",
           complaint="My little AlexNet on the sign images gets about 30% on the training "
                     "set and the validation accuracy sits at 12%, basically guessing, while "
                     "the val loss even goes up. The shapes are easy to tell apart by eye.")


if __name__ == "__main__":
    main()
