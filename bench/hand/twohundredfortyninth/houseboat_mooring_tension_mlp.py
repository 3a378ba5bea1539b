"""Plain torch: an MLP regresses the peak mooring-line tension (kN) of a houseboat over the next
hour from 12 numbers of the marina's weather and hull log, standardised: wind speed and gust,
wind angle to the hull (sin, cos), river current, water-level change, passing-barge wakes,
houseboat length and displacement, line age, fender pressure and a noise column. The tension is
about 6 kN on a calm day and rises with gusts squared across the hull, with current times
displacement and with barge wakes. MLP 12-64-64-1 (tanh), MSE on the raw kN, Adam 3e-3, batch
64, 12 epochs of 1600 hours. Checkpoint dict ``state_dict`` / ``optimizer`` / ``epoch``; a TSV
every 25 steps (``iter``, ``train_mse``, ``val_mse``).
The bug: the layers come from ``dense = partial(nn.Linear, bias=False)``, copied from a block
that had BatchNorm after each layer; the BatchNorms were dropped, the ``bias=False`` stayed, so
no layer can add the 6 kN offset, and a tanh MLP without biases is an odd function (f(-x) =
-f(x)), so its mean prediction over the standardised inputs stays near 0 kN: train MSE 50.8
(iter 25) → 49.6 at iter 300, val MSE 50.9, 50.4, then 50.5–50.6 to the end (the tension's
variance is 1.9).
Control (``bias=True``): val MSE 6.26 at iter 25, 1.38 at iter 50, 0.79 at iter 75, 0.63 at iter
300 (train 0.83)."""
import csv
from functools import partial

import torch
import torch.nn as nn


def mooring_hours(n, g):
    x = torch.randn(n, 12, generator=g)
    across = (x[:, 2] * 0.8 + 0.6).abs()
    y = (6.0 + 0.9 * (1 + 0.4 * x[:, 1]).clamp(min=0) ** 2 * across
         + 0.7 * x[:, 4] * (1 + 0.3 * x[:, 8]) + 0.5 * x[:, 6].clamp(min=0) + 0.3 * x[:, 0]
         + 0.2 * x[:, 5] - 0.2 * x[:, 10]
         + 0.4 * torch.randn(n, generator=g))
    return x, y.unsqueeze(1)


dense = partial(nn.Linear, bias=False)


def build():
    torch.manual_seed(0)
    return nn.Sequential(dense(12, 64), nn.Tanh(), dense(64, 64), nn.Tanh(), dense(64, 1))


def main():
    from _twohundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = mooring_hours(1600, g)
    xva, yva = mooring_hours(400, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.MSELoss()
    it, run, k = 0, 0.0, 0
    with open(out / "tension.tsv", "w", newline="") as f:
        w = csv.writer(f, delimiter="\t")
        w.writerow(["iter", "train_mse", "val_mse"])
        for epoch in range(1, 13):
            model.train()
            perm = torch.randperm(1600, generator=g)
            for i in range(0, 1600, 64):
                idx = perm[i:i + 64]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                it += 1
                run += loss.item()
                k += 1
                if it % 25 == 0:
                    model.eval()
                    with torch.no_grad():
                        vl = loss_fn(model(xva), yva).item()
                    model.train()
                    w.writerow([it, f"{run / k:.4f}", f"{vl:.4f}"])
                    if it % 75 == 0:
                        print(epoch, it, round(run / k, 4), round(vl, 4))
                    run, k = 0.0, 0
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 12},
               out / "tension_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_bias"],
           checkpoint="tension_mlp.pt", log="tension.tsv",
           what="houseboat mooring-tension MLP (raw kN target) built with bias=False in every"
                " layer",
           complaint=COMPLAINT)


COMPLAINT = ("We predict next-hour mooring-line tension for the houseboats in our marina. The "
             "MSE sits at about 50 from the first log row to the last (50.9 → 50.6 val, "
             "49.6 train), and the predictions are nowhere near the 6-8 kN we measure. The line tension "
             "itself only varies by a kN or two. More epochs don't help. Ideas?")


if __name__ == "__main__":
    main()
