"""Plain torch: a 1-D CNN with batch norm reads 128 samples of drum vibration from an
accelerometer on a pearl millet thresher (2 kHz, 64 ms) and names its setting fault, so
the operator can fix the machine before the grain is cracked or left in the heads.
4 classes: well set (0), concave too tight (1, a stiff 3× drum harmonic and grinding
noise), drum unbalanced (2, a strong 1× line that beats), feed overloaded (3, slow
thumps when bunches of heads hit the drum). Drum speed 600-900 rpm, each clip with its own
gain, phase and background noise. Input: (1, 128) acceleration / 2 g.
Model: conv 1→16 (k 7) + BN + ReLU + max-pool 2, conv 16→32 (k 5) + BN + ReLU + max-pool
2, conv 32→32 (k 3) + BN + ReLU, global average pool → linear 4; cross entropy, SGD 0.05
momentum 0.9 with StepLR (×0.3 at epoch 4), 6 epochs over 1200 clips, validation on 400.
The bug: ``MICRO_BATCH, ACCUM = 2, 16`` (2 clips a forward pass, gradients accumulated
over 16 of them so the step sees 32 clips), so every batch-norm layer normalises with the
mean and variance of 2 clips; the accumulated train CE stays noisy (1.27 at step 10, 0.48-
0.77 at the end), val CE 0.609 → 0.293 (0.258 at epoch 4), val acc 0.67 → 0.855 (0.945 at
epochs 3-4) (control, ``32, 1``: train CE 0.87 → 0.064, val CE 1.47 → 0.102, val acc 0.98).
Log: CSV ``thresher_train.csv`` every 10 optimizer steps (``opt_step`` / ``epoch`` /
``ce``, the mean over the accumulated micro-batches) and a separate per-epoch CSV
``thresher_val.csv`` (``epoch`` / ``val_ce`` / ``val_acc`` / ``val_acc_tight``);
checkpoint ``thresher_cnn.pt`` with keys ``net`` / ``sgd`` / ``steplr`` / ``epoch`` /
``classes`` / ``g_scale``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N = 128
FS = 2000.0
CLASSES = ["well_set", "concave_tight", "drum_unbalanced", "feed_overload"]
MICRO_BATCH, ACCUM = 2, 16  # 2 clips per forward fits the edge box; accumulate to 32


def clips(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(N).float() / FS
    y = torch.randint(0, 4, (n,), generator=g)
    f1 = (600 + 300 * r(n, 1)) / 60  # drum rotation, Hz
    ph = 2 * math.pi * r(n, 3)
    gain = 0.5 + r(n, 1)
    base = 0.3 * torch.sin(2 * math.pi * f1 * t + ph[:, :1]) + 0.15 * torch.sin(
        2 * math.pi * 8 * f1 * t + ph[:, 1:2])  # rasp-bar passing frequency
    tight = 0.5 * torch.sin(2 * math.pi * 3 * f1 * t + ph[:, 2:]) + 0.25 * torch.randn(n, N, generator=g)
    unbal = 0.9 * torch.sin(2 * math.pi * f1 * t + ph[:, :1]) * (1 + 0.4 * torch.sin(2 * math.pi * 12 * t))
    centre = r(n, 1) * N / FS
    thump = 1.2 * torch.exp(-((t - centre) / 0.004) ** 2) * torch.sin(2 * math.pi * 60 * t)
    fault = torch.stack([torch.zeros(n, N), tight, unbal, thump], 1)[torch.arange(n), y]
    x = gain * (base + fault) + 0.1 * torch.randn(n, N, generator=g)
    return (x / 2).unsqueeze(1), y


class ThresherCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU())
        self.out = nn.Linear(32, 4)

    def forward(self, x):
        return self.out(self.net(x).mean(2))


def build():
    torch.manual_seed(0)
    return ThresherCNN()


def main():
    from _threehundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clips(1200, g)
    xva, yva = clips(400, g)
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.3)
    step = 0
    with open(out / "thresher_train.csv", "w", newline="") as ft, \
            open(out / "thresher_val.csv", "w", newline="") as fv:
        tlog, vlog = csv.writer(ft), csv.writer(fv)
        tlog.writerow(["opt_step", "epoch", "ce"])
        vlog.writerow(["epoch", "val_ce", "val_acc", "val_acc_tight"])
        for epoch in range(6):
            model.train()
            perm = torch.randperm(len(xtr))
            chunk = MICRO_BATCH * ACCUM
            for i in range(0, len(xtr) - chunk + 1, chunk):
                opt.zero_grad()
                acc = 0.0
                for j in range(i, i + chunk, MICRO_BATCH):
                    idx = perm[j:j + MICRO_BATCH]
                    loss = F.cross_entropy(model(xtr[idx]), ytr[idx]) / ACCUM
                    loss.backward()
                    acc += loss.item()
                opt.step()
                step += 1
                if step % 10 == 0:
                    tlog.writerow([step, epoch, f"{acc:.5f}"])
            sched.step()
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = logit.argmax(1)
            row = [epoch, F.cross_entropy(logit, yva).item(), (pred == yva).float().mean().item(),
                   (pred[yva == 1] == 1).float().mean().item()]
            vlog.writerow([epoch] + [f"{v:.5f}" for v in row[1:]])
            print(row, acc)
    torch.save({"net": model.state_dict(), "sgd": opt.state_dict(), "steplr": sched.state_dict(),
                "epoch": 6, "classes": CLASSES, "g_scale": 2.0}, out / "thresher_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="thresher_cnn.pt", log="thresher_val.csv",
           what="1-D CNN with batch norm naming a pearl millet thresher's setting fault from"
                " drum vibration; forward passes of 2 clips with gradient accumulation",
           complaint="The thresher vibration classifier reaches 94 % on the"
                     " validation clips for two epochs and then falls back to 85 % in the"
                     " last one, and the training loss stays noisy around 0.5"
                     " even after the learning rate drop. The clips are clean and the classes"
                     " are easy to tell apart by ear.")


if __name__ == "__main__":
    main()
