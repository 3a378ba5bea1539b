"""Used-car price from a dealer's listing sheet (one small dealership, 320 cars): odometer
(km ÷ 100 000), age (years ÷ 10), engine size (l), power (kW ÷ 100), number of owners, a
service-history flag, 6 one-hot body styles and 8 one-hot makes (20 features, standardised);
the target is log(price in €) minus its mean. The price follows a depreciation curve in age
and odometer, a make premium and a power term, with a lot of noise (condition the sheet
does not record: σ 0.25 in log-price). A 4-layer MLP of width 512 (≈ 800 k weights), no
dropout, no weight decay, Adam 1e-3, batch 32, 150 epochs of the 256 training cars, 64 held
out; a CSV log per epoch ("Epoch", "Train MSE", "Valid MSE", "Valid MAE EUR %").
Bug: overfitting — a very large network with no regularisation, trained long on a few hundred
listings. Valid MSE (log-price) 0.147, 0.096, 0.075, 0.075, 0.063 (epoch 5, about the noise
floor 0.0625), then up: 0.080 at epoch 10, 0.090 at 20, 0.100 at 40, 0.103 at 150, while the
train MSE goes 0.30 → 0.0014; valid MAE 18.4 % of the price at epoch 5, 21.2 % at the end.
Controls: early stopping (the same run to epoch 6, ``range(1, 7)``): valid MSE 0.066, MAE
17.6 %; width 8 instead of 512 still overfits (valid 0.087 at epoch 40, 0.117 at 150) and
AdamW weight decay 0.5 does not help (valid 0.101 at 150) — 256 listings are few."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

WIDTH = 512


def listings(n, g):
    age = torch.rand(n, generator=g) * 15
    km = (age * 14000 * (0.5 + torch.rand(n, generator=g))) / 1e5
    engine = 1.0 + torch.rand(n, generator=g) * 2.0
    power = (engine * 55 * (0.8 + 0.4 * torch.rand(n, generator=g))) / 100
    owners = 1 + torch.randint(0, 4, (n,), generator=g).float()
    service = (torch.rand(n, generator=g) < 0.7).float()
    body = F.one_hot(torch.randint(0, 6, (n,), generator=g), 6).float()
    make = F.one_hot(torch.randint(0, 8, (n,), generator=g), 8).float()
    prem = torch.linspace(-0.3, 0.4, 8)
    logp = (10.3 - 0.09 * age - 0.25 * km + 0.6 * power + 0.1 * service - 0.04 * owners
            + make @ prem + 0.25 * torch.randn(n, generator=g))
    x = torch.cat([torch.stack([km, age / 10, engine, power, owners, service], 1), body, make], 1)
    return x, logp


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(20, WIDTH), nn.ReLU(), nn.Linear(WIDTH, WIDTH), nn.ReLU(),
                         nn.Linear(WIDTH, WIDTH), nn.ReLU(), nn.Linear(WIDTH, WIDTH), nn.ReLU(),
                         nn.Linear(WIDTH, 1))


def main():
    from _hundredthirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, logp = listings(320, g)
    mu, sd = x[:256].mean(0), x[:256].std(0) + 1e-6
    x = (x - mu) / sd
    y = (logp - logp[:256].mean())[:, None]
    xtr, ytr, xva, yva = x[:256], y[:256], x[256:], y[256:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "price_training.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "Train MSE", "Valid MSE", "Valid MAE EUR %"])
    for epoch in range(1, 151):
        model.train()
        perm = torch.randperm(256, generator=g)
        tot = 0.0
        for i in range(0, 256, 32):
            idx = perm[i:i + 32]
            loss = F.mse_loss(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            p = model(xva)
            row = [epoch, round(tot / 256, 5), round(F.mse_loss(p, yva).item(), 5),
                   round(((p - yva).exp() - 1).abs().mean().item() * 100, 2)]
        w.writerow(row)
        if epoch % 10 == 0 or epoch < 8:
            print(row)
    f.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 150,
                "x_mean": mu, "x_std": sd}, out / "price_mlp_final.pt")
    finish(out, __file__, (xva, yva), causes=["overfitting"],
           checkpoint="price_mlp_final.pt", log="price_training.csv",
           what="used-car price MLP (width 512, 4 layers) on 256 listings, 150 epochs, no regularisation",
           complaint="My used-car price model fits the training listings almost perfectly (train MSE "
                     "0.0014 on log-price after 150 epochs) but the validation MSE was best at "
                     "epoch 5 (0.063) and has crept up ever since, to 0.103. On held-out cars it is "
                     "off by 21 % of the price on average, worse than after 5 epochs (18 %).")


if __name__ == "__main__":
    main()
