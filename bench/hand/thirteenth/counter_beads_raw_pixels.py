"""Density-map counter for microscope beads: 32x32 greyscale frames (8-bit camera) with 0-30
beads (Gaussian spots of random brightness on an uneven background). A fully convolutional
net 1-16-32-32-1 (3x3, ReLU; the last a 1x1) predicts a density map whose sum is the count;
the target is one unit Gaussian (sigma 1) per bead times 100, as the counting papers scale
it. MSE on the maps, SGD lr 0.01 momentum 0.9, batch 16, 8 epochs, a CSV per epoch with the
map loss and the val count MAE. Bug: the frames go in as the camera wrote them, 0-255
(``torch.from_numpy(frames).float()``; the ``/ 255`` and the mean/std step of the training
notes were left out): the first conv's outputs are ~100x what SGD's lr was set for; the
first epoch's mean map loss is 4533, and from epoch 1 on the net outputs a flat zero map
(ReLUs dead): map loss 14.95 / val 15.12 in every epoch, val count MAE 15.07 = the mean
count (frames scaled to [0, 1] and standardised: val MAE 1.0, map loss 0.59)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 32
SCALE_INPUT = False  # BUG: the / 255 and standardisation were left out


def frames(n, g):
    yy, xx = torch.meshgrid(torch.arange(SIZE).float(), torch.arange(SIZE).float(), indexing="ij")
    img = torch.zeros(n, 1, SIZE, SIZE)
    dens = torch.zeros(n, 1, SIZE, SIZE)
    counts = torch.randint(0, 31, (n,), generator=g)
    for i in range(n):
        c = torch.rand(int(counts[i]), 2, generator=g) * (SIZE - 4) + 2
        b = 0.5 + 0.5 * torch.rand(int(counts[i]), generator=g)
        for (cy, cx), br in zip(c, b, strict=True):
            g2 = torch.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 2.0)
            img[i, 0] += br * g2
            dens[i, 0] += g2 / g2.sum()
        img[i, 0] += 0.2 + 0.1 * torch.sin(xx / 7 + float(torch.rand(1, generator=g)) * 6)
    img = img + 0.05 * torch.randn(n, 1, SIZE, SIZE, generator=g)
    raw = (img.clamp(0, 1) * 255).round()  # what the camera writes, uint8 levels
    return raw, 100 * dens, counts


class Counter(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(32, 1, 1), nn.ReLU())

    def forward(self, x):
        return self.body(x)


def build():
    torch.manual_seed(0)
    return Counter()


def main():
    from _thirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    raw, dens, counts = frames(900, g)
    x = raw
    if SCALE_INPUT:
        x = raw / 255
        x = (x - x[:700].mean()) / x[:700].std()
    tx, td, vx, vd, vc = x[:700], dens[:700], x[700:], dens[700:], counts[700:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    log = open(out / "counting_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "map_loss", "val_map_loss", "val_count_mae"])
    for epoch in range(8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(700, generator=g).split(16):
            loss = F.mse_loss(model(tx[idx]), td[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pred = model(vx)
            vl = F.mse_loss(pred, vd).item()
            mae = (pred.sum((1, 2, 3)) / 100 - vc).abs().mean().item()
        w.writerow([epoch, round(tot / 700, 5), round(vl, 5), round(mae, 3)])
        print(epoch, round(tot / 700, 5), round(vl, 5), round(mae, 3))
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch}, out / "bead_counter.pt")
    finish(out, __file__, (vx[:32], vd[:32]), causes=["input_not_normalized"],
           checkpoint="bead_counter.pt", log="counting_log.csv",
           what="density-map bead counter fed raw 0-255 frames under SGD",
           complaint="bead counting network: the loss was huge at the start and now the "
                     "predicted density maps are all zero, so every frame is counted as "
                     "0 beads")


if __name__ == "__main__":
    main()
