"""Plain torch: a BatchNorm CNN grades oysters from a 20×20 top-view silhouette (grey) taken on
the sorting belt: choice (round, deep cup), standard, or cull (long and thin, or a chipped bill).
Each shell is a rotated ellipse with a ragged edge, plus belt texture and noise; the grade comes
from the length/width ratio and whether a bite is missing from the rim.
Conv(1→16)-BN-ReLU-pool, Conv(16→32)-BN-ReLU-pool, flatten, Linear(800→64)-BatchNorm1d-ReLU,
Linear(64→3); Adam 1e-3, an effective batch of 32, 5 epochs of 1024 shells; per-epoch CSV
(``ep,trn_loss,tst_loss,tst_acc``).
The bug: "the GPU on the sorting line is small", so the batch is split into micro-batches of 2
with 16 accumulation steps (``MICRO, ACCUM = 2, 16``). The gradient is that of a batch of 32,
but every BatchNorm sees 2 shells at a time: the BatchNorm1d head turns each feature into ±1, the
running statistics are those of pairs. The model barely fits: train loss (train mode) 1.05,
0.99, 1.00, 0.99, 0.99 (chance is ln 3 = 1.10), val loss 0.88 → 0.82, val accuracy 0.60–0.65
(0.63 at the end). Control (``MICRO, ACCUM = 32, 1``): train loss 0.81 → 0.17, val loss 0.59 →
0.43, val accuracy 0.82, 0.84, 0.80, 0.81, 0.83."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MICRO, ACCUM = 2, 16


def shells(n, g):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 20), torch.linspace(-1, 1, 20), indexing="ij")
    ratio = 1.0 + 1.6 * torch.rand(n, generator=g)
    chipped = torch.rand(n, generator=g) < 0.2
    y = torch.where(ratio < 1.6, 0, 1)
    y = torch.where((ratio > 2.2) | chipped, 2, y)
    img = 0.1 * F.interpolate(torch.rand(n, 1, 5, 5, generator=g), size=(20, 20),
                              mode="bilinear")
    for i in range(n):
        th = math.pi * float(torch.rand(1, generator=g))
        a = 0.45 + 0.3 * float(torch.rand(1, generator=g))
        b = a / float(ratio[i])
        u = math.cos(th) * xx + math.sin(th) * yy
        v = -math.sin(th) * xx + math.cos(th) * yy
        r = (u / a) ** 2 + (v / b) ** 2 + 0.15 * torch.rand(20, 20, generator=g)
        shell = (r < 1).float()
        if chipped[i]:
            shell = shell * (((u - a * 0.8) ** 2 + v ** 2) > 0.06).float()
        img[i, 0] += 0.8 * shell
    img = img + 0.1 * torch.randn(img.shape, generator=g)
    return (img - 0.3) / 0.35, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(800, 64),
                         nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 3))


def main():
    from _hundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = shells(1280, g)
    xtr, ytr, xva, yva = x[:1024], y[:1024], x[1024:], y[1024:]
    print("grades", torch.bincount(y, minlength=3).tolist())
    torch.manual_seed(1)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=MICRO, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    log = ["ep,trn_loss,tst_loss,tst_acc"]
    for ep in range(5):
        model.train()
        tot = 0.0
        opt.zero_grad()
        for i, (xb, yb) in enumerate(train):
            loss = loss_fn(model(xb), yb)
            (loss / ACCUM).backward()
            tot += loss.item()
            if (i + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        vl = loss_fn(lv, yva).item()
        va = (lv.argmax(1) == yva).float().mean().item()
        print(ep, tot / len(train), vl, va)
        log.append(f"{ep},{tot / len(train):.4f},{vl:.4f},{va:.4f}")
    (out / "shell_grades.csv").write_text("\n".join(log) + "\n")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 5},
               out / "shell_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="shell_cnn.pt", log="shell_grades.csv",
           what="oyster shell grading BN CNN trained in micro-batches of 2 with gradient"
                " accumulation",
           complaint=("Shell grader for the oyster sorting belt (choice / standard / cull). "
                      "The training loss is stuck at about 0.99 from the second epoch on, and test"
                      " accuracy stays between 0.60 and 0.65 (test loss 0.82) after 5 epochs. "
                      "Batch size 32, Adam 1e-3, 1024 images. The shapes are easy to tell "
                      "apart by eye. Is the CNN too small?"))


if __name__ == "__main__":
    main()
