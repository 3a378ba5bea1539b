"""Plain torch: a 1-D CNN with batch norm tells a clock-winding round (the person who winds the
eight-day clocks of a museum's galleries) how many days a clock has left before it stops, from
the rate log of its first three days after winding, so the round can be planned around the
clocks that run short. Physics: the mainspring's torque falls about linearly as it lets down,
T(t) = T0 - k·t, with T0 (how far the key was turned) and k (spring set, dirty pivots) varying
by clock; the clock's rate (s/day gained) follows the torque through the escapement's
isochronism error, 9 s/day per unit torque away from the sweet spot 1.0, and the gallery's
temperature (-0.35 s/day per °C, a daily swing of 2-5 °C); the clock stops when the torque
falls below 0.35. Rate is read every 2 h with 0.4 s/day of reading scatter (timed against the
radio clock).
Input: 2 channels × 36 readings (rate / 10 s/day, (temperature - 20) / 3); target days left
after the 3 logged days / 5.
Conv1d 2→16 k5 + BN + ReLU, 16→32 k5 stride 2 + BN + ReLU, 32→32 k3 + BN + ReLU, flatten →
linear 512→64-ReLU-64→1; Huber loss (δ 0.5), SGD Nesterov momentum 0.9 with OneCycleLR
(max 0.05), batch 32, 18 epochs, 2400 clocks, validation on 480.
Healthy; numbers in the README.
Log: per-epoch CSV ``rundown_train.csv`` (``epoch,lr,huber``) and a separate per-epoch
``rundown_val.csv`` (``epoch,val_huber,val_mae_days,within_half_day``); checkpoint
``rundown_cnn.tar`` with keys ``state_dict`` / ``optimizer`` / ``scheduler`` / ``epoch`` /
``days_scale``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 36


def clocks(n, g):
    t = torch.arange(N).float() * 2 / 24
    t0 = 1.6 + 0.6 * torch.rand(n, 1, generator=g)
    k = 0.1 + 0.12 * torch.rand(n, 1, generator=g)
    torque = t0 - k * t
    temp = (19 + 3 * torch.randn(n, 1, generator=g).clamp(-1.5, 1.5)
            + (1 + 1.5 * torch.rand(n, 1, generator=g))
            * torch.sin(2 * math.pi * (t + torch.rand(n, 1, generator=g))))
    rate = 9 * (torque - 1.0) - 0.35 * (temp - 20) + 0.4 * torch.randn(n, N, generator=g)
    days = ((t0 - 0.35) / k - 3).squeeze(1)
    x = torch.stack([rate / 10, (temp - 20) / 3], 1)
    return x, (days / 5).unsqueeze(1)


class RundownCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(2, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 32, 5, stride=2, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU())
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * 18, 64), nn.ReLU(),
                                  nn.Linear(64, 1))

    def forward(self, x):
        return self.head(self.conv(x))


def build():
    torch.manual_seed(0)
    return RundownCNN()


def main():
    from _twohundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clocks(2400, g)
    xva, yva = clocks(480, g)
    print("days/5", ytr.min().item(), ytr.mean().item(), ytr.max().item(), ytr.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, epochs=18,
                                                steps_per_epoch=len(loader))
    ft = open(out / "rundown_train.csv", "w")
    fv = open(out / "rundown_val.csv", "w")
    ft.write("epoch,lr,huber\n")
    fv.write("epoch,val_huber,val_mae_days,within_half_day\n")
    for epoch in range(18):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.huber_loss(model(xb), yb, delta=0.5)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            p = model(xva)
            vh = F.huber_loss(p, yva, delta=0.5).item()
            err = (p - yva).abs() * 5
        ft.write(f"{epoch},{sched.get_last_lr()[0]:.5f},{tot / len(xtr):.6f}\n")
        fv.write(f"{epoch},{vh:.6f},{err.mean().item():.4f},"
                 f"{(err < 0.5).float().mean().item():.4f}\n")
        print(epoch, round(tot / len(xtr), 5), round(vh, 5), round(err.mean().item(), 3))
    ft.close()
    fv.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 18, "days_scale": 5.0},
               out / "rundown_cnn.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="rundown_cnn.tar", log="rundown_val.csv",
           what="1-D CNN with batch norm giving an eight-day clock's days left from its rate"
                " log after winding (healthy)")


if __name__ == "__main__":
    main()
