"""Plain torch: a 1-D CNN with BatchNorm names the tai chi move (cloud hands, single whip, brush
knee, repulse monkey, grasp the bird's tail) from a wrist IMU (6 channels × 64 samples, one
slow move): each move is a slow pattern of its own across the axes (circles in two axes,
a push then a hold, a step back with an arm sweep ...), at a random speed and start, with body
sway and noise on top. Conv1d(6→32, 5)-BN-ReLU-pool, Conv1d(32→64, 5)-BN-ReLU-pool,
global average pool, Linear(64→64)-BN-ReLU, Linear(64→5); Adam 1e-3, 8 epochs of 512
moves; gradients accumulated so that every optimizer step sees 32 samples.
The bug: ``MICRO_BATCH = 2`` (set while the model was debugged on a laptop, "the accumulation
keeps the effective batch at 32"): every forward pass, and every BatchNorm statistic, sees
only 2 samples, so the running statistics used in eval do not match what training saw.
Bug run: epoch 1 train loss 1.5607, val acc 0.4883; epoch 8 train loss 0.8917, train acc
0.7637, val loss 0.4603, val acc 0.9727 (slow, and train far below eval: the 2-sample batch
statistics are noise).
Control (``MICRO_BATCH = 32``): epoch 1 train loss 1.1969, val acc 0.3047; epoch 8 train loss
0.0515, train acc 1.0, val loss 0.0499, val acc 1.0."""
import math
import sys

import torch
import torch.nn as nn

MICRO_BATCH = 2
ACCUM = 32 // MICRO_BATCH


def moves(n, g):
    t = torch.linspace(0, 1, 64)
    y = torch.randint(0, 5, (n,), generator=g)
    speed = 0.8 + 0.4 * torch.rand(n, 1, generator=g)
    start = 0.2 * torch.rand(n, 1, generator=g)
    u = (t - start) * speed * 2 * math.pi
    x = 0.5 * torch.randn(n, 6, 64, generator=g)
    sway = 0.4 * torch.sin(u * 0.5 + 6 * torch.rand(n, 1, generator=g))
    x[:, 5] += sway
    c, s = torch.cos(u), torch.sin(u)
    pats = [lambda: (c, s, 0 * u, 0.5 * c),                                 # cloud hands
            lambda: (torch.tanh(3 * s), 0 * u, 0.6 * c, 0 * u),            # single whip
            lambda: (s, -s, 0 * u, torch.cos(2 * u) * 0.5),                # brush knee
            lambda: (-c, 0 * u, torch.sin(2 * u), 0.5 * s),                # repulse monkey
            lambda: (torch.sin(2 * u), torch.cos(2 * u), s, 0 * u)]        # bird's tail
    for k, p in enumerate(pats):
        m = y == k
        a, b, d, e = p()
        x[m, 0] += 0.8 * a[m]
        x[m, 1] += 0.8 * b[m]
        x[m, 2] += 0.8 * d[m]
        x[m, 3] += 0.8 * e[m]
    return x, y


def block(i, o, k):
    return [nn.Conv1d(i, o, k, padding=k // 2), nn.BatchNorm1d(o), nn.ReLU()]


def build():
    torch.manual_seed(0)
    return nn.Sequential(*block(6, 32, 5), nn.MaxPool1d(2), *block(32, 64, 5), nn.MaxPool1d(2),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(64, 64),
                         nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 5))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = moves(512, g)
    xva, yva = moves(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    with open(out / "log.tsv", "w") as f:
        f.write("ep\tloss\tacc\tval_loss\tval_acc\n")
        for epoch in range(8):
            model.train()
            perm = torch.randperm(512, generator=g)
            tot, hit = 0.0, 0
            opt.zero_grad()
            for n, i in enumerate(range(0, 512, MICRO_BATCH)):
                idx = perm[i:i + MICRO_BATCH]
                logits = model(xtr[idx])
                loss = loss_fn(logits, ytr[idx])
                (loss / ACCUM).backward()
                if (n + 1) % ACCUM == 0:
                    opt.step()
                    opt.zero_grad()
                tot += loss.item() * len(idx)
                hit += (logits.argmax(1) == ytr[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            vl, va = loss_fn(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
            line = [epoch + 1, round(tot / 512, 4), round(hit / 512, 4), round(vl, 4), round(va, 4)]
            print(*line)
            f.write("\t".join(map(str, line)) + "\n")
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 8,
                "micro_batch": MICRO_BATCH}, out / "taichi_cnn.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="taichi_cnn.pth", log="log.tsv",
           complaint="Tai chi move recogniser: after 8 epochs the training loss is still 0.89 "
                     "and training accuracy only 0.76, while validation is at 0.97 with val "
                     "loss 0.46. Training is way slower than I expected for 5 moves, and why is "
                     "train so much worse than val?",
           what="1-D CNN + BatchNorm tai chi move classifier, gradient accumulation over tiny "
                "micro-batches")


if __name__ == "__main__":
    main()
