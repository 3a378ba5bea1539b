"""Plain torch: a pétanque club compresses the side-camera arcs of its players' throws (the
boule's height at 32 points along the way from the circle to where it stops: a high lob
"plombée" that drops almost dead, a "demi-portée" that lands half way and rolls, a low
"roulette" that rolls most of the way) into 4 numbers to cluster throwing styles. The arc is
a parabola set by the launch angle and speed, then a roll, with tracking noise.
Autoencoder 32-24-4-24-32 (Tanh), MSE, SGD 0.01 momentum 0.9, batch 32, 10 epochs of 1600
arcs, 320 validation arcs. Log: CSV per epoch ``arcs.csv`` (``epoch`` / ``recon_mse`` /
``val_recon_mse``); checkpoint ``model_state`` / ``optimizer_state`` / ``global_step``.
The bug: ``opt.zero_grad()`` sits above the batch loop, once per epoch, so inside an epoch
every step adds its gradient to all the earlier ones. Recon MSE 1.19 in epoch 1,
then 199, 1.9e4, 1.6e7 … 1.4e26 by epoch 10 (val 2.6, 817, 7.7e4 … 8.8e25).
Control (``opt.zero_grad()`` back inside the loop): recon MSE 0.77, 0.21, 0.081 … 0.037 at epoch 10, val 0.52 → 0.037."""
import csv
import math

import torch
import torch.nn as nn


def arcs(n, g):
    s = torch.linspace(0, 1, 32)[None]
    style = torch.randint(0, 3, (n, 1), generator=g)
    land = torch.tensor([0.85, 0.5, 0.15])[style] + 0.08 * torch.randn(n, 1, generator=g)
    land = land.clamp(0.08, 0.95)
    top = torch.tensor([1.0, 0.55, 0.12])[style] * (0.8 + 0.4 * torch.rand(n, 1, generator=g))
    h = 4 * top * (s / land) * (1 - s / land) * (s < land)
    h = h + 0.03 * torch.randn(n, 32, generator=g)
    return (h - 0.3) / 0.35


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(32, 24), nn.Tanh(), nn.Linear(24, 4), nn.Linear(4, 24),
                         nn.Tanh(), nn.Linear(24, 32))


def main():
    from _twohundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(11)
    x = arcs(1920, g)
    xtr, xva = x[:1600], x[1600:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    f = open(out / "arcs.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "recon_mse", "val_recon_mse"])
    step = 0
    for epoch in range(1, 11):
        model.train()
        perm = torch.randperm(1600, generator=g)
        tot = 0.0
        opt.zero_grad()
        for i in range(0, 1600, 32):
            xb = xtr[perm[i:i + 32]]
            loss = nn.functional.mse_loss(model(xb), xb)
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item() / 50
        model.eval()
        with torch.no_grad():
            vl = nn.functional.mse_loss(model(xva), xva).item()
        w.writerow([epoch, round(tot, 5), round(vl, 5) if math.isfinite(vl) else "nan"])
        print(epoch, round(tot, 5), round(vl, 5))
    f.close()
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "global_step": step}, out / "arc_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["missing_zero_grad"],
           checkpoint="arc_ae.pt", log="arcs.csv",
           what="pétanque throw-arc autoencoder, zero_grad once per epoch above the batch loop",
           complaint=("My petanque throw-arc autoencoder blows up. Epoch 1 reconstruction MSE "
                      "1.19, then 199, 18922, 1.6e7 ... 1.4e26 at epoch 10. SGD lr 0.01, momentum "
                      "0.9, batch 32; the arcs are standardised, 32 heights each. Do I just "
                      "need a smaller learning rate?"))


if __name__ == "__main__":
    main()
