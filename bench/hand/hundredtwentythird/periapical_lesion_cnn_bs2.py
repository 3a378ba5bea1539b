"""Periapical lesion on a dental radiograph crop (a BatchNorm CNN), synthetic 96×96 grey
periapical films: a tapering root (bright dentine, a darker canal down its middle, a dark
periodontal-ligament line around it) in trabecular bone texture, random tilt, width, exposure
and film noise. Half the crops carry a periapical radiolucency: a dark, soft-edged round area
(radius 6–10 px, 40–60 % darker) around the root apex. Conv 5×5/2 → 16, conv 3×3 → 32 and
two convs 3×3 → 32, each with BatchNorm2d, ReLU and a 2×2 max-pool, global average pool, a
head Linear 32→32 + BatchNorm1d + ReLU → 2. Adam 2e-3, 4 epochs of 600 crops, a CSV log per
epoch (train loss and accuracy in train mode, val loss and accuracy in eval mode).
Bug: ``BATCH = 2`` — the user's notebook ran out of GPU memory on the full-size films and the
batch size was cut to 2 and kept for the crops; every BatchNorm normalises over two images
(BatchNorm1d in the head makes each feature exactly ±1 across the pair), so training learns
from batch statistics that eval-mode running averages do not reproduce. Train loss 0.70 →
0.65, train accuracy 0.51 → 0.60; val accuracy in eval mode 0.505 (all "healthy"), 0.63,
0.705, 0.58, val loss 0.71, 0.65, 0.55, 0.89. The control (``BATCH = 32``, same 4 epochs):
train accuracy 0.998, val accuracy 0.925, 0.995, 1.00, 1.00, val loss 0.031. (Without the
BatchNorm1d head and with a harder, fainter lesion the batch-2 run trained to 0.98 with val
0.76–0.89 against the control's 0.975; the head's BatchNorm1d was put back to make the
failure plain.)"""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 96
BATCH = 2  # full films OOM'd at 4; keep it small


def films(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 2, (n,), generator=g)
    x = torch.zeros(n, 1, S, S)
    for i in range(n):
        r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
        bone = F.interpolate(torch.rand(1, 1, 12, 12, generator=g), size=S, mode="bilinear")[0, 0]
        img = 0.45 + 0.15 * bone
        tilt = (r() - 0.5) * 0.5
        cx = 48 + (r() - 0.5) * 12
        apex = 70 + r() * 10
        u = xx - (cx + tilt * (yy - 48))
        half = (7 + 4 * r()) * (0.35 + 0.65 * (apex - yy).clamp(0, 80) / 80)
        root = (u.abs() < half) & (yy < apex)
        pdl = (u.abs() < half + 1.5) & (yy < apex + 1.5) & ~root
        canal = (u.abs() < 1.2) & (yy < apex - 3)
        img = torch.where(root, 0.85 + 0.05 * bone, img)
        img = torch.where(pdl, img - 0.2, img)
        img = torch.where(canal, img - 0.25, img)
        if int(y[i]) == 1:
            rad = 6 + 4 * r()
            d = torch.sqrt((yy - apex - rad * 0.6) ** 2 + (xx - cx - tilt * (apex - 48)) ** 2)
            img = img * (1 - (0.4 + 0.2 * r()) * torch.sigmoid((rad - d) * 1.5))
        img = img * (0.7 + 0.6 * r()) + 0.05 * torch.randn(S, S, generator=g)
        x[i, 0] = img
    return (x - 0.5) / 0.2, y


class PeriapicalCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 5, 2, 2), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Linear(32, 32), nn.BatchNorm1d(32), nn.ReLU(),
                                  nn.Linear(32, 2))

    def forward(self, x):
        return self.head(self.features(x).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return PeriapicalCNN()


def main():
    from _hundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = films(800, g)
    xtr, ytr, xva, yva = x[:600], y[:600], x[600:], y[600:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    gs = torch.Generator().manual_seed(1)
    with open(out / "periapical_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(4):
            model.train()
            perm = torch.randperm(600, generator=gs)
            tot = cor = 0.0
            for i in range(0, 600, BATCH):
                idx = perm[i:i + BATCH]
                lo = model(xtr[idx])
                loss = F.cross_entropy(lo, ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                cor += (lo.argmax(1) == ytr[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                lo = model(xva)
            row = [epoch + 1, round(tot / 600, 4), round(cor / 600, 4),
                   round(F.cross_entropy(lo, yva).item(), 4),
                   round((lo.argmax(1) == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row, torch.bincount(lo.argmax(1), minlength=2).tolist())
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 4, "batch_size": BATCH}, out / "periapical_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="periapical_cnn.pth", log="periapical_log.csv",
           what="periapical-lesion BatchNorm CNN trained with batch size 2",
           complaint="My periapical lesion classifier won't learn. After 4 epochs the training "
                     "loss is still 0.65 and training accuracy 0.60; validation accuracy jumps "
                     "around (0.505, 0.63, 0.705, then 0.58) and the val loss went up to 0.89 in "
                     "the last epoch. The lesions are obvious dark blobs at the apex, I can see "
                     "them by eye.")


if __name__ == "__main__":
    main()
