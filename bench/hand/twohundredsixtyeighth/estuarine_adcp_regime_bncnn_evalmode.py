"""Plain torch: a 1-D CNN with BatchNorm names the flow regime at an estuarine mooring from a
10-minute ADCP burst (64 pings, 3 channels: along-channel velocity (cm/s), cross-channel
velocity (cm/s), echo intensity (raw counts)). 4 classes: rising tide (landward, strengthening),
falling tide (seaward, strengthening), slack water (near-zero flow, turning), river spate
(strong seaward flow with high, rising echo from suspended sediment). Raw units go straight in;
the first layer is a BatchNorm1d that is meant to do the scaling. BN(3) → Conv1d 3→24 (k7)
-BN-ReLU-MaxPool → Conv1d 24→48 (k5)-BN-ReLU → global average → Dropout 0.3 → Linear 48→4,
cross-entropy, SGD 0.01 momentum 0.9 (weight decay 5e-4) with StepLR(5, 0.5), batch 128, 14 epochs of
2048 bursts, validation on 512 bursts (val CE, val acc).
The bug: before the loop the script does a shape check with ``model.eval()  # quick shape
check on a few val bursts``, and the training loop never calls ``model.train()``. Every step
trains with the BatchNorm layers on their initial running statistics (mean 0, var 1, never
updated), so the input BN passes echo counts of ~150-200 and ±150 cm/s velocities through unscaled, and
dropout is off. Result: train CE 2.25 (epoch 1), train acc dropping to 0.373 in epoch 2, then a slow
climb to train CE 0.398 / acc 0.811 and val CE 0.400 / acc 0.797 at epoch 14 (best 0.828).
Control (``model.train()`` at the top of each epoch): val acc 0.518 → 0.994 at epoch 3 and
1.0 from epoch 6, val CE 1.33 → 0.025, train CE 0.87 → 0.051.
Log: JSON lines per epoch (``ep`` / ``train_ce`` / ``train_acc`` / ``val_ce`` / ``val_acc``)
in ``regime_log.jsonl``; checkpoint ``adcp_cnn.pt`` with keys ``net`` / ``opt`` / ``sched`` /
``ep`` / ``regimes``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

P = 64
REGIMES = ["rising", "falling", "slack", "spate"]


def bursts(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.linspace(0, 1, P)
    peak = 40 + 80 * torch.rand(n, 1, generator=g)
    ramp = 0.6 + 0.8 * t
    sign = torch.tensor([1.0, -1.0, 0.0, -1.0])[y][:, None]
    along = sign * peak * ramp
    slack = (y == 2)[:, None]
    along = torch.where(slack, 25 * (t - 0.3 - 0.4 * torch.rand(n, 1, generator=g)), along)
    spate = (y == 3)[:, None]
    along = torch.where(spate, -(90 + 60 * torch.rand(n, 1, generator=g)) * torch.ones_like(t), along)
    along = along + 12 * torch.randn(n, P, generator=g)
    cross = 0.15 * along.abs() * torch.randn(n, 1, generator=g) + 6 * torch.randn(n, P, generator=g)
    echo = 150 + 18 * torch.rand(n, 1, generator=g) + 6 * torch.randn(n, P, generator=g)
    echo = echo + spate * (14 + 22 * t) + 0.06 * along.abs()
    return torch.stack([along, cross, echo], 1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.BatchNorm1d(3),
                         nn.Conv1d(3, 24, 7, padding=3), nn.BatchNorm1d(24), nn.ReLU(),
                         nn.MaxPool1d(2),
                         nn.Conv1d(24, 48, 5, padding=2), nn.BatchNorm1d(48), nn.ReLU(),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Dropout(0.3),
                         nn.Linear(48, 4))


def main():
    from _twohundredsixtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = bursts(2048, g)
    xva, yva = bursts(512, g)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    model.eval()  # quick shape check on a few val bursts
    with torch.no_grad():
        print("logits", tuple(model(xva[:4]).shape))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, 5, 0.5)
    with open(out / "regime_log.jsonl", "w") as f:
        for ep in range(1, 15):
            tot, hit = 0.0, 0
            for xb, yb in loader:
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                hit += (logits.argmax(1) == yb).sum().item()
            sched.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            row = {"ep": ep, "train_ce": round(tot / len(ytr), 5),
                   "train_acc": round(hit / len(ytr), 5),
                   "val_ce": round(F.cross_entropy(logits, yva).item(), 5),
                   "val_acc": round((logits.argmax(1) == yva).float().mean().item(), 5)}
            print(row)
            f.write(json.dumps(row) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                "ep": 14, "regimes": REGIMES}, out / "adcp_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="adcp_cnn.pt", log="regime_log.jsonl",
           what="estuarine ADCP flow-regime CNN (BatchNorm, dropout) trained with the model"
                " left in eval mode after a shape check",
           complaint=("Flow-regime classifier for our mooring's ADCP bursts plateaus around 80 %"
                      " val accuracy (train about the same, 0.81) and the first epochs are all"
                      " over the place (train CE 2.25 in epoch 1, accuracy dropping to 37 % in"
                      " epoch 2). Rising/falling/slack/spate should be easy to tell apart from"
                      " the velocity sign and the echo, and the net has BatchNorm on the"
                      " inputs, so scaling should not matter. SGD 0.01 with momentum, 14"
                      " epochs. What is holding it back?"))


if __name__ == "__main__":
    main()
