"""Traffic-sign classification (GTSRB-style crops) on synthetic 24×24 RGB signs, 8 classes:
stop (red octagon), yield (red-bordered inverted triangle), warning (red-bordered triangle),
speed limit (red ring on white), no entry (red disc with a white bar), mandatory (blue disc with
a white arrow), priority road (yellow diamond), parking (blue square with a white bar). Each
crop has a cluttered background (smooth colour gradient + blobs), a sign of random size (7–10 px
radius) and offset (± 2 px), brightness 0.5–1.2, a colour cast and sensor noise; stored as uint8
HWC arrays, as the crops come from the PNG files. A LeNet-style CNN without normalisation layers
(conv 3→16→32→64, ReLU, max-pool, a 64·3·3 → 128 → 8 MLP), SGD momentum 0.9, lr 0.01, batch 64,
8 epochs of 2400 crops; a CSV log per epoch.
Bug: the crops are turned into tensors with ``torch.from_numpy(a).permute(0, 3, 1, 2).float()``
and never divided by 255 (the ``ToTensor()`` that did it in the tutorial was replaced by a
faster array path), so the network sees 0–255 pixels with an lr tuned for 0–1 inputs: the first
step's activations are ~255× too large, the first SGD steps throw the weights far off, and the
ReLU net ends up predicting one class: train loss 6.88 in epoch 1, then 2.079–2.081 (ln 8 =
2.079) for 7 epochs, train accuracy 0.12–0.13, val accuracy 0.09–0.14 (0.14 at the end). The
control (``/ 255``) has a slow start (val accuracy 0.21, 0.19, 0.45 in epochs 1–3), then 0.62,
0.70, 0.84, 0.82, 0.92; val loss 0.20."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24
CLASSES = ["stop", "yield", "warning", "speed_limit", "no_entry", "mandatory", "priority",
           "parking"]
RED, WHITE, BLUE, YELLOW = (0.8, 0.1, 0.1), (0.95, 0.95, 0.95), (0.1, 0.3, 0.8), (0.95, 0.8, 0.1)


def polygon(xx, yy, k, r, rot):
    ang = np.arctan2(yy, xx) - rot
    sector = 2 * np.pi / k
    d = np.sqrt(xx ** 2 + yy ** 2) * np.cos((ang % sector) - sector / 2) / np.cos(sector / 2)
    return d < r


def sign(c, rng):
    yy, xx = np.mgrid[0:S, 0:S].astype(np.float32)
    img = np.zeros((S, S, 3), np.float32)
    g0, g1 = rng.random(3), rng.random(3)
    t = (xx / S)[..., None]
    img[:] = g0 * (1 - t) + g1 * t
    for _ in range(3):
        cy, cx, r = rng.random() * S, rng.random() * S, 2 + rng.random() * 4
        img[((yy - cy) ** 2 + (xx - cx) ** 2) < r ** 2] = rng.random(3)
    cy, cx = S / 2 + rng.uniform(-2, 2), S / 2 + rng.uniform(-2, 2)
    r = rng.uniform(7, 10)
    x, y = xx - cx, yy - cy
    disc = x ** 2 + y ** 2 < r ** 2
    inner = x ** 2 + y ** 2 < (0.72 * r) ** 2
    bar = (np.abs(y) < 0.18 * r) & (np.abs(x) < 0.6 * r)
    if c == 0:
        img[polygon(x, y, 8, r, np.pi / 8)] = RED
    elif c in (1, 2):
        flip = -1 if c == 1 else 1
        outer = polygon(x, flip * y, 3, r, -np.pi / 2)
        img[outer] = RED
        img[polygon(x, flip * y, 3, 0.6 * r, -np.pi / 2)] = WHITE
    elif c == 3:
        img[disc] = RED
        img[inner] = WHITE
    elif c == 4:
        img[disc] = RED
        img[bar] = WHITE
    elif c == 5:
        img[disc] = BLUE
        img[(np.abs(x) < 0.15 * r) & (y > -0.5 * r) & (y < 0.6 * r)] = WHITE
        img[(np.abs(x) < 0.45 * r - 0.6 * (y + 0.5 * r).clip(0)) & (y > -0.6 * r) & (y < -0.1 * r)] = WHITE
    elif c == 6:
        img[polygon(x, y, 4, r, 0)] = YELLOW
    else:
        img[(np.abs(x) < 0.75 * r) & (np.abs(y) < 0.75 * r)] = BLUE
        img[(np.abs(x) < 0.15 * r) & (np.abs(y) < 0.5 * r)] = WHITE
    img = img * rng.uniform(0.5, 1.2) * (1 + rng.uniform(-0.1, 0.1, 3))
    img = img + rng.normal(0, 0.04, img.shape)
    return (img.clip(0, 1) * 255).astype(np.uint8)


def crops(n, rng):
    y = rng.integers(0, 8, n)
    return np.stack([sign(int(c), rng) for c in y]), y


def to_tensor(a):
    """uint8 NHWC crops → float NCHW (replaces torchvision's ToTensor for speed)."""
    return torch.from_numpy(a).permute(0, 3, 1, 2).float()


class LeNetSigns(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2, self.c3 = nn.Conv2d(3, 16, 3, padding=1), nn.Conv2d(16, 32, 3, padding=1), nn.Conv2d(32, 64, 3, padding=1)
        self.fc1, self.fc2 = nn.Linear(64 * 3 * 3, 128), nn.Linear(128, 8)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        x = F.max_pool2d(F.relu(self.c3(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def build():
    torch.manual_seed(0)
    return LeNetSigns()


def main():
    from _ninetyfifth import finish, out_dir
    out = out_dir(__file__)
    rng = np.random.default_rng(0)
    a, y = crops(3000, rng)
    x, y = to_tensor(a), torch.from_numpy(y).long()
    xtr, ytr, xva, yva = x[:2400], y[:2400], x[2400:], y[2400:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    g = torch.Generator().manual_seed(0)
    f = open(out / "signs_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
    for epoch in range(8):
        model.train()
        perm = torch.randperm(2400, generator=g)
        tot, hit = 0.0, 0
        for i in range(0, 2400, 64):
            idx = perm[i:i + 64]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            row = [epoch, round(tot / 2400, 4), round(hit / 2400, 4),
                   round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 7, "classes": CLASSES, "input_size": S}, out / "lenet_signs.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="lenet_signs.pth", log="signs_train.csv",
           what="traffic-sign LeNet, uint8 crops fed as 0–255 floats (no /255)",
           complaint="我用 LeNet 训练交通标志分类（8 类，24×24 彩色小图）。第一个 epoch 训练 loss 是 "
                     "6.88，之后 7 个 epoch 一直卡在 2.079 左右完全不动，训练准确率 12%–13%，"
                     "验证准确率最后只有 0.14，跟随机猜差不多。数据我看过，图片和标签都是对的。")


if __name__ == "__main__":
    main()
