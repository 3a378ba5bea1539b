"""Plain torch: a 1-D CNN without batch norm flags a dimension-stone block with a hidden
crack (a "vent" or dry seam) from an ultrasonic pulse sent through it across the saw face,
so the quarryman can split the block before it goes to the gang saw. Each trace: 160
samples at 500 kHz of the received pulse. The rule behind the labels: a sound block
passes the 50 kHz pulse after a travel time set by its width (1.2-2.0 m) and the stone's
velocity (granite 4.5-5.5 km/s), attenuated with distance; a block with a seam shows a
weaker first arrival (the seam scatters it), a later echo from the seam face whose delay
depends on where the seam sits, and more ringing. About 30 % of the blocks have a seam.
Input: (1, 160) trace divided by the train std. Model: Conv1d 1→12 (k9) + ReLU + MaxPool2,
Conv1d 12→24 (k7) + ReLU + MaxPool2, Conv1d 24→24 (k5) + ReLU, global max pool, Linear
24→1; BCE with logits, Adam 3e-3 with ExponentialLR (×0.9 per epoch), batch 40, 12
epochs, 1600 blocks, validation on 400.
Healthy; numbers in the README.
Log: CSV every 10 steps ``pulse_steps.csv`` (``step`` / ``bce``) and a per-epoch CSV
``pulse_val.csv`` (``epoch`` / ``val_bce`` / ``val_acc`` / ``val_seam_recall`` /
``val_seam_precision``); checkpoint ``vent_cnn.pt`` with keys ``params`` / ``adam`` /
``lr_sched`` / ``epoch`` / ``trace_std`` / ``seam_share``."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N, FS, F0 = 160, 500e3, 50e3


def traces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    seam = (r(n, 1) < 0.3).float()
    width = 1.2 + 0.8 * r(n, 1)
    vel = 4500 + 1000 * r(n, 1)
    t = torch.arange(N).float().unsqueeze(0) / FS
    arrive = width / vel  # 0.22-0.44 ms
    lag = 20e-6 + 60e-6 * r(n, 1)  # the seam echo, after the direct arrival

    def pulse(t0, amp, ring):
        dt = t - t0
        return amp * torch.exp(-(dt / ring) ** 2) * torch.sin(2 * math.pi * F0 * dt)

    ring = 25e-6 * (1 + 0.6 * seam)
    amp = torch.exp(-0.6 * width) * (1 - 0.5 * seam) * (0.8 + 0.4 * r(n, 1))
    x = pulse(arrive, amp, ring) + seam * pulse(arrive + lag, 0.45 * amp, ring)
    x = x / torch.exp(-0.6 * width)  # the gain is set to the block width
    x = x + 0.08 * torch.randn(n, N, generator=g)
    return x.unsqueeze(1), seam


class VentCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 12, 9, padding=4), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(12, 24, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(24, 24, 5, padding=2), nn.ReLU())
        self.out = nn.Linear(24, 1)

    def forward(self, x):
        return self.out(self.conv(x).amax(-1))


def build():
    torch.manual_seed(0)
    return VentCNN()


def main():
    from _threehundredfortyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = traces(1600, g)
    rva, yva = traces(400, g)
    std = rtr.std()
    xtr, xva = rtr / std, rva / std
    print("seam share", ytr.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    step = 0
    with open(out / "pulse_steps.csv", "w", newline="") as fs, \
            open(out / "pulse_val.csv", "w", newline="") as fv:
        ls, lv = csv.writer(fs), csv.writer(fv)
        ls.writerow(["step", "bce"])
        lv.writerow(["epoch", "val_bce", "val_acc", "val_seam_recall", "val_seam_precision"])
        for epoch in range(12):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    ls.writerow([step, f"{loss.item():.6g}"])
            sched.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            tp = (pred * yva).sum()
            row = [F.binary_cross_entropy_with_logits(logits, yva).item(),
                   (pred == yva).float().mean().item(), (tp / yva.sum()).item(),
                   (tp / pred.sum().clamp_min(1)).item()]
            lv.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"params": model.state_dict(), "adam": opt.state_dict(),
                "lr_sched": sched.state_dict(), "epoch": 12, "trace_std": std,
                "seam_share": ytr.mean().item()}, out / "vent_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="vent_cnn.pt", log="pulse_val.csv",
           what="1-D CNN without batch norm flagging a quarry block with a hidden seam from an"
                " ultrasonic pulse trace (healthy)")


if __name__ == "__main__":
    main()
