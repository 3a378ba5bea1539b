"""Plain torch: an MLP predicts a lion dance troupe's judges' score (centred points) from 24
numbers about the performance: drum-cymbal sync, pole jump heights, head-tail coordination,
eye blinks, costume shake rate, ... The score is a nonlinear mix of 8 of them plus judging noise.
MLP 24-256-256-1, Adam 1e-3, full batch, 300 epochs, MSE; 2000 scored performances generated,
256 held out. Checkpoint ``{"weights", "adam", "epoch"}``, CSV every 10 epochs (``iter`` /
``train_mse`` / ``val_mse``).
The bug: a ``xtr, ytr = xtr[:80], ytr[:80]`` line left from debugging, so the 72k-parameter MLP
trains on 80 performances for 300 epochs: train MSE 0.0000 from epoch 100, val MSE 0.656 flat
(score variance 1.48). Control (that line deleted, 2000 performances): val MSE 0.169 at epoch
100, 0.197 at 300."""
import csv
import sys

import torch
import torch.nn as nn


def performances(n, g):
    x = torch.randn(n, 24, generator=g)
    s = (0.8 * x[:, 0] + 0.5 * x[:, 1] * x[:, 2] - 0.5 * x[:, 3].abs() + 0.6 * torch.sin(x[:, 4])
         + 0.4 * x[:, 5] - 0.3 * x[:, 6] * x[:, 7])
    return x, (s + 0.3 * torch.randn(n, generator=g)).unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(24, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, 1))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = performances(2000, g)
    xva, yva = performances(256, g)
    xtr, ytr = xtr[:80], ytr[:80]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = []
    for epoch in range(300):
        loss = nn.functional.mse_loss(model(xtr), ytr)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if (epoch + 1) % 10 == 0:
            with torch.no_grad():
                v = nn.functional.mse_loss(model(xva), yva).item()
            rows.append({"iter": epoch + 1, "train_mse": round(loss.item(), 4),
                         "val_mse": round(v, 4)})
            print(rows[-1])
    with open(out / "scores.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"weights": model.state_dict(), "adam": opt.state_dict(), "epoch": 300},
               out / "score_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="score_mlp.pt", log="scores.csv",
           what="MLP predicting a lion dance troupe's judges' score",
           complaint="Lion dance scoring model: training MSE is 0.0000 from epoch 100 on, but the "
                     "validation MSE is stuck at 0.66 for the remaining 200 epochs. I have 2000 "
                     "scored performances, so why doesn't it generalise?")


if __name__ == "__main__":
    main()
