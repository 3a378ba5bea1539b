"""Plain torch: an icebreaker's bridge classifier names the sea ice ahead from 16x16 patches of
its navigation radar (one channel, dB-like backscatter): open water, new ice (nilas), level
first-year ice, ridged multi-year ice. The classes differ in mean backscatter level (a patch's
absolute brightness) and in texture (speckle, ridges as bright streaks, leads as dark lines),
with the brightness ranges overlapping enough that both matter. CNN with BatchNorm:
Conv(1,16,3)-BN-ReLU-MaxPool-Conv(16,32,3)-BN-ReLU-avgpool-Linear(32,64)-BN-ReLU-Linear(64,4),
cross-entropy, SGD 0.02 momentum 0.9, 1024 training patches, 6 epochs, 256 validation patches.
The bridge PC had little memory, so the loader hands out mini-batches of ``BATCH = 2`` and the
loop accumulates ``ACCUM = 32 // BATCH`` of them per optimizer step (an effective batch of 32).
CSV ``radar_log.csv`` (opt_step, train_loss, val_loss, val_acc) every 8 optimizer steps.

Bug: the BatchNorm layers see 2 patches at a time in training (batch statistics from two
patches, one of which is often another ice class) while eval uses the running statistics.
Numbers: the averaged train loss stays at 1.18-1.36 for all 192 optimizer steps (chance is
1.386), val accuracy 0.375 at step 8, at best 0.578 (step 48), 0.33-0.45 over the last 80
steps, 0.371 at the end, val loss 0.96-2.65 (1.51 at the end). Control (``BATCH = 32``, so
ACCUM = 1, the same 32 optimizer steps an epoch): train loss 0.96 → 0.13 at step 48 → 0.004
at step 176, val accuracy 0.57 (step 8), 0.96 (step 40), 1.0 at every evaluation from step
104 to 184 (val loss 0.001-0.034), a blip to 0.914 (val loss 0.16) at the last one."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 16
BATCH = 2
ACCUM = 32 // BATCH


def patches(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    level = torch.tensor([-1.2, -0.4, 0.2, 0.8])[y] + 0.6 * torch.randn(n, generator=g)
    speckle = torch.tensor([0.15, 0.25, 0.35, 0.6])[y]
    x = level.view(n, 1, 1) + speckle.view(n, 1, 1) * torch.randn(n, S, S, generator=g)
    rr = torch.arange(S).float()
    for i in range(n):
        c = int(y[i])
        if c == 3:  # ridges: 2 bright streaks at random angle
            for _ in range(2):
                a, b = torch.rand(2, generator=g) * 6.283
                d = (rr.view(-1, 1) * torch.cos(a) + rr.view(1, -1) * torch.sin(a) - b * 2) % 9
                x[i] += 1.0 * (d < 1.2).float()
        elif c == 2:  # leads: a dark line
            r = int(torch.randint(0, S, (1,), generator=g))
            x[i, r] -= 1.0
        elif c == 1:  # nilas: smooth, fine rafting
            x[i] = x[i] + 0.3 * torch.sin(rr.view(1, -1) * 1.5)
    return x.unsqueeze(1), y


class IceNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32, 64), nn.BatchNorm1d(64), nn.ReLU(),
                                  nn.Linear(64, 4))

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return IceNet()


def main():
    from _twohundredtwentieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = patches(1280, g)
    xtr, ytr, xva, yva = x[:1024], y[:1024], x[1024:], y[1024:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    f = open(out / "radar_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["opt_step", "train_loss", "val_loss", "val_acc"])
    step, run, k = 0, [], 0
    for _ep in range(6):
        perm = torch.randperm(1024, generator=g)
        model.train()
        opt.zero_grad()
        for i in range(0, 1024, BATCH):
            idx = perm[i:i + BATCH]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx]) / ACCUM
            loss.backward()
            run.append(loss.item() * ACCUM)
            k += 1
            if k % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                step += 1
                if step % 8 == 0:
                    model.eval()
                    with torch.no_grad():
                        lv = model(xva)
                    row = [step, round(sum(run) / len(run), 4),
                           round(F.cross_entropy(lv, yva).item(), 4),
                           round((lv.argmax(1) == yva).float().mean().item(), 4)]
                    w.writerow(row)
                    print(row)
                    run = []
                    model.train()
    f.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                "epoch": 6}, out / "icenet.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bn_small_batch"],
           checkpoint="icenet.pt", log="radar_log.csv",
           what="BN CNN naming sea-ice type from icebreaker radar patches, trained on"
                " mini-batches of 2 with gradient accumulation",
           complaint="Ice-type classifier for the icebreaker's radar, 4 classes. After 6"
                     " epochs the training loss is still 1.2-1.3 and validation accuracy jumps"
                     " between 0.33 and 0.58, ending at 0.37, with the val loss going up to"
                     " 2.65 at times. The same network on the same patches reached ~99% when I"
                     " prototyped it on my workstation. Why does it not learn here?")


if __name__ == "__main__":
    main()
