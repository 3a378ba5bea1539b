"""Plain torch: a small CNN (no BatchNorm) reads a 20×20 thermal snapshot of a churro stand's
fryer basket (one channel, (°C − 150) / 30) and says whether the batch is underdone, done or
scorched (3 classes). Each snapshot holds 3–5 churro sticks (bright ridged bars at random rows)
on cooler oil with shimmer noise; the class follows the sticks' core temperature (the mean
along the bar) and whether any stick has a scorched hot spot (a 2×2 patch much hotter than
the bar). Conv(1→16, 3)-ReLU-Conv(16→16, 3)-ReLU-pool-Conv(16→32, 3)-ReLU-pool,
global max pool, Linear(32→3), CE; Adam 2e-3, batch 32, 10 epochs of 1536 snapshots, shuffled.
Log: JSON lines per epoch (epoch, train_loss, val_loss, val_accuracy).
The bug: an ``nn.Dropout(0.5)`` after every conv (copied from the dense head of an older model),
so half of every feature map is zeroed at train time and the bar averages and hot-spot
detectors stay noisy. Val accuracy 0.34, 0.34, 0.49, 0.54, 0.63, 0.64, 0.68, 0.54 in epochs
1–8, val loss 1.09 → 0.83, train loss 1.12 → 0.73.
Control (the three ``nn.Dropout(0.5)`` → ``nn.Identity()``, one sed): val accuracy 0.36,
0.50, 0.70, 0.79, 0.76, 0.86, 0.86, 0.89, val loss 1.07 → 0.29, train loss 1.09 → 0.36."""
import json
import sys

import torch
import torch.nn as nn

H = 20


def snapshots(n, g):
    img = 0.15 * torch.randn(n, 1, H, H, generator=g) - 1.0
    core = torch.rand(n, generator=g)
    scorch = torch.rand(n, generator=g) < 0.3
    for i in range(n):
        k = int(torch.randint(3, 6, (1,), generator=g))
        rows = torch.randperm(H // 4, generator=g)[:k] * 4 + 1
        hit = int(torch.randint(0, k, (1,), generator=g))
        for j, r in enumerate(rows.tolist()):
            a = int(torch.randint(0, 6, (1,), generator=g))
            b = a + int(torch.randint(10, 14, (1,), generator=g))
            img[i, 0, r:r + 2, a:b] = 0.6 + 0.5 * core[i] + 0.35 * torch.randn(2, b - a, generator=g)
            if scorch[i] and j == hit:
                c = int(torch.randint(a, b - 2, (1,), generator=g))
                img[i, 0, r:r + 2, c:c + 2] += 0.9
    y = torch.where(scorch, 2, (core > 0.5).long())
    return img, y


class FryerCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Dropout(0.5),
            nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.Dropout(0.5), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.Dropout(0.5), nn.MaxPool2d(2))
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        return self.head(self.features(x).amax((2, 3)))


def build():
    torch.manual_seed(0)
    return FryerCNN()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = snapshots(1280, g)
    xtr, ytr, xva, yva = x[:1024], y[:1024], x[1024:], y[1024:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    f = open(out / "fryer.jsonl", "w")
    for epoch in range(8):
        model.train()
        perm = torch.randperm(1024, generator=g)
        tot = 0.0
        for i in range(0, 1024, 32):
            idx = perm[i:i + 32]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl, va = loss_fn(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
        rec = {"epoch": epoch + 1, "train_loss": round(tot / 1024, 4), "val_loss": round(vl, 4),
               "val_accuracy": round(va, 4)}
        f.write(json.dumps(rec) + "\n")
        print(rec)
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 8,
                "iteration": 256}, out / "fryer_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dropout_in_conv"],
           checkpoint="fryer_cnn.ckpt", log="fryer.jsonl",
           what="CNN telling underdone / done / scorched churro batches from fryer thermal shots",
           complaint=("Small CNN on 20x20 fryer thermal snapshots, 3 classes (underdone / done /"
                      " scorched), 1024 training shots, Adam 2e-3. After 8 epochs val accuracy"
                      " is 0.54 and it jumps around (0.68 the epoch before), train loss still"
                      " 0.73. The classes are obvious to a person looking at the images."
                      " Why is it learning so slowly?"))


if __name__ == "__main__":
    main()
