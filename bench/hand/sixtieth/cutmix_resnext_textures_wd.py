"""A CutMix-trained ResNeXt-lite on synthetic 24×24 grey textures of 6 classes: a class is one
of three orientations (0°, 60°, 120°) × two spatial frequencies of a grating, with random
phase, contrast 0.6–1.4, a smooth illumination blob and pixel noise σ 0.8. Stem conv 1 → 32
(BN, ReLU), two ResNeXt bottleneck blocks (1×1 → grouped 3×3 with cardinality 8 → 1×1, BN,
identity / strided-1×1 shortcut; the second block downsamples), global average pool, linear
head. Every batch is CutMixed (λ ~ Beta(1, 1), a box of area 1 − λ pasted from a shuffled
copy; the soft target λ·onehot(y) + (1 − λ)·onehot(y')), loss = soft-target cross-entropy.
SGD 0.1 momentum 0.9, batch 32, 5 epochs of 1200 textures; CSV log (``mix_loss`` every 10 steps;
``val_loss`` / ``val_top1`` per epoch on clean images); checkpoint dict ``net`` /
``optimizer`` / ``epoch`` / ``cutmix_alpha``.
Bug: ``WEIGHT_DECAY = 5e-2`` (SGD momentum 0.9, lr 0.1: a 5e-2 L2 term on every weight, the head and
BatchNorm scales included; "5e-4" mistyped), which pins the weights near zero: the mixed
training loss stays near its start and the clean validation accuracy is far below the control's
(control ``WEIGHT_DECAY = 5e-4``)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE, CLASSES = 24, 6
WEIGHT_DECAY = 5e-2  # the bug: 5e-4 is the control


def textures(n, g):
    y = torch.randint(0, CLASSES, (n,), generator=g)
    angle = (y % 3).float() * torch.pi / 3
    freq = torch.where(y < 3, 0.45, 1.1) * (0.9 + 0.2 * torch.rand(n, generator=g))
    phase = 2 * torch.pi * torch.rand(n, generator=g)
    r = torch.arange(SIZE).float()
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    proj = xx[None] * torch.cos(angle)[:, None, None] + yy[None] * torch.sin(angle)[:, None, None]
    contrast = 0.6 + 0.8 * torch.rand(n, 1, 1, generator=g)
    cx, cy = torch.rand(2, n, 1, 1, generator=g) * SIZE
    blob = torch.exp(-((xx[None] - cx) ** 2 + (yy[None] - cy) ** 2) / 60.0)
    x = contrast * torch.sin(freq[:, None, None] * proj + phase[:, None, None]) + blob
    x = x + 0.8 * torch.randn(n, SIZE, SIZE, generator=g)
    return x[:, None], y


class Bottleneck(nn.Module):
    def __init__(self, cin, cout, stride, cardinality=8):
        super().__init__()
        mid = cout
        self.body = nn.Sequential(
            nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU(),
            nn.Conv2d(mid, mid, 3, stride, 1, groups=cardinality, bias=False),
            nn.BatchNorm2d(mid), nn.ReLU(),
            nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.short = (nn.Identity() if stride == 1 and cin == cout else
                      nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                    nn.BatchNorm2d(cout)))

    def forward(self, x):
        return F.relu(self.body(x) + self.short(x))


class ResNeXtLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32),
                                  nn.ReLU())
        self.blocks = nn.Sequential(Bottleneck(32, 32, 1), Bottleneck(32, 64, 2))
        self.head = nn.Linear(64, CLASSES)

    def forward(self, x):
        return self.head(self.blocks(self.stem(x)).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return ResNeXtLite()


def cutmix(x, y, g, alpha=1.0):
    lam = float(torch.rand(1, generator=g))  # Beta(1, 1) is uniform
    perm = torch.randperm(len(x), generator=g)
    cut = (1 - lam) ** 0.5
    h = w = int(SIZE * cut)
    cy, cx = (int(v) for v in torch.randint(0, SIZE, (2,), generator=g))
    y0, y1 = max(cy - h // 2, 0), min(cy + h // 2, SIZE)
    x0, x1 = max(cx - w // 2, 0), min(cx + w // 2, SIZE)
    x = x.clone()
    x[:, :, y0:y1, x0:x1] = x[perm, :, y0:y1, x0:x1]
    lam = 1 - (y1 - y0) * (x1 - x0) / SIZE ** 2
    soft = lam * F.one_hot(y, CLASSES).float() + (1 - lam) * F.one_hot(y[perm], CLASSES).float()
    return x, soft


def main():
    from _sixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xt, yt = textures(1200, g)
    xv, yv = textures(400, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=WEIGHT_DECAY)
    step = 0
    with open(out / "cutmix_log.csv", "w", newline="") as fh:
        log = csv.writer(fh)
        log.writerow(["step", "epoch", "mix_loss", "val_loss", "val_top1"])
        for epoch in range(5):
            model.train()
            for idx in torch.randperm(1200, generator=g).split(32):
                xb, soft = cutmix(xt[idx], yt[idx], g)
                loss = -(soft * F.log_softmax(model(xb), 1)).sum(1).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    log.writerow([step, epoch, round(loss.item(), 5), "", ""])
            model.eval()
            with torch.no_grad():
                lv = model(xv)
                vl = F.cross_entropy(lv, yv).item()
                va = (lv.argmax(1) == yv).float().mean().item()
            log.writerow([step, epoch, "", round(vl, 5), round(va, 4)])
            print(epoch, round(loss.item(), 4), round(vl, 4), round(va, 4))
    torch.save({"net": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 4,
                "cutmix_alpha": 1.0}, out / "resnext.pt")
    finish(out, __file__, (xv[:64], yv[:64]), causes=["over_regularization"],
           checkpoint="resnext.pt", log="cutmix_log.csv",
           what="CutMix ResNeXt-lite (cardinality 8) on 6 synthetic texture classes, "
                "SGD weight_decay 5e-2",
           complaint="ResNeXt with CutMix on my texture dataset: the training loss hardly "
                     "moves from where it started and validation accuracy is stuck way below "
                     "what I'd expect for such simple gratings. I know CutMix makes the train "
                     "loss noisy, but this seems like it's barely learning")


if __name__ == "__main__":
    main()
