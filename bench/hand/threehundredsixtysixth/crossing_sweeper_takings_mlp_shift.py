"""Plain torch: an MLP predicts a crossing-sweeper's takings for a whole day (pence) from the
day's weather and street, for a Mayhew-style survey of the trade: a wet, muddy day on a busy
crossing pays best (ladies pay to keep their hems clean), fog keeps walkers at home, a dry
day pays little, Sunday has fewer walkers but more church-goers in good clothes. Takings ≈
walkers × (0.2 + mud share) × (1 - 0.5 fog) × 9, mud share = mud / (1 + mud), the mud built
from the day's rain, the rain of the days before and the carriages. Features: rain today
(mm), rain the three days before (mm), carriages (hundreds), walkers (thousands), fog (0-1),
temperature (°C), Sunday (0/1); standardised with the training mean / std. Target: pence / 20.
Model: MLP 7→64→64→1 (Tanh); MSE, RMSprop 1e-3, batch 50, 30 epochs, 1500 days, validation
on 400.
The bug: the days come from the sweeper's book for one summer (May-August: little rain, no
fog, warm), and the model is checked on the following winter's days (November-February: wet,
foggy, cold, mud deep), ``xva, yva = book(400, g, winter=True)  # the next season's days``:
train MSE 0.0123 → 0.00158 while val MSE stays at 0.124-0.165 (winter target variance 0.052,
so worse than guessing the winter mean), val MAE 5.96 → 5.18 pence a day (control, the val
days drawn from the same summer, ``book(400, g)``: val MSE 0.00363 → 0.00160, MAE 0.91 →
0.58 pence).
Log: CSV per epoch ``takings_epochs.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_pence``); checkpoint ``sweeper_mlp.ckpt`` with keys ``mlp`` / ``rmsprop`` /
``epoch`` / ``x_mean`` / ``x_std`` / ``pence_per_unit``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def book(n, g, winter=False):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wet_p, heavy = (0.65, 6.0) if winter else (0.25, 2.5)
    rain = torch.where(r(n) < wet_p, heavy * r(n) ** 1.5, torch.zeros(n))
    before = torch.where(r(n) < wet_p, 2.5 * heavy * r(n), torch.zeros(n))
    carriages = 1 + 3 * r(n)
    sunday = (r(n) < 1 / 7).float()
    walkers = (0.8 + 1.7 * r(n)) * (1 - 0.4 * sunday)
    fog = (r(n) < 0.35).float() * r(n) if winter else torch.zeros(n)
    temp = (2 + 8 * r(n)) if winter else (14 + 10 * r(n))
    mud = 0.4 * rain + 0.15 * before + 0.12 * carriages + 0.03 * torch.relu(8 - temp)
    share = mud / (1 + mud)
    pence = walkers * (0.2 + share) * (1 - 0.5 * fog) * (1 + 0.3 * sunday) * 9
    pence = pence * (1 + 0.08 * torch.randn(n, generator=g))
    x = torch.stack([rain, before, carriages, walkers, fog, temp, sunday], 1)
    return x, (pence / 20).unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(7, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                         nn.Linear(64, 1))


def main():
    from _threehundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = book(1500, g)
    xva, yva = book(400, g, winter=True)  # the next season's days
    print("pence/20 train mean, var", ytr.mean().item(), ytr.var().item(),
          "val", yva.mean().item(), yva.var().item())
    x_mean, x_std = xtr.mean(0), xtr.std(0).clamp_min(1e-3)
    xtr, xva = (xtr - x_mean) / x_std, (xva - x_mean) / x_std
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    with open(out / "takings_epochs.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_mse", "val_mse", "val_mae_pence"])
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            row = [tot / len(xtr), F.mse_loss(pred, yva).item(),
                   20 * (pred - yva).abs().mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 5) for v in row])
    torch.save({"mlp": model.state_dict(), "rmsprop": opt.state_dict(), "epoch": 30,
                "x_mean": x_mean, "x_std": x_std, "pence_per_unit": 20.0},
               out / "sweeper_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="sweeper_mlp.ckpt", log="takings_epochs.csv",
           what="MLP predicting a crossing-sweeper's daily takings from weather; trained on one"
                " summer's days, validated on the following winter's",
           complaint="My model of a crossing-sweeper's daily takings fits the training days almost"
                     " perfectly (train MSE 0.0016 after 30 epochs) but the validation MSE"
                     " never gets below 0.12, nearly a hundred times worse, and it is off by"
                     " about 5 pence a day on every validation day, always too low. More epochs"
                     " barely move it.")


if __name__ == "__main__":
    main()
