"""Plain torch: an MLP calls a paragliding launch's conditions from 10 readings of the site's
weather station over the last 10 minutes: mean wind speed (km/h), gust peak, the wind
direction's angle off the slope's facing (as sin / cos), the direction's spread, temperature
gradient, cloud base, humidity, pressure trend and time of day; all standardised. 4 classes,
from those readings: flyable, too weak (wind under ~8 km/h and no thermal lift), too strong
(gusts over ~32 km/h or mean over ~25) and cross (the wind more than ~45° off the slope).
Linear(10→128)-Tanh-Linear(128→128)-Tanh-Linear(128→128)-Tanh-Linear(128→4), cross-entropy;
Adam 1e-3, batch 64, 12 epochs of 2048 readings, shuffled. Log ``launch.csv`` per epoch
(``epoch`` / ``loss`` / ``val_loss`` / ``val_acc``); checkpoint ``model`` / ``optim`` +
``epoch``.
The bug: ``init_weights`` draws every Linear weight with ``nn.init.normal_(m.weight, std=1.0)``,
so with 128 inputs the hidden pre-activations have a spread of ~11 and almost every Tanh unit
sits at ±1 from the first step. Train loss 8.69 at epoch 1,
0.47 at 12; val loss 7.00, 5.20, 4.54, ..., 3.27 at epoch 12; val accuracy 0.35 → 0.62.
Control (``nn.init.xavier_normal_(m.weight)``): train loss 0.60 →
0.14, val loss 0.38 → 0.16, val accuracy 0.85 → 0.92–0.93."""
import sys

import torch
import torch.nn as nn


def readings(n, g):
    wind = 30 * torch.rand(n, generator=g)
    gust = wind * (1.1 + 0.6 * torch.rand(n, generator=g))
    ang = (torch.rand(n, generator=g) - 0.5) * 3.14
    spread = 40 * torch.rand(n, generator=g)
    grad = torch.randn(n, generator=g)
    base = 800 + 1500 * torch.rand(n, generator=g)
    hum = 30 + 60 * torch.rand(n, generator=g)
    trend = torch.randn(n, generator=g)
    hour = 9 + 9 * torch.rand(n, generator=g)
    lift = (grad > 0.3) & (hour > 11) & (hour < 16)
    y = torch.zeros(n, dtype=torch.long)
    y[(wind < 8) & ~lift] = 1
    y[ang.abs() > 0.8] = 3
    y[(gust > 32) | (wind > 25)] = 2
    x = torch.stack([wind, gust, torch.sin(ang), torch.cos(ang), spread, grad, base, hum, trend,
                     hour], 1)
    return x, y


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, std=1.0)
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(10, 128), nn.Tanh(), nn.Linear(128, 128), nn.Tanh(),
                          nn.Linear(128, 128), nn.Tanh(), nn.Linear(128, 4))
    model.apply(init_weights)
    return model


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfiftysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = readings(2560, g)
    mu, sd = x[:2048].mean(0), x[:2048].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:2048], y[:2048], x[2048:], y[2048:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    f = open(out / "launch.csv", "w")
    f.write("epoch,loss,val_loss,val_acc\n")
    for epoch in range(12):
        model.train()
        perm = torch.randperm(2048, generator=g)
        tot = 0.0
        for i in range(0, 2048, 64):
            idx = perm[i:i + 64]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl, va = loss_fn(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
        f.write(f"{epoch + 1},{tot / 2048:.4f},{vl:.4f},{va:.4f}\n")
        print(epoch + 1, round(tot / 2048, 4), round(vl, 4), round(va, 4))
    f.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 12},
               out / "launch_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["saturating_activation"],
           checkpoint="launch_mlp.pt", log="launch.csv",
           what="MLP calling paragliding launch conditions from weather-station readings",
           complaint=("Small MLP that tells our club whether launch is flyable / too weak / "
                      "too strong / crosswind from the weather station. First epoch loss was 8.7 (with 4 classes!), train loss comes down to 0.47 after 12 epochs but val loss is still 3.27 and val accuracy only 0.62. "
                      "A hand-written rule gets most of these right, so the net should too."))


if __name__ == "__main__":
    main()
