"""Plain torch: a small CNN (no batch norm) grades the sugar crystals in a 20×20 micrograph
taken from the vacuum pan of a sugar refinery: fine, on-spec or coarse grain, so the
boiler knows whether to seed or to cut the pan. Each image holds 3–6 rectangular-ish crystals
(rotated boxes with soft edges) whose size comes from the class with overlap between classes,
on a syrup background with uneven lighting and noise.
Conv(1→16)-ReLU-pool, Conv(16→32)-ReLU-pool, Conv(32→32)-ReLU, global average pool,
Linear(32→3); SGD momentum 0.9, lr 0.05, micro-batches of 16 accumulated over 8 (an
effective batch of 128), 12 epochs of 1024 images. Log: ``pan_log.csv``, one row per optimizer
update (update, epoch, loss = mean micro-batch loss) plus val_loss / val_acc at the last
update of an epoch. Checkpoint ``{"model", "optim", "epoch", "updates", "accum"}``.
Bug: the micro-batch loss is back-propagated as it is, not divided by ``ACCUM``, so every
update takes 8× the gradient the learning rate was picked for. The loss falls to 0.73 by
update 6, blows up to 15.5 at update 8, and from then on the net predicts one grade: val
loss 1.10, val accuracy 0.32–0.36 (chance) for epochs 3–12 (0.52 after epoch 2, 0.36 at 12).
Control (``loss.backward()`` → ``(loss / ACCUM).backward()``, same seeds): val accuracy 0.38,
0.72, 0.79 after epochs 1–3, 0.83 at epoch 12 (val loss 0.37)."""
import csv
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

S, ACCUM, MICRO = 20, 8, 16


def micrographs(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 3, (n,), generator=g)
    light = torch.linspace(-0.3, 0.3, S)
    img = 0.2 + light[None, :] * torch.rand(n, 1, 1, generator=g) + light[:, None] * 0.5 \
        + 0.12 * torch.randn(n, S, S, generator=g)
    for i in range(n):
        size = 1.0 + 1.0 * int(y[i]) + 0.9 * float(torch.rand(1, generator=g))
        for _ in range(int(torch.randint(3, 7, (1,), generator=g))):
            cy, cx = (2 + 16 * torch.rand(2, generator=g)).tolist()
            th = float(torch.rand(1, generator=g)) * 3.14
            u = (xx - cx) * torch.cos(torch.tensor(th)) + (yy - cy) * torch.sin(torch.tensor(th))
            v = -(xx - cx) * torch.sin(torch.tensor(th)) + (yy - cy) * torch.cos(torch.tensor(th))
            img[i] += 0.8 * torch.sigmoid(3 * (size - u.abs())) * torch.sigmoid(
                3 * (0.7 * size - v.abs()))
    return ((img - 0.5) / 0.35).unsqueeze(1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 3))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = micrographs(1024, g)
    xva, yva = micrographs(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    rows, updates = [], 0
    for epoch in range(12):
        model.train()
        perm = torch.randperm(1024, generator=g)
        micro = []
        opt.zero_grad()
        for k, i in enumerate(range(0, 1024, MICRO)):
            idx = perm[i:i + MICRO]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            micro.append(loss.item())
            if (k + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                updates += 1
                rows.append({"update": updates, "epoch": epoch + 1,
                             "loss": round(sum(micro) / len(micro), 4), "val_loss": "",
                             "val_acc": ""})
                micro = []
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            rows[-1]["val_loss"] = round(F.cross_entropy(lv, yva).item(), 4)
            rows[-1]["val_acc"] = round((lv.argmax(1) == yva).float().mean().item(), 4)
        print(rows[-1])
    with open(out / "pan_log.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 12,
                "updates": updates, "accum": ACCUM}, out / "crystal_grader.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="crystal_grader.pt", log="pan_log.csv",
           what="small CNN grading sugar-refinery crystal micrographs, gradient accumulation x8",
           complaint="Crystal grading CNN for the pan station. Memory only takes micro-batches of "
                     "16 so I accumulate to 128. First few updates look fine, loss 1.10 → "
                     "0.73, then one update jumps to 15.5 and afterwards it sits at 1.10 with "
                     "val accuracy ~0.33, i.e. it calls everything the same grade. Same lr was "
                     "fine when I trained with batch 128 directly on the workstation.")


if __name__ == "__main__":
    main()
