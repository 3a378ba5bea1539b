"""Small CNN on 20x20 noisy texture patches (6 classes: stripes at 3 angles x 2 frequencies,
random phase, contrast and noise). SGD 0.05 + momentum 0.9, StepLR at epoch 6. The forward
was copied from a feature-extraction notebook and keeps its ``torch.no_grad()`` around the
conv body: only the linear head ever gets a gradient."""
import csv
import math

import torch
import torch.nn as nn


def textures(n, g, size=20):
    yy, xx = torch.meshgrid(torch.arange(float(size)), torch.arange(float(size)), indexing="ij")
    y = torch.randint(0, 6, (n,), generator=g)
    angle = (y % 3).float()[:, None, None] * math.pi / 3 + 0.15 * torch.randn(n, 1, 1, generator=g)
    freq = torch.where(y < 3, 0.5, 1.1)[:, None, None]
    phase = 6.28 * torch.rand(n, 1, 1, generator=g)
    contrast = 0.5 + torch.rand(n, 1, 1, generator=g)
    img = contrast * torch.sin(freq * (xx * torch.cos(angle) + yy * torch.sin(angle)) + phase)
    return (img + 1.5 * torch.randn(n, size, size, generator=g))[:, None], y


class TextureNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 6))

    def forward(self, x):
        with torch.no_grad():
            feats = self.features(x)
        return self.head(feats)


def build():
    torch.manual_seed(0)
    return TextureNet()


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = textures(3000, g), textures(600, g)
    model = build()
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.1)
    f = open(out / "history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "lr", "loss", "accuracy", "val_loss", "val_accuracy"])
    for epoch in range(9):
        model.train()
        perm = torch.randperm(len(x), generator=g)
        total, correct = 0.0, 0
        for i in range(0, len(x), 64):
            xb, yb = x[perm[i:i + 64]], y[perm[i:i + 64]]
            out_b = model(xb)
            loss = criterion(out_b, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
            correct += (out_b.argmax(1) == yb).sum().item()
        lr = sched.get_last_lr()[0]
        sched.step()
        model.eval()
        with torch.no_grad():
            vout = model(vx)
        w.writerow([epoch, lr, total / len(x), correct / len(x), criterion(vout, vy).item(),
                    (vout.argmax(1) == vy).float().mean().item()])
    f.close()
    print("val acc", (vout.argmax(1) == vy).float().mean().item())
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "scheduler": sched.state_dict()},
               out / "texture_cnn.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["gradient_not_flowing"],
           checkpoint="texture_cnn.pt", log="history.csv",
           what="torch.no_grad() around the conv body inside forward: convs never train",
           complaint="the CNN plateaus at 63% validation accuracy and training accuracy is "
                     "no better")


if __name__ == "__main__":
    main()
