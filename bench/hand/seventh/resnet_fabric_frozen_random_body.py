"""Fabric inspection: 1x24x24 grey weave patches with one of 5 defect types, a small ResNet
with BatchNorm (as resnet_textures_ok), SGD + momentum 0.9, lr 0.05, weight decay 5e-4,
cosine over 8 epochs, batch 64, shuffled. Meant as a fine-tune: load the body trained on the
old defect set, freeze it, train a new ``fc``. Bug: the pretrained file is not in the run
folder and the ``if os.path.exists(...)`` guard skips the load silently, so a randomly
initialised body is frozen and only the 125-parameter head learns: val accuracy 0.55
(training everything from scratch: 0.93)."""
import csv
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["none", "hole", "slub", "stain", "broken_pick"]


def fabric(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(24.0), torch.arange(24.0), indexing="ij")
    ang = math.pi * torch.rand(n, 1, 1, generator=g)
    weave = torch.sin((xx * torch.cos(ang) + yy * torch.sin(ang)) * 1.6)
    img = (0.5 + 0.5 * torch.rand(n, 1, 1, generator=g)) * weave
    cy, cx = (4 + 16 * torch.rand(n, 2, 1, 1, generator=g)).unbind(1)
    d2 = (yy - cy) ** 2 + (xx - cx) ** 2
    hole = (d2 < 6).float()
    line = (torch.abs(yy - cy) < 1.0).float()
    stain = torch.exp(-d2 / 18)
    pick = (torch.abs(xx - cx) < 1.0).float()
    img = torch.where((y == 1)[:, None, None] & (hole > 0), -1.5, img)
    img = img + (y == 2)[:, None, None] * 1.2 * line
    img = img + (y == 3)[:, None, None] * 1.0 * stain
    img = torch.where((y == 4)[:, None, None] & (pick > 0), 0.0, img)
    return (img + 0.3 * torch.randn(n, 24, 24, generator=g))[:, None], y


class Block(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                          nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


class ResNetSmall(nn.Module):
    def __init__(self, classes=5):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 12, 3, padding=1, bias=False), nn.BatchNorm2d(12),
                                  nn.ReLU())
        self.layers = nn.Sequential(Block(12, 12), Block(12, 24, stride=2), Block(24, 24))
        self.fc = nn.Linear(24, classes)

    def forward(self, x):
        return self.fc(self.layers(self.stem(x)).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return ResNetSmall()


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = fabric(1400, g), fabric(400, g)
    torch.manual_seed(0)
    loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
    model = build()
    if os.path.exists("resnet_fabric_pretrained.pth"):  # BUG: the file is not in this folder
        model.load_state_dict(torch.load("resnet_fabric_pretrained.pth"))
    for p in model.parameters():
        p.requires_grad = False
    model.fc = nn.Linear(24, 5)  # new head for our 5 defect types
    opt = torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.05,
                          momentum=0.9, weight_decay=5e-4)
    epochs = 8
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    rows = [["epoch", "lr", "train_loss", "train_acc", "val_loss", "val_acc"]]
    for epoch in range(epochs):
        model.train()
        tot, hit = 0.0, 0
        for xb, yb in loader:
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
            hit += (logits.argmax(1) == yb).sum().item()
        lr = sched.get_last_lr()[0]
        sched.step()
        model.eval()
        with torch.no_grad():
            vo = model(vx)
        rows.append([epoch, lr, tot / len(x), hit / len(x), F.cross_entropy(vo, vy).item(),
                     (vo.argmax(1) == vy).float().mean().item()])
        print([round(v, 4) for v in rows[-1]])
    with open(out / "metrics.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)
    torch.save({"epoch": epoch, "state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict()}, out / "resnet_fabric.pth")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["gradient_not_flowing"],
           checkpoint="resnet_fabric.pth", log="metrics.csv",
           what="random-init ResNet body frozen (pretrained load silently skipped), head only",
           complaint="fine-tuning my resnet on the new defects only gets 55% val accuracy, "
                     "the loss goes down very slowly")


if __name__ == "__main__":
    main()
