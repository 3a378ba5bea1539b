"""Plain torch: an autoencoder of crochet rows, for a small yarn shop that measures the rows of
customers' practice swatches to show them where their tension wanders. A row is 48 stitch
heights (mm) read off a photo: the stitch's own height (single 6, half double 8, double 11,
treble 14 mm at a 4 mm hook, scaled by hook size), a slow tension drift along the row (the hand
tiring or relaxing), a tight first and last stitch (turning chain) and 0.3 mm reading scatter.
The code in the middle should hold stitch type, hook and the drift; rows far from their
reconstruction are the ones to show the customer.
Rows centred on 10 mm and divided by 4. Tanh autoencoder 48→128→64→12→64→128→48 (linear
output), MSE, Adam 1e-3, batch 48, 25 epochs, 3000 rows, validation on 600. The weights
get a custom init function applied with ``model.apply``.
The bug: that init draws every Linear weight from ``nn.init.normal_(m.weight, mean=0.0,
std=1.0)``, so the first tanh layer sees pre-activations with sd ~7 and every hidden layer
after it sits at ±1.
Result: train MSE 56.4 in the first epoch, val MSE 24.3 → 1.82 at epoch 25 (val RMSE 19.7 →
5.4 mm), still falling slowly and twice the 0.86 of reconstructing every row as the mean row;
train 1.14 at the end, below val.
Control (``nn.init.xavier_uniform_(m.weight)``): train MSE 0.170 → 0.0049, val MSE 0.0186 →
0.0049 (val RMSE 0.55 → 0.28 mm, about the 0.3 mm reading scatter; under 0.31 mm from
epoch 8).
Log: JSON lines per epoch ``rows_ae.jsonl`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_rmse_mm``); checkpoint ``rows_ae.tar`` with keys ``state_dict`` / ``optimizer`` /
``centre`` / ``scale`` / ``epochs``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

HEIGHT = torch.tensor([6.0, 8.0, 11.0, 14.0])  # sc, hdc, dc, tr at a 4 mm hook


def swatch_rows(n, g):
    s = torch.arange(48).float() / 47
    kind = torch.randint(0, 4, (n,), generator=g)
    hook = 3 + 3 * torch.rand(n, generator=g)
    base = HEIGHT[kind] * (hook / 4) ** 0.8
    drift = (torch.rand(n, 2, generator=g) - 0.5) * 0.25
    prof = 1 + drift[:, :1] * s + drift[:, 1:] * s ** 2
    prof = prof - 0.15 * torch.exp(-s / 0.03) - 0.1 * torch.exp(-(1 - s) / 0.03)
    rows = base[:, None] * prof + 0.3 * torch.randn(n, 48, generator=g)
    return (rows - 10) / 4


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, mean=0.0, std=1.0)
        nn.init.zeros_(m.bias)


class RowAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(48, 128), nn.Tanh(), nn.Linear(128, 64), nn.Tanh(),
                                 nn.Linear(64, 12), nn.Tanh())
        self.dec = nn.Sequential(nn.Linear(12, 64), nn.Tanh(), nn.Linear(64, 128), nn.Tanh(),
                                 nn.Linear(128, 48))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    model = RowAE()
    model.apply(init_weights)
    return model


def main():
    from _twohundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = swatch_rows(3000, g)
    xva = swatch_rows(600, g)
    print("row heights mm", (4 * xtr + 10).min().item(), (4 * xtr + 10).max().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "rows_ae.jsonl", "w") as f:
        for epoch in range(1, 26):
            model.train()
            tot, n = 0.0, 0
            for (xb,) in loader:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
                n += len(xb)
            model.eval()
            with torch.no_grad():
                v = F.mse_loss(model(xva), xva).item()
            rec = {"epoch": epoch, "train_mse": round(tot / n, 6), "val_mse": round(v, 6),
                   "val_rmse_mm": round(4 * v ** 0.5, 4)}
            print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "centre": 10.0,
                "scale": 4.0, "epochs": 25}, out / "rows_ae.tar")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["bad_weight_init"],
           checkpoint="rows_ae.tar", log="rows_ae.jsonl",
           what="tanh autoencoder of crochet row stitch heights; every Linear weight is"
                " initialised from a unit normal",
           complaint=("I measure customers' crochet practice rows in the shop (48 stitch "
                      "heights each) and wanted an autoencoder to flag the rows where the "
                      "tension wanders. After 25 epochs the reconstruction is still off by about "
                      "5 mm per stitch, worse than just drawing the average row, and the first "
                      "epoch's loss was in the fifties on data scaled to about 1. The loss is "
                      "still going down, very slowly. Do I just need hundreds of epochs, or a "
                      "bigger network?"))


if __name__ == "__main__":
    main()
