"""A neural option pricer (finance): an MLP learns the Black–Scholes price of European calls as a
fast surrogate for a pricing library. Inputs per contract: moneyness S/K (0.7–1.3), time to
expiry T (0.05–2 years), implied volatility σ (0.1–0.6), rate r (0–5 %), dividend yield q
(0–3 %), standardised with the training mean/std; target the call price over strike C/K
(0–0.5, from the closed form, with quote noise 0.002). MLP 5 → 64 → 64 → 64 → 1 with SiLU;
MSE; batch 128, 15 epochs of 4096 contracts; a CSV log per epoch with train MSE, val MSE and
the val mean absolute pricing error in basis points of strike.
Bug: ``torch.optim.Adam(net.parameters(), lr=0.3)`` — the lr of the SGD pricing notebook the
author started from, kept when switching to Adam. Train MSE 7273 in epoch 1 (the target
variance is 0.0132), val MSE 0.83, 0.69, 0.42, 0.23, … down to 0.0125 at epoch 15 with a train
MSE of 0.0132: the net ends up predicting one price (0.158 ± 0.0005 of strike on the batch) for
every contract, a val error of 942 bp. The control (Adam 1e-3) reaches val MSE 5.2e-5 and a
val error of 54 bp, still falling."""
import csv
import math

import torch
import torch.nn as nn


def bs_call(m, t, sig, r, q):
    """C/K for S/K = m."""
    n = torch.distributions.Normal(0.0, 1.0)
    d1 = (torch.log(m) + (r - q + 0.5 * sig ** 2) * t) / (sig * torch.sqrt(t))
    d2 = d1 - sig * torch.sqrt(t)
    return m * torch.exp(-q * t) * n.cdf(d1) - torch.exp(-r * t) * n.cdf(d2)


def contracts(n, g):
    u = torch.rand(n, 5, generator=g)
    m, t = 0.7 + 0.6 * u[:, 0], 0.05 + 1.95 * u[:, 1]
    sig, r, q = 0.1 + 0.5 * u[:, 2], 0.05 * u[:, 3], 0.03 * u[:, 4]
    y = bs_call(m, t, sig, r, q) + 0.002 * torch.randn(n, generator=g)
    return torch.stack([m, t, sig, r, q], 1), y[:, None]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(5, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                         nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))


def main():
    from _hundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = contracts(4096, g)
    xva, yva = contracts(1024, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=0.3)
    torch.manual_seed(1)
    with open(out / "pricer_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "mse_train", "mse_val", "mae_val_bp"])
        for epoch in range(1, 16):
            net.train()
            perm = torch.randperm(4096)
            tot = 0.0
            for i in range(0, 4096, 128):
                idx = perm[i:i + 128]
                loss = nn.functional.mse_loss(net(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            net.eval()
            with torch.no_grad():
                p = net(xva)
                row = [epoch, tot / 4096, nn.functional.mse_loss(p, yva).item(),
                       (p - yva).abs().mean().item() * 1e4]
            w.writerow([row[0]] + [f"{v:.6g}" for v in row[1:]])
            print(row, "nan" if math.isnan(row[2]) else "")
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "epoch": 15,
                "x_mean": mu, "x_std": sd, "features": ["S/K", "T", "sigma", "r", "q"]},
               out / "pricer.pth")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["lr_too_high"],
           checkpoint="pricer.pth", log="pricer_log.csv",
           what="Black-Scholes surrogate MLP, Adam at lr 0.3 (an SGD notebook's lr)",
           complaint="Training my option-pricing network went crazy: the training MSE was 7273 "
                     "in the first epoch, and after 15 epochs it settled at 0.0132 with a "
                     "validation error of 942 bp of strike. It gives almost the same price for "
                     "every option, deep in or out of the money.")


if __name__ == "__main__":
    main()
