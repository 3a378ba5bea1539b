"""A Wide-ResNet-lite (WRN-style pre-activation residual blocks, widening factor 1: a stem conv
8, three stages of one block each at 8, 16 and 32 channels, strides 1-2-2, BN-ReLU-conv order,
global average pooling, a linear head) classifies synthetic 20×20 RGB road-sign crops into 5
shapes (circle, triangle, inverted triangle, square, diamond). Fill and border colours, size,
position jitter and background are random, so only the shape tells the class; 3 % of the labels
are wrong. The crops come as a uint8 array ``(N, 20, 20, 3)`` — height, width, channels, the way
PIL / OpenCV export them. SGD momentum 0.9, lr 0.05, weight decay 5e-4, a per-epoch cosine decay,
batch 64, 6 epochs of 1280 crops (256 for validation); a CSV per epoch
(``epoch,train_ce,valid_ce,valid_top1``); checkpoint dict ``wrn`` / ``sgd`` / ``cosine`` (+
``epochs``).
Bug: the array is turned into a tensor with
``torch.from_numpy(arr).float().div(255).view(-1, 3, 20, 20)`` — ``view`` reinterprets the
HWC buffer instead of moving the channel axis (``permute(0, 3, 1, 2)``), so each of the three
"channel" planes is a third of the image's rows with R, G and B interleaved along each row: the
shapes are torn apart. Train cross-entropy falls slowly (0.89 after 6 epochs), val top-1 ends at
0.55 (the control with ``permute``: train 0.34, val top-1 0.93)."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE, CLASSES = 20, 5


def signs(n, rng):
    """uint8 (n, 20, 20, 3) crops and int64 labels, as a data export would hand them over."""
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    y = rng.integers(0, CLASSES, n)
    imgs = np.empty((n, SIZE, SIZE, 3), np.float32)
    for i in range(n):
        cy, cx = SIZE / 2 + rng.uniform(-2, 2, 2)
        r = rng.uniform(5, 8)
        dy, dx = (yy - cy) / r, (xx - cx) / r
        k = y[i]
        if k == 0:
            d = np.sqrt(dy ** 2 + dx ** 2)
        elif k == 1:
            d = np.maximum(-dy * 0.9, np.abs(dx) * 0.87 + dy * 0.5) * 1.3
        elif k == 2:
            d = np.maximum(dy * 0.9, np.abs(dx) * 0.87 - dy * 0.5) * 1.3
        elif k == 3:
            d = np.maximum(np.abs(dy), np.abs(dx)) * 1.1
        else:
            d = (np.abs(dy) + np.abs(dx)) * 0.9
        inside, border = d < 0.78, (d >= 0.78) & (d < 1.0)
        bg, fill, edge = rng.uniform(0, 1, (3, 3))
        img = np.broadcast_to(bg, (SIZE, SIZE, 3)).copy()
        img[inside], img[border] = fill, edge
        imgs[i] = img + rng.normal(0, 0.06, (SIZE, SIZE, 3))
    flip = rng.uniform(size=n) < 0.03
    y = np.where(flip, (y + rng.integers(1, CLASSES, n)) % CLASSES, y)
    return (np.clip(imgs, 0, 1) * 255).astype(np.uint8), y.astype(np.int64)


def to_tensor(arr):
    return torch.from_numpy(arr).float().div(255).view(-1, 3, SIZE, SIZE)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1, self.conv1 = nn.BatchNorm2d(cin), nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2, self.conv2 = nn.BatchNorm2d(cout), nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.short = (nn.Conv2d(cin, cout, 1, stride, bias=False)
                      if (cin != cout or stride > 1) else None)

    def forward(self, x):
        o = F.relu(self.bn1(x))
        s = self.short(o) if self.short is not None else x
        return s + self.conv2(F.relu(self.bn2(self.conv1(o))))


class WRN(nn.Module):
    def __init__(self, k=1):
        super().__init__()
        self.stem = nn.Conv2d(3, 8 * k, 3, 1, 1, bias=False)
        self.stages = nn.Sequential(Block(8 * k, 8 * k, 1), Block(8 * k, 16 * k, 2),
                                    Block(16 * k, 32 * k, 2))
        self.bn = nn.BatchNorm2d(32 * k)
        self.fc = nn.Linear(32 * k, CLASSES)

    def forward(self, x):
        h = F.relu(self.bn(self.stages(self.stem(x))))
        return self.fc(h.mean((2, 3)))


def build():
    torch.manual_seed(0)
    return WRN()


def main():
    from _seventythird import finish, out_dir
    out = out_dir(__file__)
    rng = np.random.default_rng(0)
    arr, lab = signs(1536, rng)
    x, y = to_tensor(arr), torch.from_numpy(lab)
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 6)
    g = torch.Generator().manual_seed(0)
    with open(out / "wrn_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_ce", "valid_ce", "valid_top1"])
        for epoch in range(6):
            model.train()
            tot = 0.0
            for idx in torch.randperm(len(xtr), generator=g).split(64):
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            sched.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
                vl = F.cross_entropy(logits, yva).item()
                acc = (logits.argmax(1) == yva).float().mean().item()
            w.writerow([epoch + 1, f"{tot / len(xtr):.4f}", f"{vl:.4f}", f"{acc:.4f}"])
            print(epoch + 1, round(tot / len(xtr), 4), round(vl, 4), round(acc, 4))
    torch.save({"wrn": model.state_dict(), "sgd": opt.state_dict(),
                "cosine": sched.state_dict(), "epochs": 6}, out / "wrn_signs.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_layout_scrambled"],
           checkpoint="wrn_signs.pt", log="wrn_log.csv",
           what="WRN-lite on HWC uint8 road-sign crops turned into NCHW with view(), not permute",
           complaint="My small wide ResNet on road-sign shapes only gets about half of the "
                     "validation crops right, and the same kind of network gets near-perfect "
                     "accuracy on this sort of data in the tutorial. Training loss goes down, "
                     "just slowly.")


if __name__ == "__main__":
    main()
