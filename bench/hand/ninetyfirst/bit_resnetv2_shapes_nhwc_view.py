"""Big Transfer (BiT) style ResNetV2 on synthetic 32×32 colour bars in 4 classes (horizontal,
vertical, the two diagonals), 14–24 px long and 2.4–4.4 px thick at a random place, random bar
and background colours, pixel noise. The images come out of the data helper the way PIL / numpy hands them
over: a uint8 array ``(N, H, W, C)``. Model: weight-standardised convolutions (StdConv2d) with
GroupNorm(8) in pre-activation bottleneck blocks (root conv 16, a block 16→32, a block 32→64 with
stride 2), a final GroupNorm + ReLU, global pooling and a zero-initialised linear head as in
BiT. SGD momentum 0.9, lr 0.03 with 20 warm-up steps (the BiT-HyperRule), batch 32, 6 epochs of
1024 images; a CSV log per epoch ``epoch,train_loss,val_loss,val_top1``.
Bug: the batch is turned into a tensor with ``torch.from_numpy(x).float().div(255).view(-1, 3,
32, 32)`` — ``view`` reinterprets the NHWC bytes as NCHW instead of moving the channel axis
(``permute(0, 3, 1, 2)``), so each "channel plane" is a third of the image with R, G, B
interleaved along the rows: the bars are scrambled and the net learns far less than it should: val top-1 0.79 and val
loss 0.50 after 6 epochs, where the same script with ``permute`` reaches 0.97 / 0.11 (both sit
at chance for two epochs while the zero head and the warm-up get going)."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 32


def shapes_nhwc(n, rng):
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    y = rng.integers(0, 4, n)
    imgs = np.zeros((n, SIZE, SIZE, 3), np.float32)
    for i in range(n):
        r = rng.uniform(7, 12)
        cy, cx = rng.uniform(r, SIZE - r, 2)
        dy, dx = yy - cy, xx - cx
        t = rng.uniform(1.2, 2.2)
        along, across = [(dx, dy), (dy, dx), ((dx + dy) / 1.41, (dx - dy) / 1.41),
                         ((dx - dy) / 1.41, (dx + dy) / 1.41)][y[i]]
        m = (np.abs(along) < r) & (np.abs(across) < t)
        bg, fg = rng.uniform(0, 1, 3), rng.uniform(0, 1, 3)
        while np.abs(fg - bg).sum() < 0.6:
            fg = rng.uniform(0, 1, 3)
        imgs[i] = np.where(m[..., None], fg, bg)
    imgs += rng.normal(0, 0.08, imgs.shape)
    return (np.clip(imgs, 0, 1) * 255).astype(np.uint8), y


class StdConv2d(nn.Conv2d):
    def forward(self, x):
        w = self.weight
        v, m = torch.var_mean(w, dim=(1, 2, 3), keepdim=True, unbiased=False)
        return F.conv2d(x, (w - m) / torch.sqrt(v + 1e-10), self.bias, self.stride, self.padding)


class PreActBottleneck(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        mid = cout // 4
        self.gn1, self.conv1 = nn.GroupNorm(8, cin), StdConv2d(cin, mid, 1, bias=False)
        self.gn2, self.conv2 = nn.GroupNorm(4, mid), StdConv2d(mid, mid, 3, stride, 1, bias=False)
        self.gn3, self.conv3 = nn.GroupNorm(8, mid), StdConv2d(mid, cout, 1, bias=False)
        self.downsample = StdConv2d(cin, cout, 1, stride, bias=False)

    def forward(self, x):
        out = F.relu(self.gn1(x))
        residual = self.downsample(out)
        out = self.conv1(out)
        out = self.conv2(F.relu(self.gn2(out)))
        out = self.conv3(F.relu(self.gn3(out)))
        return out + residual


class ResNetV2(nn.Module):
    def __init__(self, classes=4):
        super().__init__()
        self.root = StdConv2d(3, 16, 3, 1, 1, bias=False)
        self.block1 = PreActBottleneck(16, 32, 1)
        self.block2 = PreActBottleneck(32, 64, 2)
        self.gn = nn.GroupNorm(8, 64)
        self.head = nn.Linear(64, classes)
        nn.init.zeros_(self.head.weight)  # BiT: zero-initialised head
        nn.init.zeros_(self.head.bias)

    def forward(self, x):
        x = F.max_pool2d(self.root(x), 2)
        x = F.relu(self.gn(self.block2(self.block1(x))))
        return self.head(x.mean((2, 3)))


def build():
    torch.manual_seed(0)
    return ResNetV2()


def to_tensor(x):
    return torch.from_numpy(x).float().div(255).view(-1, 3, SIZE, SIZE)


def main():
    from _ninetyfirst import finish, out_dir
    out = out_dir(__file__)
    rng = np.random.default_rng(0)
    xtr, ytr = shapes_nhwc(1024, rng)
    xva, yva = shapes_nhwc(256, rng)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 20))
    g = torch.Generator().manual_seed(0)
    f = open(out / "bit_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_loss", "val_top1"])
    step = 0
    for epoch in range(6):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            xb, yb = to_tensor(xtr[idx.numpy()]), torch.from_numpy(ytr[idx.numpy()])
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(to_tensor(xva))
            yv = torch.from_numpy(yva)
            vl = F.cross_entropy(logits, yv).item()
            acc = (logits.argmax(1) == yv).float().mean().item()
        w.writerow([epoch + 1, round(tot / len(xtr), 4), round(vl, 4), round(acc, 4)])
        print(epoch + 1, tot / len(xtr), vl, acc)
    f.close()
    torch.save({"model": model.state_dict(), "sgd": opt.state_dict(), "global_step": step},
               out / "bit_r_step192.pth")
    finish(out, __file__, (to_tensor(xva[:64]), torch.from_numpy(yva[:64]).long()),
           causes=["input_layout_scrambled"], checkpoint="bit_r_step192.pth", log="bit_log.csv",
           what="BiT ResNetV2 (GN + WS) on oriented bars, NHWC uint8 images view()-ed to NCHW",
           complaint="My little BiT-style ResNet only gets ~78% on telling four bar "
                     "orientations apart (horizontal, vertical, two diagonals) after 6 epochs, "
                     "and the train loss is no better than val. The bars are big and clear, "
                     "a human gets 100%. What's going on?")


if __name__ == "__main__":
    main()
