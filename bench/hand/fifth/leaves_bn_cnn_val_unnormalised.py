"""Plant-disease photos (32x32 RGB: healthy leaf, rust spots, blight stripes), a CNN with
BatchNorm, AdamW 1e-3 and a cosine schedule. Two transform pipelines, as in most tutorials:
``train_tf`` scales to [0, 1] and normalises with the dataset's per-channel mean/std;
``val_tf`` was written separately and only scales to [0, 1] (bug: validation inputs have
another mean and scale than the training inputs; train acc ~1.0, val acc far lower)."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def leaves(n, rng):
    y = rng.integers(0, 3, n)
    yy, xx = np.mgrid[0:32, 0:32] / 31.0
    imgs = np.empty((n, 32, 32, 3), dtype=np.uint8)
    for i in range(n):
        green = np.array([50, 140, 50]) + rng.normal(0, 15, 3)
        img = np.tile(green, (32, 32, 1)).astype(float)
        if y[i] == 1:  # rust: brown spots
            for _ in range(rng.integers(4, 8)):
                cy, cx = rng.uniform(0, 1, 2)
                spot = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 0.004)
                img += spot[..., None] * (np.array([150, 70, 20]) - img)
        elif y[i] == 2:  # blight: dark stripes
            a = rng.uniform(0, np.pi)
            stripe = (np.sin(12 * (xx * np.cos(a) + yy * np.sin(a))) > 0.6)
            img[stripe] *= 0.45
        imgs[i] = np.clip(img + rng.normal(0, 12, img.shape), 0, 255).astype(np.uint8)
    return imgs, y


MEAN, STD = torch.tensor([0.21, 0.53, 0.20]), torch.tensor([0.07, 0.14, 0.07])


def train_tf(imgs):
    x = torch.from_numpy(imgs).permute(0, 3, 1, 2).float() / 255
    return (x - MEAN[:, None, None]) / STD[:, None, None]


def val_tf(imgs):
    return torch.from_numpy(imgs).permute(0, 3, 1, 2).float() / 255  # BUG: no Normalize


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True), nn.MaxPool2d(2))


def build():
    torch.manual_seed(0)
    return nn.Sequential(block(3, 16), block(16, 32), block(32, 64), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(64, 3))


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    rng = np.random.default_rng(0)
    (tr, ytr), (va, yva) = leaves(1500, rng), leaves(400, rng)
    x, y, vx, vy = train_tf(tr), torch.from_numpy(ytr), val_tf(va), torch.from_numpy(yva)
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)
    with open(out / "log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr"])
        for epoch in range(8):
            model.train()
            perm = torch.randperm(len(x))
            tot, correct = 0.0, 0
            for i in range(0, len(x), 32):
                idx = perm[i:i + 32]
                out_ = model(x[idx])
                loss = F.cross_entropy(out_, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                correct += (out_.argmax(1) == y[idx]).sum().item()
            sched.step()
            model.eval()
            with torch.no_grad():
                vout = model(vx)
                vloss = F.cross_entropy(vout, vy).item()
                vacc = (vout.argmax(1) == vy).float().mean().item()
            w.writerow([epoch, tot / len(x), correct / len(x), vloss, vacc,
                        sched.get_last_lr()[0]])
    print("train acc", correct / len(x), "val loss", round(vloss, 3), "val acc", round(vacc, 3))
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "leaf_cnn.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["distribution_shift"],
           checkpoint="leaf_cnn.pt", log="log.csv",
           what="val transform lacks the Normalize the train transform has",
           complaint="train accuracy 100% but validation accuracy is stuck around 35%")


if __name__ == "__main__":
    main()
