"""Plain torch: an MLP predicts how far a bugler's sounded note sits from concert pitch
(cents) on a valveless B-flat bugle, so the band sergeant can tell a player how far to pull
the tuning slide before a ceremony. 6 inputs: air temperature in the horn (°C), mouthpiece
pressure (kPa), lip tension from a surface EMG (0-1), the partial being sounded (2-6),
tuning-slide pull (mm), relative humidity (%). Pitch follows the air column: the speed of
sound rises about 0.6 m/s per °C (+3 cents per °C from 20 °C), pulling the slide lengthens the
tube (-5.5 cents per mm), the player bends the note with lip tension against pressure, and the
upper partials run sharp (+4 cents per partial above the 4th); below about 4 °C the breath
condenses in the leadpipe and the horn sags up to 14-20 cents flat; ± 3 cents noise.
Input: (6,) standardised with the train mean / std. Target: cents / 20.
Model: 6→96→SiLU→96→SiLU→1; MSE, AdamW 3e-3 (weight decay 1e-3) with OneCycleLR over
30 epochs, batch 32, 1500 soundings for training, validation on 400.
The bug: the hold-out set is drawn from a different season: ``xva, yva = soundings(400, g,
temp=(-8.0, 4.0))  # hold-out: the winter parade soundings``, while training only ever saw
the band room (14-26 °C); the net has to extrapolate the temperature effect far outside its
range: train MSE 3.33 → 0.0237 while val MSE goes 20.1 → 0.467 and val MAE 87 → 12.7 cents
(control, hold-out at ``temp=(14.0, 26.0)``: val MSE 2.91 → 0.0248, val MAE 28.4 → 2.5
cents).
Log: CSV per epoch ``train_cents.csv`` (``epoch`` / ``lr`` / ``mse``) and a separate CSV
per epoch ``val_cents.csv`` (``epoch`` / ``val_mse`` / ``val_mae_cents``, named as the log
in the truth); checkpoint ``bugle_tuner.pth`` with keys ``net`` / ``adamw`` / ``onecycle`` /
``epoch`` / ``mu`` / ``sigma`` / ``cents_scale``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def soundings(n, g, temp=(14.0, 26.0)):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = temp[0] + (temp[1] - temp[0]) * r(n)
    press = 2 + 6 * r(n)
    lip = r(n)
    partial = 2 + torch.floor(5 * r(n))
    slide = 12 * r(n)
    hum = 30 + 60 * r(n)
    cents = 3.0 * (t - 20) - 5.5 * slide + 25 * (lip - 0.5) * (1 + 0.1 * partial) \
        - 2.0 * (press - 5) + 4 * (partial - 4).clamp(min=0) + 0.05 * (hum - 60)
    # in the cold the player's breath condenses in the leadpipe and the horn sags flat
    cents = cents - 14 * torch.sigmoid((4 - t) / 2) * (1 + 0.15 * (partial - 4))
    cents = cents + 3 * torch.randn(n, generator=g)
    x = torch.stack([t, press, lip, partial, slide, hum], 1)
    return x, (cents / 20).unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 96), nn.SiLU(), nn.Linear(96, 96), nn.SiLU(),
                         nn.Linear(96, 1))


def main():
    from _threehundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = soundings(1500, g)
    rva, yva = soundings(400, g, temp=(-8.0, 4.0))  # hold-out: the winter parade soundings
    mu, sigma = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mu) / sigma, (rva - mu) / sigma
    print("target", ytr.mean().item(), ytr.var().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, epochs=30,
                                                steps_per_epoch=len(dl))
    with open(out / "train_cents.csv", "w", newline="") as ft, \
            open(out / "val_cents.csv", "w", newline="") as fv:
        lt, lv = csv.writer(ft), csv.writer(fv)
        lt.writerow(["epoch", "lr", "mse"])
        lv.writerow(["epoch", "val_mse", "val_mae_cents"])
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            vm, mae = nn.functional.mse_loss(pv, yva).item(), 20 * (pv - yva).abs().mean().item()
            lt.writerow([epoch, f"{sched.get_last_lr()[0]:.6g}", f"{tot / len(xtr):.6g}"])
            lv.writerow([epoch, f"{vm:.6g}", f"{mae:.6g}"])
            print(epoch, tot / len(xtr), vm, mae)
    torch.save({"net": model.state_dict(), "adamw": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 30, "mu": mu, "sigma": sigma,
                "cents_scale": 20.0}, out / "bugle_tuner.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="bugle_tuner.pth", log="val_cents.csv",
           what="MLP predicting a bugle's pitch offset in cents; trained on band-room"
                " soundings (14-26 °C), validated on winter parade soundings (-8 to 4 °C)",
           complaint="The bugle tuning model fits the training soundings almost perfectly,"
                     " but on our check set it is off by a lot, and more data or more epochs"
                     " don't close the gap at all.")


if __name__ == "__main__":
    main()
