"""Plain torch: an MLP regresses the tempo (beats per minute) a morris side danced a dance at,
from 14 numbers their fiddler's foot-pedal counter and the dancers' bell-pad sensors log per
dance (stick-clash interval, hanky-wave period, mean caper height, set length in bars, bell
jingle rate, ...); the tempo comes from several of them nonlinearly (interval and period as
reciprocals, a product of two bell rates), plus 2 BPM of noise; targets standardised.
MLP 14-64-64-1, SGD 0.01 with momentum 0.9, batch 32, 30 epochs of 896 dances, shuffled, the
learning rate multiplied by ``GAMMA`` after every epoch (``ExponentialLR``).
The bug: ``GAMMA = 0.5`` (meant 0.95): after 10 epochs the rate is 5e-5 and the run freezes.
Bug run: train MSE 0.7862 (epoch 1) → 0.1928 (epoch 5) → 0.1857 (epoch 10), 0.1855 at epoch
30; val MSE 0.1978 → 0.1952 → 0.1951.
Control (``GAMMA = 0.95``): train MSE 0.7862 → 0.1113 (epoch 5) → 0.0679 (epoch 10) → 0.0405
(epoch 30); val MSE 0.1302 → 0.1079 → 0.0969."""
import csv
import sys

import torch
import torch.nn as nn

GAMMA = 0.5


def dances(n, g):
    x = torch.randn(n, 14, generator=g)
    bpm = (110 + 12 / (1.6 + torch.tanh(x[:, 0])) * 3 - 8 * torch.tanh(x[:, 1]) ** 2
           + 5 * x[:, 2] * x[:, 3] + 6 * torch.sin(1.5 * x[:, 4]) + 3 * x[:, 5])
    bpm = bpm + 2 * torch.randn(n, generator=g)
    return x, bpm.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(14, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = dances(896, g)
    xva, yva = dances(256, g)
    mu, sd = ytr.mean(), ytr.std()
    ytr, yva = (ytr - mu) / sd, (yva - mu) / sd
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=GAMMA)
    loss_fn = nn.MSELoss()
    rows = []
    for epoch in range(30):
        model.train()
        perm = torch.randperm(896, generator=g)
        tot = 0.0
        for i in range(0, 896, 32):
            idx = perm[i:i + 32]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        sched.step()
        model.eval()
        with torch.no_grad():
            vl = loss_fn(model(xva), yva).item()
        rows.append({"epoch": epoch + 1, "train_mse": round(tot / 896, 4),
                     "val_mse": round(vl, 4)})
        print(rows[-1])
    with open(out / "tempo_history.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 30}, out / "tempo_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_decay_too_fast"],
           checkpoint="tempo_mlp.pt", log="tempo_history.csv",
           complaint="My morris tempo regressor drops fast for 5 epochs and then the MSE sits at "
                     "0.19 (standardised) for the remaining 25 epochs, not moving in the 4th "
                     "decimal. Train and val are about equal so it isn't overfitting. More "
                     "epochs don't help at all. What's wrong?",
           what="MLP regression of morris-dance tempo, SGD with momentum, ExponentialLR per epoch")


if __name__ == "__main__":
    main()
