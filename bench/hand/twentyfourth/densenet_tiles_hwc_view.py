"""DenseNet-style CNN (Huang et al. 2017, a tiny one) sorts 12 x 12 colour tiles from a
factory camera into four defect kinds: a blob, a scratch along the rows, a scratch along the
columns, a ring; the colour and brightness of the tile and of the defect vary, with sensor
noise. The frames come as one uint8 array of shape (N, 12, 12, 3), as saved by the camera
software. Stem conv 3 -> 16, dense block (3 BN-ReLU-conv3x3 layers, growth 12), transition
(BN-ReLU-conv1x1 to 32 + 2 x 2 average pooling), second dense block (3 layers), BN-ReLU, global
average pooling, linear. Adam 1e-3, batch 64, 8 epochs, cross-entropy. Bug: the frames go to
NCHW with ``x.view(-1, 3, 12, 12)`` instead of ``x.permute(0, 3, 1, 2)``: every "channel" is a
strip of interleaved R, G, B values from four image rows. Train loss 1.19 -> 0.13 (train acc
0.97), val loss 0.58 at epoch 3, 0.31 at epoch 5, 0.37 at the end, val acc 0.72-0.90, 0.84 at
the end (with permute: train 1.27 -> 0.16, acc 0.96, val loss 0.18, val acc 0.95)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 12


def tiles(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    img = torch.empty(n, S, S, 3)
    for i in range(n):
        bg = torch.rand(3, generator=g) * 0.5 + 0.2
        fg = torch.rand(3, generator=g)
        cy, cx = (torch.rand(2, generator=g) * 6 + 3).tolist()
        k = int(y[i])
        if k == 0:
            m = ((yy - cy) ** 2 + (xx - cx) ** 2) < 5
        elif k == 1:
            m = ((yy - cy).abs() < 1) & ((xx - cx).abs() < 5)
        elif k == 2:
            m = ((xx - cx).abs() < 1) & ((yy - cy).abs() < 5)
        else:
            r = ((yy - cy) ** 2 + (xx - cx) ** 2).sqrt()
            m = (r > 2) & (r < 3.2)
        img[i] = torch.where(m[..., None], fg, bg)
    img = img + 0.08 * torch.randn(n, S, S, 3, generator=g)
    return (img.clamp(0, 1) * 255).to(torch.uint8), y


def to_input(frames):
    x = frames.float() / 255.0
    x = x.view(-1, 3, S, S)
    return (x - 0.5) / 0.25


class DenseLayer(nn.Module):
    def __init__(self, c_in, growth):
        super().__init__()
        self.bn = nn.BatchNorm2d(c_in)
        self.conv = nn.Conv2d(c_in, growth, 3, padding=1, bias=False)

    def forward(self, x):
        return torch.cat([x, self.conv(F.relu(self.bn(x)))], 1)


class TinyDenseNet(nn.Module):
    def __init__(self, growth=12, classes=4):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        c = 16
        layers = []
        for _ in range(3):
            layers.append(DenseLayer(c, growth))
            c += growth
        self.block1 = nn.Sequential(*layers)
        self.trans = nn.Sequential(nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, 32, 1, bias=False),
                                   nn.AvgPool2d(2))
        c = 32
        layers = []
        for _ in range(3):
            layers.append(DenseLayer(c, growth))
            c += growth
        self.block2 = nn.Sequential(*layers)
        self.norm = nn.BatchNorm2d(c)
        self.fc = nn.Linear(c, classes)

    def forward(self, x):
        x = self.block2(self.trans(self.block1(self.stem(x))))
        x = F.relu(self.norm(x)).mean((2, 3))
        return self.fc(x)


def build():
    torch.manual_seed(0)
    return TinyDenseNet()


def main():
    from _twentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    frames, y = tiles(2400, g)
    x = to_input(frames)
    tx, ty, vx, vy = x[:2000], y[:2000], x[2000:], y[2000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "train_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "step", "train_loss", "train_acc", "val_loss", "val_acc"])
    step = 0
    for epoch in range(8):
        model.train()
        tot, hit = 0.0, 0
        for idx in torch.randperm(2000, generator=g).split(64):
            logits = model(tx[idx])
            loss = F.cross_entropy(logits, ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ty[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            v = model(vx)
        row = [epoch, step, round(tot / 2000, 4), round(hit / 2000, 4),
               round(F.cross_entropy(v, vy).item(), 4),
               round((v.argmax(1) == vy).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "epoch": epoch, "step": step}, out / "densenet_tiles.pth")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["input_layout_scrambled"],
           checkpoint="densenet_tiles.pth", log="train_log.csv",
           what="tiny DenseNet fed (N, H, W, C) camera frames reshaped to NCHW with view() "
                "instead of permute()",
           complaint="Small DenseNet on our defect tiles: train accuracy 97 % but validation jumps "
                     "between 0.72 and 0.90 and ends at 0.84, val loss twice the train loss. "
                     "Is it over-fitting? Should I add augmentation?")


if __name__ == "__main__":
    main()
