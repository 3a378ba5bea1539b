"""Plain torch: a CNN with batch norm tells the bloom stage of a lavender row (buds, first
colour, full bloom, past bloom) from a 3×16×16 drone patch: flower spikes are small blobs
whose share, hue (green → pale violet → deep purple → grey-brown) and brightness move with the
stage, on a leaf-and-soil background with uneven light and noise. Conv(3→16)-BN-ReLU-pool,
Conv(16→32)-BN-ReLU-pool, Conv(32→32)-BN-ReLU, global average pool, Linear(32→4); SGD 0.004 with
momentum 0.9, batch 32, 640 patches, shuffled. Log: CSV per epoch (``epoch``, ``train_loss``,
``train_acc``, ``val_loss``, ``val_acc``); checkpoint ``model_state_dict`` /
``optimizer_state_dict`` / ``epoch``.
Bug: ``EPOCHS = 2`` (left from a smoke test) stops the run while the loss falls steeply:
epoch 1 train loss 1.371 / acc 0.21, val loss 1.295 / acc 0.34; epoch 2 train 1.144 / 0.65,
val 1.012 / 0.555. Control (``EPOCHS = 12``): val acc 0.61 at 3, 0.78 at 6, 0.86 at 10, 0.85
at 12, val loss 0.434, train loss 0.370."""
import csv
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

EPOCHS = 2
HUES = torch.tensor([[0.30, 0.45, 0.30], [0.42, 0.40, 0.50], [0.45, 0.32, 0.55],
                     [0.40, 0.36, 0.36]])


def patches(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    share = torch.tensor([0.3, 0.35, 0.45, 0.4])[y] + 0.15 * torch.rand(n, generator=g)
    spikes = (F.interpolate(torch.rand(n, 1, 8, 8, generator=g), size=(16, 16),
                            mode="bilinear") < share.view(n, 1, 1, 1)).float()
    leaf = torch.tensor([0.25, 0.4, 0.2]).view(1, 3, 1, 1)
    light = 0.7 + 0.6 * torch.rand(n, 1, 1, 1, generator=g)
    img = (leaf * (1 - spikes) + HUES[y].view(n, 3, 1, 1) * spikes) * light
    img = img + 0.25 * torch.randn(img.shape, generator=g)
    return (img - 0.4) / 0.2, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 32, 3, padding=1),
                         nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(32, 4))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(640, g)
    xva, yva = patches(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.004, momentum=0.9)
    rows = []
    for epoch in range(EPOCHS):
        model.train()
        perm = torch.randperm(640, generator=g)
        tot, hit = 0.0, 0
        for i in range(0, 640, 32):
            idx = perm[i:i + 32]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rows.append({"epoch": epoch + 1, "train_loss": round(tot / 640, 4),
                     "train_acc": round(hit / 640, 4),
                     "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
                     "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)})
        print(rows[-1])
    with open(out / "bloom_log.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": len(rows)}, out / "bloom_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["training_too_short"],
           checkpoint="bloom_cnn.pt", log="bloom_log.csv",
           complaint="Our lavender bloom-stage CNN only reaches 0.55 val accuracy (val loss 1.01, train acc 0.65) on the drone patches. The farm needs 85 %+ before we plan the cutting from it. Is this network too small for four stages, or are the patches too noisy?",
           what="BN CNN lavender bloom stage from drone patches; EPOCHS = 2 left in")


if __name__ == "__main__":
    main()
