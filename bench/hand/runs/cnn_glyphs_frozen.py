"""Small CNN on 12x12 glyphs. The plan was to freeze conv1 only (copied from a model trained on
other glyphs); the loop froze every conv layer, so only the final linear layer learns on
random conv features."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def glyphs(n, rng):
    protos = np.random.default_rng(7).random((10, 12, 12)) < 0.35
    y = rng.integers(0, 10, n)
    x = protos[y].astype(np.float32)
    for i, (dx, dy) in enumerate(rng.integers(-1, 2, (n, 2))):  # random shifts
        x[i] = np.roll(x[i], (dy, dx), axis=(0, 1))
    x = x + 0.6 * rng.standard_normal(x.shape)
    return x[:, None].astype(np.float32), y


class GlyphCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 3 * 3, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(x.flatten(1))


def build():
    torch.manual_seed(0)
    return GlyphCNN()


def main():
    from _hand import finish, out_dir
    out = out_dir(__file__)
    rng = np.random.default_rng(0)
    images, labels = glyphs(3000, rng)
    perm = np.random.default_rng(1).permutation(len(images))
    images, labels = images[perm], labels[perm]
    xtr, ytr = torch.from_numpy(images[:2500]), torch.from_numpy(labels[:2500])
    xva, yva = torch.from_numpy(images[2500:]), torch.from_numpy(labels[2500:])
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=50, shuffle=True)
    model = build()
    for name, p in model.named_parameters():
        if name.startswith("conv"):  # meant: name.startswith("conv1")
            p.requires_grad = False
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    with open(out / "training_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(8):
            model.train()
            correct = total_loss = 0.0
            for xb, yb in loader:
                out_b = model(xb)
                loss = F.cross_entropy(out_b, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                total_loss += loss.item() * len(xb)
                correct += (out_b.argmax(1) == yb).sum().item()
            model.eval()
            with torch.no_grad():
                o = model(xva)
                vl = F.cross_entropy(o, yva).item()
                va = (o.argmax(1) == yva).float().mean().item()
            w.writerow([epoch, total_loss / len(xtr), correct / len(xtr), vl, va])
    print("train acc", correct / len(xtr), "val acc", va)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 8},
               out / "cnn.pt")
    finish(out, __file__, (xva[:100], yva[:100]), causes=["gradient_not_flowing"],
           checkpoint="cnn.pt", log="training_log.csv",
           what="all conv layers frozen by mistake",
           complaint="training accuracy stops improving early and stays mediocre")


if __name__ == "__main__":
    main()
