"""Plain torch: an MLP classifies forklift manoeuvres (idle, drive, lift, lower, turn) from
1-s windows of a mast-mounted IMU (3-axis accel + 3-axis gyro, 25 Hz, 150 values, standardised).
Adam at lr 1e-7 (the person meant 1e-3, typed the exponent of a fine-tuning recipe), batch 64,
20 epochs of 1536 windows; checkpoint ``{"epoch", "net", "opt"}``; JSON-lines log
(``ep``, ``loss``, ``val_loss``, ``val_acc``).
Broken: lr far too small, the loss creeps down almost linearly from ln 5 and ends far above the
control's (lr 1e-3).
Run: train loss 1.6138 → 1.6126 over 20 epochs, val loss 1.6127 → 1.6115, val acc 0.22;
control (lr 1e-3): train loss 0.0008, val loss 0.019, val acc 0.998."""
import json

import torch
from torch import nn

K, T = 5, 25


def windows(n, g):
    y = torch.randint(0, K, (n,), generator=g)
    t = torch.arange(T).float() / T
    x = 0.6 * torch.randn(n, 6, T, generator=g)
    ph = torch.rand(n, 1, generator=g) * 6.28
    drive = torch.sin(6.28 * 2 * t + ph)
    x[y == 1, 0] += 1.2 * drive[y == 1]                  # longitudinal surge
    x[y == 2, 2] += 1.0 + 0.5 * t                         # mast up: vertical accel
    x[y == 3, 2] -= 1.0 + 0.5 * t                         # mast down
    x[y == 4, 5] += 1.3                                   # yaw rate
    x[y == 4, 1] += 0.6 * drive[y == 4]
    return x.flatten(1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6 * T, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                         nn.Linear(64, K))


def main():
    from _hundredsixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1536, g)
    xva, yva = windows(512, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-7)
    lossf = nn.CrossEntropyLoss()
    log = open(out / "train_log.jsonl", "w")
    for ep in range(20):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = lossf(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl, va = lossf(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
        log.write(json.dumps({"ep": ep + 1, "loss": round(tot / len(xtr), 5),
                              "val_loss": round(vl, 5), "val_acc": round(va, 4)}) + "\n")
        print(ep + 1, tot / len(xtr), vl, va)
    log.close()
    torch.save({"epoch": 20, "net": model.state_dict(), "opt": opt.state_dict()}, out / "forklift.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"], checkpoint="forklift.pt",
           log="train_log.jsonl",
           what="forklift IMU manoeuvre MLP, Adam lr 1e-7 (meant 1e-3)",
           complaint=("20 epochs on the forklift IMU windows and the loss went 1.614 -> 1.613, val accuracy stuck at 0.22 (5 classes, so chance). It does go down every epoch, just painfully slowly, like a straight line. Is the MLP too small for this?"))


if __name__ == "__main__":
    main()
