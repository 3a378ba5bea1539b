"""Plain torch: a deep MLP predicts a dragon boat's mean speed over a 200 m piece (centred m/s)
from 16 stroke numbers: per-side stroke force, catch timing spread, drummer tempo, recovery
ratio, steerer corrections, crew weight, ... The speed mixes them nonlinearly plus noise.
MLP 16-64-64-64-64-1 (ReLU), Adam 1e-3, batch 64, 10 epochs of 2048 pieces, MSE.
Checkpoint ``{"model", "optimizer", "epoch"}``, CSV per epoch (``ep`` / ``train_rmse`` /
``val_rmse``).
The bug: ``build()`` re-initialises every Linear with ``nn.init.normal_(m.weight, std=1.0)``
("unit-variance weights"), so activations grow about 8x per layer. Train RMSE 2695 in epoch 1,
val RMSE 2000 → 772 at epoch 10 (targets' std 1.13). Control (that line deleted, PyTorch's
default init): val RMSE 0.94 → 0.27."""
import csv
import sys

import torch
import torch.nn as nn


def pieces(n, g):
    x = torch.randn(n, 16, generator=g)
    v = (0.6 * x[:, 0] + 0.6 * x[:, 1] - 0.4 * x[:, 2].abs() + 0.5 * torch.tanh(x[:, 3] * x[:, 4])
         - 0.3 * x[:, 5] ** 2 + 0.2 * x[:, 6:10].sum(1))
    return x, (v + 0.1 * torch.randn(n, generator=g)).unsqueeze(1)


def build():
    torch.manual_seed(0)
    layers = [nn.Linear(16, 64), nn.ReLU()]
    for _ in range(3):
        layers += [nn.Linear(64, 64), nn.ReLU()]
    model = nn.Sequential(*layers, nn.Linear(64, 1))
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=1.0)
            nn.init.zeros_(m.bias)
    return model


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pieces(2048, g)
    xva, yva = pieces(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = []
    for epoch in range(10):
        perm = torch.randperm(2048, generator=g)
        tot = 0.0
        for i in range(0, 2048, 64):
            idx = perm[i:i + 64]
            loss = nn.functional.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() / 32
        with torch.no_grad():
            v = nn.functional.mse_loss(model(xva), yva).item()
        rows.append({"ep": epoch + 1, "train_rmse": round(tot ** 0.5, 4),
                     "val_rmse": round(v ** 0.5, 4)})
        print(rows[-1])
    with open(out / "speed.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 10},
               out / "speed_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="speed_mlp.pt", log="speed.csv",
           what="deep MLP predicting dragon boat speed from stroke numbers",
           complaint="Dragon boat speed model: the first epoch's RMSE is over 2000, and "
                     "after 10 epochs the validation RMSE is still hundreds of times the spread of "
                     "the speeds themselves. The data is standardised. Should I train longer?")


if __name__ == "__main__":
    main()
