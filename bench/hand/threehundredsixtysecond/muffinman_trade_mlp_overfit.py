"""Plain torch: an MLP tells a muffin man, the night before, whether tomorrow's round will be
a slow, fair or brisk day (how many dozen to bake), from 14 things he knows in advance:
forecast temperature (°C), rain (mm), fog (0/1), wind (m/s), the weekday (as sin / cos),
Sunday (0/1), market day (0/1), a holiday (0/1), hours of daylight, frost overnight (0/1),
coal price index, the date against payday (days since the last Friday), and how far the
church fair is (days). Trade follows what the old rounds knew: cold, foggy and frosty
mornings sell hot muffins, Sunday tea and market days sell more, rain keeps the streets
empty, payday week is better; on top of that the day's own luck (a street closed, a rival's
bell) is large, so even a perfect rule gets about 3 in 4 days right. The classes are the
terciles of the dozen sold. He kept a notebook for 150 days; 450 other days are the
validation.
Input: (14,) standardised with the train mean / std. Model: 14→256→ReLU→256→ReLU→3;
cross-entropy, Adam 5e-4, batch 32, no weight decay, no dropout.
The bug: far too long on a notebook this small (``EPOCHS = 400``): train CE goes to zero
while the validation CE, lowest after a handful of epochs, climbs the whole way:
train CE 1.08 → 0.00046, val CE 1.03 → 0.681 (epoch 14) → 1.58 (epoch 100) → 2.62 (epoch
399), val accuracy 0.673 at epoch 14, 0.640 at the end (control, ``EPOCHS = 15``: train CE
0.386, val CE 0.681, val accuracy 0.673).
Log: CSV per epoch ``trade_fit.csv`` (``epoch`` / ``loss`` / ``val_loss`` / ``val_acc``);
checkpoint ``muffin_mlp.ckpt`` with keys ``model_state`` / ``opt_state`` / ``epochs_done``
/ ``scaler_mean`` / ``scaler_std`` / ``classes``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 400  # the train loss was still coming down at 100
CLASSES = ["slow", "fair", "brisk"]


def days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    doy = r(n) * 365
    temp = 10 - 8 * torch.cos(2 * math.pi * (doy - 15) / 365) + 3 * torch.randn(n, generator=g)
    rain = torch.where(r(n) < 0.45, -4 * torch.log(r(n) + 1e-6), torch.zeros(n))
    fog = (r(n) < 0.15 + 0.2 * (temp < 6)).float()
    wind = 6 * r(n)
    wd = (r(n) * 7).floor()
    sunday = (wd == 6).float()
    market = ((wd == 2) | (wd == 5)).float()
    holiday = (r(n) < 0.04).float()
    daylight = 12 - 4.2 * torch.cos(2 * math.pi * (doy + 10) / 365)
    frost = (temp + 2 * torch.randn(n, generator=g) < 1).float()
    coal = 1 + 0.2 * torch.randn(n, generator=g)
    payday = ((wd - 4) % 7)
    fair = (r(n) * 60).floor()
    score = (-0.12 * temp + 0.7 * fog + 0.5 * frost + 0.8 * sunday + 0.6 * market
             + 0.5 * holiday - 0.25 * rain.clamp(max=8) - 0.06 * wind - 0.08 * payday
             + 0.6 * (fair < 3) + 0.1 * coal)
    sold = score + 0.55 * torch.randn(n, generator=g)  # the day's own luck
    x = torch.stack([temp, rain, fog, wind, torch.sin(2 * math.pi * wd / 7),
                     torch.cos(2 * math.pi * wd / 7), sunday, market, holiday, daylight,
                     frost, coal, payday, fair], 1)
    return x, sold


class TradeMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(14, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                                 nn.Linear(256, 3))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return TradeMLP()


def main():
    from _threehundredsixtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, str_ = days(150, g)
    rva, sva = days(450, g)
    cuts = torch.quantile(str_, torch.tensor([1 / 3, 2 / 3]))
    ytr, yva = torch.bucketize(str_, cuts), torch.bucketize(sva, cuts)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("classes", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    with open(out / "trade_fit.csv", "w") as log:
        log.write("epoch,loss,val_loss,val_acc\n")
        for epoch in range(EPOCHS):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                z = model(xva)
            vl, va = F.cross_entropy(z, yva).item(), (z.argmax(1) == yva).float().mean().item()
            log.write(f"{epoch},{tot / len(xtr):.6f},{vl:.6f},{va:.6f}\n")
            if epoch % 20 == 0 or epoch == EPOCHS - 1:
                print(epoch, tot / len(xtr), vl, va)
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(),
                "epochs_done": EPOCHS, "scaler_mean": mean, "scaler_std": std,
                "classes": CLASSES}, out / "muffin_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="muffin_mlp.ckpt", log="trade_fit.csv",
           what="MLP (14→256→256→3) calling a muffin man's next day slow / fair / brisk from"
                " 150 notebook days, trained 400 epochs with no regularisation",
           complaint="My model for how busy tomorrow's muffin round will be gets every day in"
                     " my notebook right now (training loss 0.0005 after 400 epochs), but on"
                     " the days I held back it only calls 64 % right, and the validation loss"
                     " has gone from about 0.7 up to 2.6 and was still climbing when it"
                     " stopped. In the first few epochs it did better on those days than it"
                     " does now.")


if __name__ == "__main__":
    main()
