"""Plain torch: a small CNN with batch norm reads the pip count (0–6) of one half of a domino
tile from a 16×16 grey photo crop: pips are dark round dots in the standard die layouts (the
count decides the layout), the tile face is light with uneven lighting (a random gradient), a
little rotation jitter of the pip positions, and noise.
Conv(1→16)-BN-ReLU-pool, Conv(16→32)-BN-ReLU-pool, Conv(32→32)-BN-ReLU, average pool to 2×2,
Linear(128→64)-BatchNorm1d-ReLU, Linear(64→7), cross-entropy; Adam 1e-3, 6 epochs of 320 tiles
(640 crops); validation on 256 single crops. Checkpoint
``model_state_dict`` / ``optimizer_state_dict`` / ``epoch``, log ``pips_log.csv`` (epoch,
train_loss, val_loss, val_acc).
The bug: the training set is built as tiles (both halves of a tile photographed together,
``(n, 2, 1, 16, 16)``) and the DataLoader has ``batch_size=1`` — "one tile per step" — so after
``flatten(0, 1)`` every batch holds 2 crops: the BatchNorm layers (above all the
``BatchNorm1d(64)`` in the head, which maps any two samples to ±1 per unit) normalise with the
statistics of 2 samples, and the running statistics used at eval differ from them. Mean train
loss 1.74 in epoch 1, 1.48, 1.31, 1.20, 1.11, 1.10 at epoch 6 (stuck far above the val loss);
val loss 1.33 → 0.41 at epoch 5 → 0.48, val accuracy 0.56 → 0.96 at epoch 4 → 0.949 at 6.
Control (``batch_size=16``, 32 crops a batch, the same 6 epochs): train loss 1.46 → 0.13, val
loss 1.54 → 0.136, val accuracy 0.746, 0.949, then 0.988–0.992."""
import math

import torch
import torch.nn as nn

S = 16
LAYOUT = {0: [], 1: [(0, 0)], 2: [(-1, -1), (1, 1)], 3: [(-1, -1), (0, 0), (1, 1)],
          4: [(-1, -1), (-1, 1), (1, -1), (1, 1)],
          5: [(-1, -1), (-1, 1), (0, 0), (1, -1), (1, 1)],
          6: [(-1, -1), (-1, 0), (-1, 1), (1, -1), (1, 0), (1, 1)]}


def tiles(n, g):
    """n tiles, each photographed as its two halves: (n, 2, 1, S, S) crops, (n, 2) counts."""
    x, y = crops(2 * n, g)
    return x.view(n, 2, 1, S, S), y.view(n, 2)


def crops(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 7, (n,), generator=g)
    img = torch.zeros(n, 1, S, S)
    for i in range(n):
        a = 0.25 * (float(torch.rand(1, generator=g)) - 0.5)
        gx, gy = (torch.rand(2, generator=g) - 0.5).tolist()
        face = 0.8 + 0.3 * (gx * (xx - 7.5) + gy * (yy - 7.5)) / 7.5
        sc = 4.0 + 0.6 * float(torch.rand(1, generator=g))
        for r, c in LAYOUT[int(y[i])]:
            py = 7.5 + sc * (r * math.cos(a) - c * math.sin(a))
            px = 7.5 + sc * (r * math.sin(a) + c * math.cos(a))
            face = face - 0.7 * torch.exp(-((yy - py) ** 2 + (xx - px) ** 2) / 1.6)
        img[i, 0] = face
    img = img + 0.2 * torch.randn(img.shape, generator=g)
    return (img - 0.6) / 0.25, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                         nn.MaxPool2d(2),
                         nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(128, 64),
                         nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 7))


def main():
    from _twohundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tiles(320, g)
    xva, yva = crops(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=1, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "pips_log.csv", "w")
    log.write("epoch,train_loss,val_loss,val_acc\n")
    for epoch in range(6):
        model.train()
        tot = 0.0
        for xb, yb in train:
            xb, yb = xb.flatten(0, 1), yb.flatten(0, 1)
            loss = nn.functional.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl = nn.functional.cross_entropy(lv, yva).item()
            va = (lv.argmax(1) == yva).float().mean().item()
        log.write(f"{epoch + 1},{tot / len(train):.4f},{vl:.4f},{va:.4f}\n")
        print(epoch + 1, round(tot / len(train), 4), round(vl, 4), round(va, 4))
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 6}, out / "domino_pips.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="domino_pips.pt", log="pips_log.csv",
           what="BN CNN counting domino pips, trained one tile (two crops) per batch",
           complaint=("Reading domino pip counts (0-6) from 16x16 crops with a little CNN. "
                      "Training loss won't go below 1.10 after 6 epochs (1.74 at the start), "
                      "while validation loss is 0.48 and val accuracy 0.949 — validation "
                      "is better than training the whole time, which I have never seen. "
                      "Is something wrong with how I compute the train loss?"))


if __name__ == "__main__":
    main()
