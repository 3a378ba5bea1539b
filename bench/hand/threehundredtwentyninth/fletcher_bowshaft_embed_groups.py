"""Plain torch: an embedding model (factorisation) predicts how tight a group an archer's bow
will shoot with a given carbon shaft from the shop's catalogue, from the test-range log of
earlier bow / shaft pairs, so the fletcher can suggest shafts before cutting and fletching a
dozen. 300 customers' bows and 120 shafts. The rule behind the data is spine matching: each
bow needs a dynamic spine set by its draw weight (25-60 lb), draw length (26-31 in) and point
weight (75-150 gr) (the required static deflection ≈ 26 / effective weight, effective weight
= draw weight × (1 + 0.05 (draw length - 28)) + (point weight - 100) / 25), each shaft has its
own static deflection (0.25-0.80 in), and the group size at 30 m is
6 cm + 40 cm × (ln shaft deflection - ln required)² + 1 cm scatter (ends at 60 cm).
Target: (group - 10 cm) / 5 cm. 6000 logged pairs for training, 1500 for validation.
Model: bow factors Embedding(300, 8), shaft factors Embedding(120, 8), a bias per bow and per
shaft, a global offset; prediction = bow · shaft + biases + offset (factors drawn with std
0.1); MSE, Adam 0.02 in two parameter groups (factor tables with weight decay 1e-5, biases
without), batch 256, 40 epochs.
The bug: the first parameter group is ``{"params": model.bow.parameters(),
"weight_decay": 1e-5},  # factor tables, a touch of decay``, so the shaft factor table is in
no group and stays at its random start: train RMSE 2.52 → 1.02 but val RMSE 2.44 → 1.37
(epoch 19) → 1.41, val MAE 7.7 → 5.3 cm (control, both tables in the group: val RMSE
2.43 → 0.374 (epoch 19) → 0.385, MAE 1.40 cm, train RMSE 0.16).
Log: CSV per epoch ``range_fit.csv`` (``epoch`` / ``rmse_train`` / ``rmse_val`` /
``mae_val_cm``); checkpoint ``bowshaft_mf.pt`` with keys ``params`` / ``optim`` / ``epoch``
/ ``n_bows`` / ``n_shafts`` / ``group_center_scale``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N_BOWS, N_SHAFTS, DIM = 300, 120, 8


def range_log(g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    draw = 25 + 35 * r(N_BOWS)
    length = 26 + 5 * r(N_BOWS)
    point = 75 + 75 * r(N_BOWS)
    eff = draw * (1 + 0.05 * (length - 28)) + (point - 100) / 25
    need = torch.log(26 / eff)
    have = torch.log(0.25 + 0.55 * r(N_SHAFTS))
    bows = torch.randint(0, N_BOWS, (7500,), generator=g)
    shafts = torch.randint(0, N_SHAFTS, (7500,), generator=g)
    group = 6 + 40 * (have[shafts] - need[bows]) ** 2 + torch.randn(7500, generator=g)
    y = (group.clamp(max=60) - 10) / 5
    return torch.stack([bows, shafts], 1), y


class BowShaftMF(nn.Module):
    def __init__(self):
        super().__init__()
        self.bow = nn.Embedding(N_BOWS, DIM)
        self.shaft = nn.Embedding(N_SHAFTS, DIM)
        self.bow_b = nn.Embedding(N_BOWS, 1)
        self.shaft_b = nn.Embedding(N_SHAFTS, 1)
        self.mu = nn.Parameter(torch.zeros(1))
        for e in (self.bow, self.shaft):
            nn.init.normal_(e.weight, std=0.1)
        for e in (self.bow_b, self.shaft_b):
            nn.init.zeros_(e.weight)

    def forward(self, pairs):
        b, s = pairs[:, 0], pairs[:, 1]
        dot = (self.bow(b) * self.shaft(s)).sum(1)
        return dot + self.bow_b(b).squeeze(1) + self.shaft_b(s).squeeze(1) + self.mu


def build():
    torch.manual_seed(0)
    return BowShaftMF()


def main():
    from _threehundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    pairs, y = range_log(g)
    ptr, ytr, pva, yva = pairs[:6000], y[:6000], pairs[6000:], y[6000:]
    print("target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(ptr, ytr), batch_size=256, shuffle=True)
    model = build()
    opt = torch.optim.Adam([
        {"params": model.bow.parameters(), "weight_decay": 1e-5},  # factor tables, a touch of decay
        {"params": [model.bow_b.weight, model.shaft_b.weight, model.mu]},
    ], lr=0.02)
    with open(out / "range_fit.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "rmse_train", "rmse_val", "mae_val_cm"])
        for epoch in range(40):
            model.train()
            tot = 0.0
            for pb, yb in dl:
                loss = F.mse_loss(model(pb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(pb)
            model.eval()
            with torch.no_grad():
                pred = model(pva)
            row = [(tot / len(ptr)) ** 0.5, F.mse_loss(pred, yva).item() ** 0.5,
                   5 * (pred - yva).abs().mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"params": model.state_dict(), "optim": opt.state_dict(), "epoch": 40,
                "n_bows": N_BOWS, "n_shafts": N_SHAFTS, "group_center_scale": (10.0, 5.0)},
               out / "bowshaft_mf.pt")
    finish(out, __file__, (pva[:64], yva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="bowshaft_mf.pt", log="range_fit.csv",
           what="bow x shaft factorisation model predicting arrow group size from a fletcher's"
                " test-range log; the shaft factor table is in no optimizer group",
           complaint="Bow x shaft group-size model for the shop: training RMSE keeps falling (2.5 to"
                     " 1.0 in standardised units) but validation RMSE bottoms at 1.37 around"
                     " epoch 19 and then creeps up again; on held-out pairs the mean error is 5.3"
                     " cm when the range scatter is about 1 cm. Every bow and every shaft in the"
                     " validation pairs also appears in training.")


if __name__ == "__main__":
    main()
