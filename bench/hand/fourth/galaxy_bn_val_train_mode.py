"""Galaxy zoo-style morphology on 20x20 cut-outs: four classes, round or elongated, faint or
bright. A small CNN with BatchNorm, trained in batches of 32 with ``model.train()``. The
validation loop was copied from the inference script: one image at a time, under
``torch.no_grad()`` but without ``model.eval()``. SGD momentum, CSV log per epoch."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 20


def galaxies(n, g):
    yy, xx = torch.meshgrid(torch.arange(S) - S / 2 + 0.5, torch.arange(S) - S / 2 + 0.5,
                            indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    elongated, bright = (y % 2).float(), (y // 2).float()
    angle = math.pi * torch.rand(n, generator=g)
    axis = 1 + 2 * elongated + 0.2 * torch.rand(n, generator=g)
    c, s = torch.cos(angle)[:, None, None], torch.sin(angle)[:, None, None]
    u, v = c * xx + s * yy, -s * xx + c * yy
    r2 = (u / (2.5 * axis[:, None, None])) ** 2 + (v / 2.5) ** 2
    flux = (0.4 + 0.6 * bright + 0.1 * torch.rand(n, generator=g))[:, None, None]
    img = flux * torch.exp(-r2) + 0.05 * torch.randn(n, S, S, generator=g)
    return ((img - 0.1) / 0.2).unsqueeze(1), y


class GalaxyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16)
        self.conv2, self.bn2 = nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.relu(self.bn2(self.conv2(x)))
        return self.fc(x.mean((2, 3)))


def build():
    torch.manual_seed(0)
    return GalaxyNet()


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = galaxies(2000, g), galaxies(300, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    with open(out / "galaxy_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(8):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            tl = tc = 0.0
            for i in range(0, len(x), 32):
                idx = perm[i:i + 32]
                logits = model(x[idx])
                loss = F.cross_entropy(logits, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tl += loss.item() * len(idx)
                tc += (logits.argmax(1) == y[idx]).sum().item()
            vl = vc = 0.0
            with torch.no_grad():
                for img, label in zip(vx, vy, strict=True):
                    logits = model(img.unsqueeze(0))
                    vl += F.cross_entropy(logits, label.view(1)).item()
                    vc += float(logits.argmax(1).item() == label.item())
            w.writerow([epoch, tl / len(x), tc / len(x), vl / len(vx), vc / len(vx)])
            print(epoch, round(tl / len(x), 4), round(tc / len(x), 3), round(vc / len(vx), 3))
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "galaxy_cnn.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["bn_small_batch"],
           checkpoint="galaxy_cnn.pt", log="galaxy_log.csv",
           what="validation one image at a time with BatchNorm in train mode (no model.eval())",
           complaint="training accuracy is 100 % but validation accuracy stays at 24 %, "
                     "chance for four classes")


if __name__ == "__main__":
    main()
