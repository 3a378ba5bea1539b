"""Print shop: predict the ink a job will use on press (ml, standardised) from 10 preflight
features of the PDF (total area coverage, CMYK coverages, spot colours, sheet count,
resolution, overprint share, paper absorbency, ...), synthetic, a smooth non-linear target plus
noise 0.1. An MLP 10 → 64 → 64 → 1, SGD lr 0.002 momentum 0.9, batch 64, 20 epochs of 2400
jobs; a CSV log per epoch (epoch, train_mse, val_mse, val_mae).
Bug: the loop was rewritten from a ``for x, y in loader`` version with a helper that did
``opt.zero_grad()``; the new loop calls ``loss.backward(); opt.step()`` and the
``zero_grad()`` line was lost, so the gradients of every step add up in ``.grad``.
Train MSE 1.51 → 4.44 → 13.6 → 161 → 8924 (epochs 1–5) and inf from epoch 14; val MSE 1.41, 0.52
at epoch 2, then 41.9, 194, 22464, and inf from epoch 13. The control (``opt.zero_grad()``
back) falls steadily: val MSE 0.62 → 0.18 (epoch 4) → 0.041, val MAE 0.16, train MSE 0.039.
(First version: lr 0.01 blew up at epoch 2 already; lowered to 0.002 so the drift shows.)"""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def jobs(n, g):
    x = torch.randn(n, 10, generator=g)
    w = torch.randn(10, generator=torch.Generator().manual_seed(3)) / 3
    y = (x @ w + 0.5 * torch.tanh(x[:, 0] * x[:, 1]) + 0.3 * x[:, 2] ** 2
         + 0.1 * torch.randn(n, generator=g))
    return x, ((y - 0.3) / 1.0)[:, None]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _hundredthirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = jobs(2400, g)
    xva, yva = jobs(600, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.002, momentum=0.9)
    f = open(out / "ink_model.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_mse", "val_mse", "val_mae"])
    for epoch in range(1, 21):
        model.train()
        perm = torch.randperm(2400, generator=g)
        tot = 0.0
        for i in range(0, 2400, 64):
            idx = perm[i:i + 64]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            p = model(xva)
        row = [epoch, round(tot / 2400, 5), round(F.mse_loss(p, yva).item(), 5),
               round((p - yva).abs().mean().item(), 5)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"net": model.state_dict(), "sgd": opt.state_dict(), "epoch": 20,
                "target": "ink_ml_standardised"}, out / "ink_mlp_ep20.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["missing_zero_grad"],
           checkpoint="ink_mlp_ep20.pt", log="ink_model.csv",
           what="print-job ink-usage MLP regression, opt.zero_grad() lost in a loop rewrite",
           complaint="My ink-usage regression diverges. Val MSE goes 1.41, 0.52 in the first "
                     "two epochs, then 42, 194, 22464 and by epoch 13 it is inf; train MSE is "
                     "inf from epoch 14. It's SGD with lr 0.002 and momentum 0.9, already "
                     "smaller than I'd normally use, and the targets are standardised.")


if __name__ == "__main__":
    main()
