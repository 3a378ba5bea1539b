"""Small ResNet (stem + 3 residual blocks with BatchNorm) on noisy oriented gratings
(4 orientations), SGD momentum 0.9, lr 0.1 with a per-epoch cosine schedule (healthy)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

EPOCHS = 6


def gratings(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 4, (n,), generator=g)
    theta = y.float() * math.pi / 4 + 0.15 * torch.randn(n, generator=g)
    freq = 0.6 + 0.4 * torch.rand(n, generator=g)
    phase = 2 * math.pi * torch.rand(n, generator=g)
    c = torch.arange(16.0)
    yy, xx = torch.meshgrid(c, c, indexing="ij")
    proj = xx[None] * theta.cos()[:, None, None] + yy[None] * theta.sin()[:, None, None]
    img = torch.sin(freq[:, None, None] * proj + phase[:, None, None])
    img = img + 0.8 * torch.randn(img.shape, generator=g)
    return img[:, None], y


class BasicBlock(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(ch)
        self.conv2 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(ch)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + x)


class ResNetTiny(nn.Module):
    def __init__(self, ch=16, n_classes=4):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, ch, 3, padding=1, bias=False),
                                  nn.BatchNorm2d(ch), nn.ReLU())
        self.layer1 = nn.Sequential(BasicBlock(ch), BasicBlock(ch))
        self.layer2 = BasicBlock(ch)
        self.fc = nn.Linear(ch, n_classes)

    def forward(self, x):
        x = self.layer1(self.stem(x))
        x = self.layer2(F.max_pool2d(x, 2))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def build():
    torch.manual_seed(0)
    return ResNetTiny()


def validate(model, loader):
    model.eval()
    loss = correct = 0.0
    with torch.no_grad():
        for xb, yb in loader:
            out = model(xb)
            loss += F.cross_entropy(out, yb, reduction="sum").item()
            correct += (out.argmax(1) == yb).sum().item()
    return loss / len(loader.dataset), correct / len(loader.dataset)


def main():
    from _fresh import finish, out_dir
    out = out_dir(__file__)
    train_ds = torch.utils.data.TensorDataset(*gratings(1500, 0))
    val_ds = torch.utils.data.TensorDataset(*gratings(500, 1))
    train_dl = torch.utils.data.DataLoader(train_ds, batch_size=64, shuffle=True)
    val_dl = torch.utils.data.DataLoader(val_ds, batch_size=250)
    model = build()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)
    f = open(out / "log.csv", "w", newline="")
    writer = csv.writer(f)
    writer.writerow(["epoch", "lr", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(EPOCHS):
        model.train()
        tot = hits = 0.0
        for xb, yb in train_dl:
            optimizer.zero_grad()
            out_b = model(xb)
            loss = F.cross_entropy(out_b, yb)
            loss.backward()
            optimizer.step()
            tot += loss.item() * len(yb)
            hits += (out_b.argmax(1) == yb).sum().item()
        val_loss, val_acc = validate(model, val_dl)
        writer.writerow([epoch, scheduler.get_last_lr()[0], tot / len(train_ds),
                         hits / len(train_ds), val_loss, val_acc])
        scheduler.step()
        print(f"epoch {epoch} train {tot / len(train_ds):.3f} val {val_loss:.3f} acc {val_acc:.3f}")
    f.close()
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(),
                "scheduler_state_dict": scheduler.state_dict(), "epoch": EPOCHS},
               out / "resnet_tiny.pt")
    finish(out, __file__, val_ds[:64], causes=[], checkpoint="resnet_tiny.pt", log="log.csv",
           what="residual CNN with BN, SGD 0.1 momentum, cosine per epoch: healthy")


if __name__ == "__main__":
    main()
