"""Cats vs dogs, Kaggle-kernel style, on 32x32 RGB crops stored as uint8 arrays (stripy fur
vs spotty fur here). The kernel skipped ``transforms.ToTensor()`` and builds the batch with
``torch.from_numpy(img).permute(0, 3, 1, 2).float()`` (bug: pixels stay 0..255, not scaled
or centred; the first conv's outputs are in the thousands and SGD + momentum at 0.01 blows
the net into predicting one class). A 3-conv CNN without BatchNorm, CSV log per epoch."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def pets(n, rng):
    y = rng.integers(0, 2, n)
    yy, xx = np.mgrid[0:32, 0:32]
    imgs = np.empty((n, 32, 32, 3), dtype=np.uint8)
    for i in range(n):
        a, f = rng.uniform(0, np.pi), rng.uniform(0.5, 0.9)
        u = xx * np.cos(a) + yy * np.sin(a)
        if y[i] == 0:  # cat: stripes
            fur = np.sin(f * u)
        else:  # dog: spots
            fur = np.sin(f * xx + rng.uniform(0, 6)) * np.sin(f * yy + rng.uniform(0, 6))
        base = rng.uniform(60, 200, 3)
        img = base + 50 * fur[..., None] + rng.normal(0, 25, (32, 32, 3))
        imgs[i] = np.clip(img, 0, 255).astype(np.uint8)
    return imgs, y


class PetCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, 2)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.max_pool2d(F.relu(self.conv3(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def build():
    torch.manual_seed(0)
    return PetCNN()


def to_tensor(imgs):
    return torch.from_numpy(imgs).permute(0, 3, 1, 2).float()  # BUG: no /255, no Normalize


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    rng = np.random.default_rng(0)
    (xtr, ytr), (xva, yva) = pets(1600, rng), pets(400, rng)
    x, y, vx, vy = to_tensor(xtr), torch.from_numpy(ytr), to_tensor(xva), torch.from_numpy(yva)
    torch.manual_seed(0)
    model = build()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    with open(out / "training_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "valid_loss", "valid_acc"])
        for epoch in range(8):
            model.train()
            perm = torch.randperm(len(x))
            tot, correct = 0.0, 0
            for i in range(0, len(x), 32):
                idx = perm[i:i + 32]
                out_ = model(x[idx])
                loss = criterion(out_, y[idx])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                tot += loss.item() * len(idx)
                correct += (out_.argmax(1) == y[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                vout = model(vx)
                vloss = criterion(vout, vy).item()
                vacc = (vout.argmax(1) == vy).float().mean().item()
            w.writerow([epoch + 1, tot / len(x), correct / len(x), vloss, vacc])
            print(f"epoch {epoch + 1} loss {tot / len(x):.4f} val acc {vacc:.3f}")
    torch.save({"epoch": 8, "state_dict": model.state_dict(),
                "optimizer": optimizer.state_dict()}, out / "pets_cnn.pth.tar")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["input_not_normalized"],
           checkpoint="pets_cnn.pth.tar", log="training_log.csv",
           what="uint8 pixels fed as 0..255 floats (no ToTensor / Normalize), SGD 0.01",
           complaint="cats vs dogs accuracy stuck at 50% no matter how long I train")


if __name__ == "__main__":
    main()
