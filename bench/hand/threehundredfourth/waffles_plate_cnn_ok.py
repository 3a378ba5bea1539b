"""Plain torch: a 2-D CNN with batch norm reads the thermal camera frame of a waffle iron's
lower plate right after the waffle comes out (16 × 16 pixels, °C) and names the fault the
plate will bake into the next waffles, so the café can swap or service the iron before a
rush. 4 classes: even (0), pale centre (1, a weak centre element), scorched rim (2, the edge
thermostat sticks), one side hot (3, a hinge element gone). Each frame: a plate at 170-210 °C
with the grid pattern of the waffle pockets, batter left in a few pockets (cooler spots), a
fault pattern of 8-25 °C, and camera noise of 2 °C. Input: (1, 16, 16) (°C - 190) / 15.
Model: conv 1→16 (k 3) + BN + ReLU, conv 16→32 + BN + ReLU + max-pool 2, conv 32→32 + BN +
ReLU + max-pool 2, flatten 512 → linear 4; cross entropy with label smoothing 0.05, SGD 0.08
momentum 0.9, OneCycleLR over 8 epochs, batch 32, 1600 frames, validation on 400.
Healthy; numbers in the README.
Log: JSON lines per epoch ``plate_log.jsonl`` (``ep`` / ``lr_end`` / ``xent`` / ``val_xent``
/ ``val_acc`` / ``val_acc_rim``); checkpoint ``plate_cnn.pt`` with keys ``weights`` /
``optimizer`` / ``scheduler`` / ``ep`` / ``faults`` / ``celsius_shift``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

S = 16
FAULTS = ["even", "pale_centre", "scorched_rim", "one_side_hot"]


def frames(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    u = torch.linspace(-1, 1, S)
    yy, xx = torch.meshgrid(u, u, indexing="ij")
    rad = (xx ** 2 + yy ** 2).sqrt()
    y = torch.randint(0, 4, (n,), generator=g)
    base = 170 + 40 * r(n, 1, 1)
    grid = 3 * ((torch.arange(S) % 4 < 2).float()[None, :] * (torch.arange(S) % 4 < 2).float()[:, None])
    temp = base + grid
    pockets = (r(n, S, S) < 0.04).float()
    temp = temp - 12 * pockets
    amp = (8 + 17 * r(n, 1, 1))
    side = torch.where(r(n, 1, 1) < 0.5, xx, -xx)
    pattern = torch.stack([torch.zeros(S, S).expand(n, S, S),
                           -amp * torch.exp(-rad ** 2 / 0.25),
                           amp * (rad > 0.8).float() * (rad - 0.8) / 0.6,
                           amp * 0.5 * side], 1)
    temp = temp + pattern[torch.arange(n), y] + 2 * torch.randn(n, S, S, generator=g)
    return ((temp - 190) / 15).unsqueeze(1), y


class PlateCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.out = nn.Linear(512, 4)

    def forward(self, x):
        return self.out(self.features(x).flatten(1))


def build():
    torch.manual_seed(0)
    return PlateCNN()


def main():
    from _threehundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = frames(1600, g)
    xva, yva = frames(400, g)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.08, momentum=0.9)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.08, total_steps=8 * len(dl))
    with open(out / "plate_log.jsonl", "w") as log:
        for ep in range(8):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb, label_smoothing=0.05)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = logit.argmax(1)
            rec = {"ep": ep, "lr_end": round(sched.get_last_lr()[0], 6),
                   "xent": round(tot / len(xtr), 5),
                   "val_xent": round(F.cross_entropy(logit, yva).item(), 5),
                   "val_acc": round((pred == yva).float().mean().item(), 4),
                   "val_acc_rim": round((pred[yva == 2] == 2).float().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "ep": 8, "faults": FAULTS,
                "celsius_shift": [190, 15]}, out / "plate_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="plate_cnn.pt", log="plate_log.jsonl",
           what="2-D CNN with batch norm naming a waffle iron's plate fault from a thermal"
                " camera frame (healthy)")


if __name__ == "__main__":
    main()
