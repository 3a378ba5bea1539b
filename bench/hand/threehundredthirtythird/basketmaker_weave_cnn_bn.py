"""Plain torch: a 2-D CNN with batch norm names the weave on a 16×16 grey patch cut from a
photo of a finished basket, so a basketmaker's stock photos can be sorted against the
catalogue: plain (over-one-under-one checker), twill (steps that run on the diagonal),
triaxial / hex (three strand directions at 60°) and three-rod wale (ridged rows with a
slant). Each patch follows its weave's geometry with the rod width (period 2.6-4.4 px), a
turn of the basket in the photo (±25°), the willow's shade and contrast, a lighting
gradient and camera noise.
Input: (1, 16, 16), about zero mean. Model: Conv 1→16 (k3) + BN + ReLU + MaxPool2, Conv 16→32
(k3) + BN + ReLU + MaxPool2, flatten, Linear 512→64 + BatchNorm1d + ReLU, Linear 64→4;
cross-entropy, Adam 1e-3, 8 epochs, 800 patches (drop_last), validation on 400 in eval mode.
The bug: ``BATCH = 2`` ("small batches, more updates per epoch"): every batch-norm layer,
the one in the head most of all (two values per feature), normalises with statistics of
two patches (the head's normalised features come out near ±1 whatever the patch), so the
net hardly learns (train accuracy under 0.42) and its running averages used at evaluation
do not match what it was trained on (numbers in the README table; control ``BATCH = 32``).
Log: CSV per epoch ``weave_log.csv`` (``epoch`` / ``train_loss`` / ``train_acc`` /
``val_loss`` / ``val_acc``); checkpoint ``weave_cnn_epoch8.pt`` with keys ``network`` /
``adam`` / ``epoch`` / ``batch_size`` / ``classes``."""
import csv
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["plain", "twill", "triaxial", "three_rod_wale"]
BATCH = 2  # small batches, more updates per epoch


def patches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    ax = torch.arange(16).float()
    yy, xx = torch.meshgrid(ax, ax, indexing="ij")
    th = (r(n) - 0.5) * math.radians(50)
    c, s = torch.cos(th)[:, None, None], torch.sin(th)[:, None, None]
    u = c * xx + s * yy + 16 * r(n)[:, None, None]
    v = -s * xx + c * yy + 16 * r(n)[:, None, None]
    p = (2.6 + 1.8 * r(n))[:, None, None]
    k = math.pi / p
    plain = torch.sin(k * u) * torch.sin(k * v)
    twill = torch.sin(k * (u + v) / 1.4) * torch.sign(torch.sin(k * u / 2))
    hexa = (torch.cos(k * u) + torch.cos(k * (0.5 * u + 0.866 * v))
            + torch.cos(k * (-0.5 * u + 0.866 * v))) / 1.5
    wale = torch.sin(k * v) * (0.6 + 0.4 * torch.sin(k * (u - 2 * v) / 2))
    img = torch.stack([plain, twill, hexa, wale], 1)[torch.arange(n), cls]
    contrast = (0.4 + 0.6 * r(n))[:, None, None]
    light = ((r(n) - 0.5)[:, None, None] * (xx - 7.5) / 8 + (r(n) - 0.5)[:, None, None]
             * (yy - 7.5) / 8)
    img = contrast * img + (r(n) - 0.5)[:, None, None] + light
    return (img + 0.35 * torch.randn(n, 16, 16, generator=g)).unsqueeze(1), cls


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(512, 64),
                         nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 4))


def main():
    from _threehundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(800, g)
    xva, yva = patches(400, g)
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=BATCH, shuffle=True, drop_last=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.CrossEntropyLoss()
    with open(out / "weave_log.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(8):
            model.train()
            tot, hit, n = 0.0, 0, 0
            for xb, yb in dl:
                logits = model(xb)
                loss = crit(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                hit += (logits.argmax(1) == yb).sum().item()
                n += len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            row = [tot / n, hit / n, crit(logits, yva).item(),
                   (logits.argmax(1) == yva).float().mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"network": model.state_dict(), "adam": opt.state_dict(), "epoch": 8,
                "batch_size": BATCH, "classes": CLASSES}, out / "weave_cnn_epoch8.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="weave_cnn_epoch8.pt", log="weave_log.csv",
           what="2-D CNN with batch norm (also in its head) naming a basket's weave from a"
                " photo patch, trained with batches of 2",
           complaint=("Weave classifier is barely above guessing. Over 8 epochs training "
                      "accuracy hovers at 0.33-0.41 and train loss only goes 1.36 -> 1.26; val "
                      "accuracy is 0.42-0.50 with 4 weaves. The patterns are obvious by eye "
                      "(checker vs diagonal vs hex vs ridged rows), so why can't the CNN tell "
                      "them apart?"))


if __name__ == "__main__":
    main()
