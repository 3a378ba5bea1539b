"""Plain torch: a small CNN (no batch norm) reads a 20x20 colour crop of the harbour camera over
one berth and says what lies there: open water, a container ship (a long hull along the quay),
a ferry (a long hull moored bow-in, across the quay), a tug (a short, squat hull with a
wheelhouse) or a sailing yacht (a thin hull and a mast). Each crop is sea with ripples and
glare, the hull at a random place and length, in random dark colours; the class comes from the
shape and its orientation, not the colour. The crops come out of the camera's frame grabber as
height x width x RGB bytes (``np.uint8``, as PIL gives them).
Conv2d(3→16, 3)-ReLU-pool, Conv2d(16→32, 3)-ReLU-pool, Conv2d(32→32, 3)-ReLU, global average
pool, Linear(32→5); cross-entropy, Adam 2e-3, batch 64, 5 epochs of 1280 crops, shuffled.
Logged every 10 steps to the tab-separated ``berth_log.tsv`` (step, loss = mean of the last
10 steps, val_loss, val_acc on 256 held-out crops).
The bug: the (N, 20, 20, 3) bytes are made channel-first with ``.view(-1, 3, 20, 20)`` instead
of ``.permute(0, 3, 1, 2)``: each "channel" is then a third of the picture's rows, R, G and B
interleaved along the width, so neighbouring "pixels" are three colour readings of one pixel
and a "row" is a third of two real rows.
It learns, slowly, from what survives: val accuracy 0.31 at step 10, 0.47 at 40, 0.61 at 60,
0.78 at step 100 (the end), val loss 1.58 → 0.578; train loss 0.518 over the last 10 steps.
Control (``sed 's/.view(-1, 3, S, S)/.permute(0, 3, 1, 2)/'``): val accuracy 0.41 at step 10,
0.68 at 40, 0.86 at 60, 0.97 at step 100, val loss 1.53 → 0.114; train loss 0.125."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

S = 20


def crops(n, rng):
    kind = rng.integers(0, 5, n)
    sea = np.stack([np.full((S, S), 40), np.full((S, S), 90), np.full((S, S), 130)], 2)
    imgs = np.empty((n, S, S, 3), np.uint8)
    yy, xx = np.mgrid[0:S, 0:S]
    for i in range(n):
        img = sea + rng.normal(0, 12, (S, S, 3)) + 25 * np.sin(xx / 2.0 + rng.uniform(0, 6))[
            ..., None] * (rng.uniform() < 0.5)
        hull = rng.uniform(20, 110, 3)
        k = kind[i]
        if k == 1 or k == 2:
            length, width = rng.integers(11, 17), rng.integers(3, 5)
            r0, c0 = rng.integers(1, S - width), rng.integers(1, S - length)
            h, w = (width, length) if k == 1 else (length, width)
            if k == 2:
                r0, c0 = rng.integers(1, S - length), rng.integers(1, S - width)
            img[r0:r0 + h, c0:c0 + w] = hull
        elif k == 3:
            sz = rng.integers(5, 8)
            r0, c0 = rng.integers(1, S - sz), rng.integers(1, S - sz)
            img[r0:r0 + sz, c0:c0 + sz] = hull
            img[r0 + 1:r0 + 3, c0 + 1:c0 + sz - 1] = 200
        elif k == 4:
            length = rng.integers(7, 11)
            r0, c0 = rng.integers(9, S - 2), rng.integers(1, S - length)
            img[r0:r0 + 2, c0:c0 + length] = hull
            mast = c0 + length // 2
            img[r0 - 8:r0, mast] = 230
        imgs[i] = img.clip(0, 255)
    return imgs, kind


class BerthCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                                 nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 5))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return BerthCNN()


def main():
    from _twohundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    rng = np.random.default_rng(0)
    imgs, kind = crops(1536, rng)
    x = torch.from_numpy(imgs).float().div(255).view(-1, 3, S, S)
    x = (x - 0.35) / 0.2
    y = torch.from_numpy(kind).long()
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    g = torch.Generator().manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "berth_log.tsv", "w", newline="")
    w = csv.writer(f, delimiter="\t")
    w.writerow(["step", "loss", "val_loss", "val_acc"])
    step, window = 0, []
    for _epoch in range(5):
        perm = torch.randperm(1280, generator=g)
        for i in range(0, 1280, 64):
            idx = perm[i:i + 64]
            model.train()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            window.append(loss.item())
            if step % 10 == 0:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                row = [step, round(sum(window) / len(window), 4),
                       round(F.cross_entropy(lv, yva).item(), 4),
                       round((lv.argmax(1) == yva).float().mean().item(), 4)]
                window = []
                w.writerow(row)
                print(row)
    f.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "step": step,
                "epoch": 5}, out / "berth_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_layout_scrambled"],
           checkpoint="berth_cnn.pt", log="berth_log.tsv",
           what="CNN classifying what lies at a harbour berth from camera crops; HWC bytes made"
                " channel-first with view instead of permute",
           complaint=("Berth camera classifier (water / container ship / ferry / tug / yacht from"
                      " 20x20 crops), 5 epochs: val accuracy only 0.78 and val loss 0.58, and it"
                      " took 60 steps to get past 0.6. The five kinds look completely different"
                      " by eye. Is the CNN too small for this?"))


if __name__ == "__main__":
    main()
