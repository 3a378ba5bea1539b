"""Banana ripeness grading from 24×24 photos on a packing-line belt: unripe (green peel), ripe
(yellow), overripe (yellow with brown sugar spots) and rotten (brown to black patches), a
curved banana (an arc of an ellipse, random position, angle and length) on a greyish belt with
a random tint, lamp brightness 0.8–1.2, a soft shadow and pixel noise 0.03. Train and
validation photos come from the same generator; the training photos are exported through PIL
(RGB), the validation photos through a colleague's OpenCV export (``cv2.imwrite`` /
``cv2.imread`` with no ``cvtColor``), so they arrive in BGR order. Both are normalised with the
same per-channel RGB mean / std. A small CNN (3 conv blocks 16 / 32 / 32 with ReLU and max
pooling, global average pool, linear to 4), Adam 2e-3, batch 64, 6 epochs of 1600 photos; a CSV
log per epoch (Epoch, Train Loss, Train Acc, Val Loss, Val Acc).
Bug: the validation photos are BGR, the model learnt RGB colours: yellow peel arrives as cyan,
brown as dark blue. Train accuracy 0.52 → 0.85 → 0.98 → 0.999, train loss 0.0086 at the end,
but val accuracy 0.40, 0.33, 0.40, 0.37, 0.49, 0.32 (chance 0.25; nearly every photo called
unripe, the rest rotten, never ripe or overripe) with val loss 3.2 rising to 6.1. The control
(the validation photos in RGB order too, ``x[1600:]``) reaches val accuracy 0.78, 0.92, 0.99,
then 0.998–1.00 and val loss 0.005, the same as train."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24
GRADES = ["unripe", "ripe", "overripe", "rotten"]
PEEL = torch.tensor([[0.35, 0.62, 0.18], [0.93, 0.82, 0.22], [0.90, 0.76, 0.25],
                     [0.38, 0.25, 0.10]])
SPOT = torch.tensor([0.30, 0.18, 0.07])


def photos(n, g):
    """RGB photos (n, 3, S, S) in [0, 1] and the grade."""
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    out = torch.empty(n, 3, S, S)
    for i in range(n):
        r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
        belt = 0.55 + 0.1 * r() + 0.06 * (torch.rand(3, generator=g) - 0.5)
        img = belt[:, None, None].expand(3, S, S).clone()
        cy, cx, rad = 12 + 4 * (r() - 0.5), 12 + 4 * (r() - 0.5), 7 + 3 * r()
        th = 6.283 * r()
        u = (xx - cx) * torch.cos(torch.tensor(th)) + (yy - cy) * torch.sin(torch.tensor(th))
        v = -(xx - cx) * torch.sin(torch.tensor(th)) + (yy - cy) * torch.cos(torch.tensor(th))
        ring = ((u / rad) ** 2 + ((v + rad * 0.6) / (rad * 0.9)) ** 2).sqrt()
        mask = ((ring - 1).abs() < 0.22) & (v + rad * 0.6 > 0.5)
        peel = PEEL[y[i]] * (0.92 + 0.16 * torch.rand(3, generator=g))
        body = peel[:, None, None].expand(3, S, S).clone()
        k = int(y[i])
        if k >= 2:
            spots = torch.rand(S, S, generator=g) < (0.12 if k == 2 else 0.45)
            body = torch.where(spots, SPOT[:, None, None], body)
        img = torch.where(mask, body, img)
        shadow = 1 - 0.25 * torch.exp(-((xx - cx - 3) ** 2 + (yy - cy - 3) ** 2) / 60)
        img = img * shadow * (0.8 + 0.4 * r())
        out[i] = (img + 0.03 * torch.randn(3, S, S, generator=g)).clamp(0, 1)
    return out, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 4))


def main():
    from _hundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = photos(2000, g)
    train_rgb, ytr = x[:1600], y[:1600]              # PIL export: RGB
    val_bgr, yva = x[1600:, [2, 1, 0]], y[1600:]     # OpenCV export: BGR
    mean = train_rgb.mean((0, 2, 3), keepdim=True)
    std = train_rgb.std((0, 2, 3), keepdim=True)
    xtr = (train_rgb - mean) / std
    xva = (val_bgr - mean) / std
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    gen = torch.Generator().manual_seed(1)
    f = open(out / "ripeness_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "Train Loss", "Train Acc", "Val Loss", "Val Acc"])
    for epoch in range(1, 7):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        tot, hit = 0.0, 0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        row = [epoch, round(tot / len(xtr), 4), round(hit / len(xtr), 4),
               round(F.cross_entropy(lo, yva).item(), 4),
               round((lo.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row, torch.bincount(lo.argmax(1), minlength=4).tolist())
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 6,
                "class_names": GRADES, "mean": mean.flatten(), "std": std.flatten()},
               out / "ripeness_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="ripeness_cnn.pth", log="ripeness_log.csv",
           what="banana ripeness CNN, validation photos exported through OpenCV in BGR order",
           complaint="Banana ripeness CNN: training accuracy is 99.9% after 6 epochs but "
                     "validation accuracy is only 0.32-0.49 and validation loss keeps rising, "
                     "3.2 to 6.1. On validation it calls almost every banana unripe and never "
                     "says ripe or overripe. The validation photos come from the same packing "
                     "line and camera, so I don't see how it can overfit this fast.")


if __name__ == "__main__":
    main()
