"""Plain torch: a residual MLP predicts how many days freshly cut turf sods need on the bank
before they are dry enough to foot (stand up in little stacks, below about 55 % water), for
a peatcutter planning when to go back out. Inputs: sod thickness (8-16 cm), water content
when cut (85-93 %), the bog's humification (H4-H9: well-humified black turf holds its water
longer), the bank's drainage (0-1), and the forecast means for the next fortnight: air
temperature, relative humidity, wind speed, sunshine hours and rain days. The rule: water
must fall from w0 to 55 %; the drying rate is a Penman-like evaporative demand ((1 - RH) ×
(temperature + 5) × (1 + 0.3 wind) + 0.25 × sunshine) over the sod's thickness to the power
1.5, slowed by humification and helped by drainage, each rain day costs 0.4-0.7 day, and the
weeks differ by 10 % (lognormal). Target: log(days) standardised.
Model: Linear 9→64, 3 residual blocks (LayerNorm → Linear 64→64 → GELU → Linear 64→64, added
back), LayerNorm, Linear 64→1 (regression); MSE, SGD with momentum 0.9, batch 256, 30
epochs, 5000 sods cut on past days, validation on 1000.
The bug: ``opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)  # standardised
data, big steps are fine``, 25 times the rate this net takes; the weights blow up within the
first epoch and train MSE, val MSE and val MAE are nan from epoch 0 to the end (control,
``lr=0.02``: val MSE 0.113 after one epoch, 0.034 at the end against target variance 1.0,
val MAE 4.4 → 2.6 days).
Log: CSV per epoch ``sods_train.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_days``); checkpoint ``footing_model.pt`` with keys ``model_state`` /
``optim_state`` / ``epoch`` / ``x_mean`` / ``x_std`` / ``logday_mean`` / ``logday_std``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def sods(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    thick = 8 + 8 * r(n)
    w0 = 85 + 8 * r(n)
    hum = 4 + 5 * r(n)
    drain = r(n)
    temp = 8 + 12 * r(n)
    rh = 0.55 + 0.35 * r(n)
    wind = 1 + 7 * r(n)
    sun = 2 + 8 * r(n)
    rain_days = torch.binomial(torch.full((n,), 14.0), 0.15 + 0.45 * rh - 0.25, generator=g)
    demand = (1 - rh) * (temp + 5) * (1 + 0.3 * wind) + 0.25 * sun
    rate = demand / (thick / 10) ** 1.5 * (1.25 - 0.05 * hum) * (0.7 + 0.5 * drain)
    water = (w0 / (100 - w0)) - (55 / 45)  # kg water to lose per kg dry peat
    days = 25 * water / rate + (0.4 + 0.3 * r(n)) * rain_days
    days = days * torch.exp(0.1 * torch.randn(n, generator=g))
    x = torch.stack([thick, w0, hum, drain, temp, rh, wind, sun, rain_days], 1)
    return x, torch.log(days).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Linear(d, d))

    def forward(self, x):
        return x + self.f(x)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), Block(64), Block(64), Block(64), nn.LayerNorm(64),
                         nn.Linear(64, 1))


def main():
    from _threehundredfiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sods(5000, g)
    xva, yva = sods(1000, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    ym, ys = ytr.mean(), ytr.std()
    print("days range", ytr.exp().min().item(), ytr.exp().median().item(), ytr.exp().max().item())
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ytr, yva = (ytr - ym) / ys, (yva - ym) / ys
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=256, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)  # standardised data, big steps are fine
    with open(out / "sods_train.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_mse", "val_mse", "val_mae_days"])
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            mae = ((p * ys + ym).exp() - (yva * ys + ym).exp()).abs().mean().item()
            row = [tot / len(ytr), nn.functional.mse_loss(p, yva).item(), mae]
            w.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 30, "x_mean": mu, "x_std": sd, "logday_mean": ym, "logday_std": ys},
               out / "footing_model.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="footing_model.pt", log="sods_train.csv",
           what="residual MLP predicting days until cut turf sods can be footed; Adam at"
                " lr 0.1",
           complaint="Turf drying model: train loss, val loss and val MAE are all nan from the"
                     " very first epoch and stay nan for all 30 epochs. Inputs and the"
                     " log-days target are standardised and I checked there are no nans or"
                     " infs in the data.")


if __name__ == "__main__":
    main()
