"""Plain torch: a 1-D CNN sorts walrus vocalisations from a hydrophone moored off a haul-out into
four call types: knocks (trains of short clicks at a steady rate), bells (a tonal ring that
decays), grunts (low, broadband bursts) and whistles (a rising tonal sweep). Each clip is 256
samples of a band-limited waveform envelope with sea noise and a random onset and loudness.
1-D CNN: Conv1d(1,16,9)-BN-ReLU-MaxPool(4)-Conv1d(16,32,7)-BN-ReLU-MaxPool(4)-Conv1d(32,32,5)
-ReLU-global avg pool-Linear(32,4), cross-entropy, Adam 1e-3, batch 32, 8 epochs of 1536
clips, 256 validation clips. Per-step CSV ``calls.csv`` (step, epoch, loss, val_loss,
val_acc): the training loss every step, the validation columns every 24 steps, empty between.
The clips come from the deployment's files in file-name order; the script puts them in
recording-time order before splitting so that validation is the last part of the deployment.

Bug: the time sort reorders the clips and their timestamps, ``x, stamp = x[order],
stamp[order]``, but not the labels, so every clip carries another clip's call type. Numbers:
training loss 1.43 at step 1, 1.33-1.45 at every step up to 384 (chance 1.386), val loss 1.389-1.404,
val accuracy 0.23-0.27 at every evaluation (0.25 at the end). Control (``x, stamp, y =
x[order], stamp[order], y[order]``): val accuracy 0.734 at step 24, 0.992 at 48, 1.0 from step
72 on; val loss 1.01 → 0.217 (step 72) → 0.007 (step 384); training loss 1.50 → 0.011."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

N = 256


def clips(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(N).float()
    x = 0.3 * torch.randn(n, N, generator=g)
    onset = torch.randint(10, 90, (n,), generator=g)
    amp = 0.8 + 0.8 * torch.rand(n, generator=g)
    for i in range(n):
        s = t - onset[i]
        on = (s >= 0).float()
        c = int(y[i])
        if c == 0:  # knocks: clicks every ~12 samples
            rate = 10 + int(torch.randint(0, 5, (1,), generator=g))
            sig = on * ((s % rate) < 2).float() * (s < 140).float() * 1.6
        elif c == 1:  # bell: ring with exponential decay
            f = 0.35 + 0.1 * torch.rand(1, generator=g)
            sig = on * torch.sin(f * s) * torch.exp(-s / 60)
        elif c == 2:  # grunt: low broadband burst
            burst = torch.randn(N, generator=g).cumsum(0) * 0.15
            sig = on * (s < 70).float() * (burst - burst.mean())
        else:  # whistle: rising sweep
            sig = on * (s < 120).float() * torch.sin(0.05 * s + 0.002 * s * s) * 0.9
        x[i] += amp[i] * sig
    stamp = torch.rand(n, generator=g) * 30  # days into the deployment
    return x.unsqueeze(1), y, stamp


class CallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(1, 16, 9, padding=4), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(16, 32, 7, padding=3), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
            nn.Linear(32, 4))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return CallNet()


def main():
    from _twohundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y, stamp = clips(1792, g)
    order = torch.argsort(stamp)
    x, stamp = x[order], stamp[order]
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "calls.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "epoch", "loss", "val_loss", "val_acc"])
    step = 0
    for ep in range(1, 9):
        perm = torch.randperm(1536, generator=g)
        for i in range(0, 1536, 32):
            model.train()
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            row = [step, ep, round(loss.item(), 4), "", ""]
            if step % 24 == 0:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                row[3] = round(F.cross_entropy(lv, yva).item(), 4)
                row[4] = round((lv.argmax(1) == yva).float().mean().item(), 4)
                print(row)
            w.writerow(row)
    f.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 8,
                "step": step}, out / "callnet.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="callnet.pt", log="calls.csv",
           what="1-D CNN classifying walrus call types from hydrophone clips, clips re-sorted"
                " by time without their labels",
           complaint="My walrus call classifier (knock / bell / grunt / whistle) does not learn"
                     " at all: the loss sits at 1.38-1.40 for 8 epochs and validation accuracy"
                     " is 25%, i.e. guessing. I listened to a few clips and the calls are"
                     " clear and easy to tell apart by ear. Changing the learning rate did"
                     " nothing.")


if __name__ == "__main__":
    main()
