"""Plain torch: a 1-D CNN (no batch norm) names the vault family from the sensor pod a
women's artistic gymnastics coach clips to the gymnast's lower back (vertical acceleration
and yaw rate, 128 samples at 200 Hz around the take-off), so the club's video-free training
diary can file each vault. 4 families: handspring entry (board, then hands on the table),
Tsukahara (a quarter turn between board and table), Yurchenko (round-off onto the mat,
back-handspring off the board: an extra hand impact and a half turn before the board),
handspring with a full twist (the turn comes after the table push). Impacts are short
Gaussian spikes whose height follows the run-up speed, timing jitters by ± 10 samples,
the yaw trace carries the turns (90 / 180 / 360 ° integrated), plus sensor noise and a
slow drift. Input: (2, 128), acceleration / 4 and yaw rate / 4 (sensor units).
Model: Conv1d 2→16 (k7)→ReLU→pool 2, 16→32 (k5)→ReLU→pool 2, 32→32 (k3)→ReLU, global
average pool → linear 32→4; cross-entropy, SGD momentum 0.9, batch 256, 10 epochs,
2048 vaults, validation on 512.
The bug: ``LR = 0.05 * BATCH / 8  # linear scaling rule (0.05 at batch 8)`` gives SGD a
learning rate of 1.6; the net is knocked to a constant guess in its first steps and
stays there: train CE 1.384 at step 1, 1.37-1.73 to the end (1.400 at step 80), val CE
1.38-1.45 (ln 4 = 1.386), val acc 0.22-0.29, 0.258 at the end (control, ``LR = 0.05``:
train CE 1.384 → 0.0044, val CE 1.385 → 0.0046, val acc 0.455 → 1.000).
Log: CSV per step ``vault_steps.csv`` (``step`` / ``epoch`` / ``lr`` / ``ce``) and a
separate per-epoch CSV ``vault_val.csv`` (``epoch`` / ``val_ce`` / ``val_acc``, named as
the log in the truth); checkpoint ``vault_cnn.pt`` with keys ``weights`` / ``sgd_state`` /
``epoch`` / ``lr`` / ``families``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FAMILIES = ["handspring", "tsukahara", "yurchenko", "handspring_full"]
N = 128
BATCH = 256


def vaults(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(N).float().unsqueeze(0)
    fam = torch.randint(0, 4, (n,), generator=g)
    speed = 7 + 2 * r(n, 1)
    board = 50 + (20 * r(n, 1) - 10).round()
    hands = board + 12 + (4 * r(n, 1)).round()
    spike = lambda at, h, w=2.0: h * torch.exp(-((t - at) / w) ** 2)  # noqa: E731
    bump = lambda a, b, deg: deg / 45 * torch.sigmoid((t - a) * 1.5) * torch.sigmoid((b - t) * 1.5)  # noqa: E731, E501
    acc = spike(board, 0.5 * speed) + spike(hands, 0.25 * speed)
    yaw = torch.zeros(n, N)
    yur = (fam == 2).float().unsqueeze(1)
    acc = acc + yur * spike(board - 14, 0.2 * speed, 3.0)
    yaw = yaw + yur * bump(board - 18, board - 6, 180)
    yaw = yaw + (fam == 1).float().unsqueeze(1) * bump(board + 2, hands - 2, 90)
    yaw = yaw + (fam == 3).float().unsqueeze(1) * bump(hands + 6, hands + 40, 360)
    drift = 0.3 * r(n, 1) * t / N
    acc = acc + drift + 0.3 * torch.randn(n, N, generator=g)
    yaw = yaw + 0.3 * torch.randn(n, N, generator=g)
    x = torch.stack([acc / 4, yaw / 4], 1)
    return x, fam


class VaultCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(2, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.ReLU())
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.conv(x).mean(2))


def build():
    torch.manual_seed(0)
    return VaultCNN()


def main():
    from _threehundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = vaults(2048, g)
    xva, yva = vaults(512, g)
    print("classes", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=BATCH, shuffle=True)
    model = build()
    LR = 0.05 * BATCH / 8  # linear scaling rule (0.05 at batch 8)
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    step = 0
    with open(out / "vault_steps.csv", "w", newline="") as fs, \
            open(out / "vault_val.csv", "w", newline="") as fv:
        ls, lv = csv.writer(fs), csv.writer(fv)
        ls.writerow(["step", "epoch", "lr", "ce"])
        lv.writerow(["epoch", "val_ce", "val_acc"])
        for epoch in range(10):
            model.train()
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                ls.writerow([step, epoch, LR, f"{loss.item():.6g}"])
            model.eval()
            with torch.no_grad():
                lo = model(xva)
            vce, acc = F.cross_entropy(lo, yva).item(), (lo.argmax(1) == yva).float().mean().item()
            lv.writerow([epoch, f"{vce:.6g}", f"{acc:.4f}"])
            print(epoch, loss.item(), vce, acc)
    torch.save({"weights": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 10,
                "lr": LR, "families": FAMILIES}, out / "vault_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="vault_cnn.pt", log="vault_val.csv",
           what="1-D CNN without batch norm naming the vault family from a gymnast's back-worn"
                " accelerometer and gyro; SGD learning rate scaled up to 1.6",
           complaint="The vault classifier for our gymnastics club is useless. The training"
                     " loss sits at about 1.4 from the first batch to the last, and on"
                     " held-out vaults it is right about a quarter of the time, although a coach can tell the"
                     " families apart from the traces at a glance.")


if __name__ == "__main__":
    main()
