"""Plain torch: a CNN with batch norm grades a 24×24 patch of an ice-rink sheet from the
resurfacer's downward infrared camera (raw sensor counts, about 900–1400) as good ice, skate
ruts (thin dark parallel grooves), a slush patch (a warm smooth blob) or a crack (a thin bright
line at a random angle). Conv(1→16)-BN-ReLU-Dropout-pool, Conv(16→32)-BN-ReLU-pool, Conv(32→32)
-BN-ReLU, global average pool, Linear(32→4); Adam 1e-3, batch 32, 12 epochs of
1024 patches. The camera counts go in as they come (the batch norm after the first conv is
"the normalisation").
The bug: the script measures the untrained net on the validation set first (``evaluate(model)``,
which calls ``model.eval()``) and the training loop never calls ``model.train()``; every step
trains with batch norm on its initial running statistics (mean 0, variance 1) and dropout off,
so the raw ~1100-count activations are never normalised: train loss 6.73 in epoch 1, then
1.27-1.45 for the rest; epoch 12 train accuracy 0.40, val loss 1.24, val accuracy 0.47 (0.23
-0.47 over the run). Control (``model.train()`` at the top of each epoch): train loss 1.20 →
0.099, train accuracy 0.98; val accuracy jumps with the running statistics of the raw counts
(0.33-0.98; 0.94, 0.95, 0.98 at epochs 6, 8, 11, 0.57 at epoch 12)."""
import csv
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24


def patches(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    base = 1100 + 150 * torch.rand(n, 1, 1, generator=g)
    img = base + 40 * F.interpolate(torch.randn(n, 1, 4, 4, generator=g), size=(S, S),
                                    mode="bilinear")[:, 0]
    for i in range(n):
        a = math.pi * float(torch.rand(1, generator=g))
        c, s = math.cos(a), math.sin(a)
        off = float(torch.rand(1, generator=g)) * 8 - 4
        d = (xx - S / 2) * s - (yy - S / 2) * c - off
        if y[i] == 1:  # ruts: three dark grooves
            img[i] -= 120 * sum(torch.exp(-((d - k * 4) / 0.8) ** 2) for k in (-1, 0, 1))
        elif y[i] == 2:  # slush: warm smooth blob
            cy, cx = 6 + 12 * torch.rand(2, generator=g)
            img[i] += 160 * torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 30)
        elif y[i] == 3:  # crack: one thin bright line
            img[i] += 200 * torch.exp(-(d / 0.6) ** 2)
    img = img + 30 * torch.randn(img.shape, generator=g)
    return img[:, None], y


class IceNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.Dropout(0.1),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.body(x).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return IceNet()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredeightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(1024, g)
    xva, yva = patches(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def evaluate(m):
        m.eval()
        with torch.no_grad():
            lv = m(xva)
        return F.cross_entropy(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()

    print("untrained", evaluate(model))
    rows = []
    for epoch in range(12):
        perm = torch.randperm(1024, generator=g)
        tot, hit = 0.0, 0
        for i in range(0, 1024, 32):
            idx = perm[i:i + 32]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * 32
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        vl, va = evaluate(model)
        rows.append([epoch + 1, f"{tot / 1024:.4f}", f"{hit / 1024:.4f}", f"{vl:.4f}", f"{va:.4f}"])
        print(rows[-1])
    with open(out / "ice_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
        w.writerows(rows)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 12},
               out / "ice_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="ice_cnn.pth", log="ice_log.csv",
           what="ice-sheet defect CNN with batch norm trained entirely in eval mode",
           complaint=("Ice-surface defect classifier for our rink's resurfacer camera (good / ruts / "
                      "slush / crack, balanced). First epoch the loss was 6.7, then it sits "
                      "around 1.3-1.4 for all 12 epochs; train accuracy only 0.25-0.42 and val "
                      "0.23-0.47, jumping around. The defects are obvious by eye on these "
                      "patches. Is the CNN too small, or do I need a lot more data?"))


if __name__ == "__main__":
    main()
