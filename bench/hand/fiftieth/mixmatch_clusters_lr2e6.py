"""MixMatch-style semi-supervised classifier on synthetic clusters: 5 classes, each two
Gaussian blobs in 16-D (class separation ~3 std), 50 labelled points (10 per class) and 3000
unlabelled. MLP 16 → 128 → 128 → 5 (ReLU). Per step: 32 labelled + 96 unlabelled points, K=2
noisy augmentations of each unlabelled point (Gaussian jitter 0.3), guesses averaged and
sharpened with T=0.5, MixUp (α=0.75, λ' = max(λ, 1−λ)) across the labelled and unlabelled
batches, soft cross-entropy on the labelled part plus λ_u · MSE on the unlabelled part
(λ_u ramped to 25 over the first 400 steps). Adam, 600 steps. The log (CSV) holds the two
losses, λ_u and, every 50 steps, the accuracy on 1000 held-out points.
Bug: ``lr=2e-6`` (2e-3 meant; a typo carried from a fine-tuning config): in 600 Adam steps no
weight moves more than ~1e-3; the val accuracy creeps 0.20 → 0.27 (control at 2e-3: 0.90
by step 50)."""
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DIM, CLASSES = 16, 5
LR = 2e-6


def clusters(n, g):
    centres = 1.5 * torch.randn(CLASSES * 2, DIM, generator=g)
    y = torch.randint(0, CLASSES, (n,), generator=g)
    blob = y * 2 + torch.randint(0, 2, (n,), generator=g)
    return centres[blob] + torch.randn(n, DIM, generator=g), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(DIM, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                         nn.Linear(128, CLASSES))


def sharpen(p, t=0.5):
    p = p ** (1 / t)
    return p / p.sum(1, keepdim=True)


def main():
    from _fiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rng = np.random.default_rng(0)
    x, y = clusters(4050 + 1000, g)
    lx = torch.cat([x[y == c][:10] for c in range(CLASSES)])
    ly = torch.arange(CLASSES).repeat_interleave(10)
    ux, vx, vy = x[50:4050], x[4050:], y[4050:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    f = open(out / "mixmatch.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["it", "loss_x", "loss_u", "lambda_u", "val_acc"])
    for it in range(1, 601):
        bi = torch.randint(0, 50, (32,), generator=g)
        bx = lx[bi] + 0.3 * torch.randn(32, DIM, generator=g)
        by = F.one_hot(ly[bi], CLASSES).float()
        ub = ux[torch.randint(0, len(ux), (96,), generator=g)]
        u1 = ub + 0.3 * torch.randn(ub.shape, generator=g)
        u2 = ub + 0.3 * torch.randn(ub.shape, generator=g)
        with torch.no_grad():
            guess = sharpen((model(u1).softmax(1) + model(u2).softmax(1)) / 2)
        allx = torch.cat([bx, u1, u2])
        ally = torch.cat([by, guess, guess])
        lam = float(rng.beta(0.75, 0.75))
        lam = max(lam, 1 - lam)
        perm = torch.randperm(len(allx), generator=g)
        mx = lam * allx + (1 - lam) * allx[perm]
        my = lam * ally + (1 - lam) * ally[perm]
        logits = model(mx)
        loss_x = -(my[:32] * F.log_softmax(logits[:32], 1)).sum(1).mean()
        loss_u = ((logits[32:].softmax(1) - my[32:]) ** 2).mean()
        lam_u = 25.0 * min(1.0, it / 400)
        loss = loss_x + lam_u * loss_u
        opt.zero_grad()
        loss.backward()
        opt.step()
        acc = ""
        if it % 50 == 0:
            with torch.no_grad():
                acc = round((model(vx).argmax(1) == vy).float().mean().item(), 4)
            print(it, round(loss_x.item(), 4), round(loss_u.item(), 4), acc)
        if it % 10 == 0:
            w.writerow([it, round(loss_x.item(), 4), round(loss_u.item(), 5), lam_u, acc])
    f.close()
    torch.save({"net": model.state_dict(), "optim": opt.state_dict(), "it": it},
               out / "mixmatch_it600.pth")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["lr_too_low"],
           checkpoint="mixmatch_it600.pth", log="mixmatch.csv",
           what="MixMatch semi-supervised MLP on 16-D clusters, Adam lr 2e-6",
           complaint="the semi-supervised model is no better than when it started: accuracy on "
                     "the held-out points only crawls from 0.20 to 0.27 in 600 steps and the "
                     "labelled loss is still about 1.55")


if __name__ == "__main__":
    main()
