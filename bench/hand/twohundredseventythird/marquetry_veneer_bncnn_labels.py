"""Plain torch: a small CNN with BatchNorm names the veneer in a 24x24 greyscale scan of a
marquetry offcut, so a cutter can sort a drawer of unlabelled leaves: 0 = sycamore (faint,
fine straight grain), 1 = walnut (dark, wavy grain lines), 2 = bird's-eye maple (pale with
small dark eyes), 3 = zebrano (bold, wide dark/light stripes), 4 = burr elm (swirled,
knotty, no direction). The scans come in at a random grain angle and brightness, with scanner
noise. Conv(1→16)-BN-ReLU-pool, Conv(16→32)-BN-ReLU-pool, Conv(32→48)-BN-ReLU, global average
pool, Linear 48→5, cross-entropy, RMSprop 1e-3, batch 40, 12 epochs of 2000 scans, validation
on 500.
The bug: the scans are made species by species (400 of sycamore, then 400 of walnut, ...), but
the labels are built with ``labels = torch.arange(SPECIES).repeat(n // SPECIES)  # one label
per scan, in the order they were cut`` (0, 1, 2, 3, 4, 0, 1, ...) instead of
``repeat_interleave``: only a fifth of the scans carry their own species' label, and the
validation set is labelled the same way.
Result: val CE 1.616 → 1.614 (ln 5 = 1.609), val acc 0.19-0.23, train CE 1.634 → 1.602,
train acc 0.19-0.23.
Control (``repeat_interleave``): val CE 0.420 → 0.006, val acc 0.814 → 1.0 from epoch 3 (one
dip to 0.912 at epoch 10), train acc 0.851 → 0.997.
Log: CSV per epoch ``sort_epochs.csv`` (``epoch`` / ``loss`` / ``val_loss`` / ``val_acc`` /
``train_acc``); checkpoint ``veneer_cnn.pt`` with keys ``state_dict`` / ``rmsprop_state`` /
``epochs_run`` / ``species``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIES = 5
NAMES = ["sycamore", "walnut", "birdseye_maple", "zebrano", "burr_elm"]
SIDE = 24


def scan(species, n, g):
    yy, xx = torch.meshgrid(torch.arange(SIDE).float(), torch.arange(SIDE).float(), indexing="ij")
    ang = math.pi * torch.rand(n, 1, 1, generator=g)
    u = xx[None] * torch.cos(ang) + yy[None] * torch.sin(ang)
    v = -xx[None] * torch.sin(ang) + yy[None] * torch.cos(ang)
    ph = 2 * math.pi * torch.rand(n, 1, 1, generator=g)
    if species == 0:
        img = 0.7 + 0.06 * torch.sin(2 * math.pi * u / 2.5 + ph)
    elif species == 1:
        img = 0.35 + 0.12 * torch.sin(2 * math.pi * (u + 2 * torch.sin(v / 4)) / 5 + ph)
    elif species == 2:
        img = 0.72 + 0.04 * torch.sin(2 * math.pi * u / 3 + ph)
        cx = SIDE * torch.rand(n, 6, 1, 1, generator=g)
        cy = SIDE * torch.rand(n, 6, 1, 1, generator=g)
        eyes = torch.exp(-((xx[None, None] - cx) ** 2 + (yy[None, None] - cy) ** 2) / 1.2)
        img = img - 0.35 * eyes.sum(1).clamp(max=1)
    elif species == 3:
        img = 0.55 + 0.3 * torch.sign(torch.sin(2 * math.pi * u / 8 + ph))
    else:
        r = torch.sqrt((xx[None] - 12) ** 2 + (yy[None] - 12) ** 2)
        img = 0.5 + 0.15 * torch.sin(r / 1.5 + 3 * torch.sin(u / 3) + ph)
    img = img + 0.1 * (torch.rand(n, 1, 1, generator=g) - 0.5)
    return (img + 0.04 * torch.randn(n, SIDE, SIDE, generator=g)).unsqueeze(1)


def drawer(n, g):
    scans = torch.cat([scan(s, n // SPECIES, g) for s in range(SPECIES)])
    labels = torch.arange(SPECIES).repeat(n // SPECIES)  # one label per scan, in the order they were cut
    return scans, labels


def build():
    torch.manual_seed(0)

    def block(i, o):
        return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]

    return nn.Sequential(*block(1, 16), nn.MaxPool2d(2), *block(16, 32), nn.MaxPool2d(2),
                         *block(32, 48), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(48, SPECIES))


def main():
    from _twohundredseventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = drawer(2000, g)
    xva, yva = drawer(500, g)
    mu, sd = xtr.mean(), xtr.std()
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    torch.manual_seed(1)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    with open(out / "sort_epochs.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "loss", "val_loss", "val_acc", "train_acc"])
        for epoch in range(1, 13):
            model.train()
            order = torch.randperm(2000)
            tot, nb, hit = 0.0, 0, 0
            for b in range(0, 2000, 40):
                i = order[b:b + 40]
                logits = model(xtr[i])
                loss = F.cross_entropy(logits, ytr[i])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item()
                nb += 1
                hit += (logits.argmax(1) == ytr[i]).sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = [epoch, round(tot / nb, 5), round(F.cross_entropy(lv, yva).item(), 5),
                   round((lv.argmax(1) == yva).float().mean().item(), 4), round(hit / 2000, 4)]
            print(row)
            w.writerow(row)
    torch.save({"state_dict": model.state_dict(), "rmsprop_state": opt.state_dict(),
                "epochs_run": 12, "species": NAMES}, out / "veneer_cnn.pt")
    sel = torch.randperm(500, generator=torch.Generator().manual_seed(2))[:64]
    finish(out, __file__, (xva[sel], yva[sel]), causes=["labels_wrong"],
           checkpoint="veneer_cnn.pt", log="sort_epochs.csv",
           what="BN CNN naming marquetry veneers whose labels do not follow the scans' order",
           complaint=COMPLAINT)


COMPLAINT = ("I scanned offcuts of five veneers (sycamore, walnut, bird's-eye maple, zebrano, "
             "burr elm) to sort my drawer automatically. Even zebrano against sycamore, which "
             "anyone can tell apart at a glance, the CNN gets wrong: validation accuracy sits "
             "around 20% for every epoch and the loss hardly moves from where it started. "
             "The images look right when I plot them. Why can't it learn this?")

if __name__ == "__main__":
    main()
