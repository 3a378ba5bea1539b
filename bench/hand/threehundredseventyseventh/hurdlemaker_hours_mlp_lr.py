"""Plain torch: an MLP prices a hurdle-maker's orders by predicting the hours a wattle hurdle
takes to weave, from the order sheet and the maker's own notes. A hurdle is woven on a mould
of uprights ("sails") set in a holed beam; split hazel rods are woven in and out of the sails,
twisted round the end sails, with a gap left for the shepherd's stake. Hours follow the work:
the number of courses (height over the rod thickness, fewer for round rods), each course's
length (width) and the sails it passes (more sails, more turns), a slower rate for cleft
(split) rods, for older (thicker, tougher) hazel and for a wet week, a faster rate with the
maker's years at the mould (saturating), plus a fixed setting-up time and a shepherd's-gap
surcharge; the log records the real hours to ±7 %.
Input: 9 standardised numbers (width ft, height ft, sails, rod diameter mm, cleft 0/1, hazel
age years, maker's years, wet week 0/1, gap 0/1). Target: (hours - 7) / 3. Model: Linear
9→64 + ReLU, Linear 64→64 + ReLU, Linear 64→1; MSE, SGD with momentum 0.9, batch 128,
30 epochs, 2400 hurdles, validation on 600.
The bug: ``opt = torch.optim.SGD(model.parameters(), lr=0.6, momentum=0.9)``, a step size the
net cannot take: train MSE 2.26 and 1.87 in the first two epochs (val 3.50, 0.78), 2.1e6 in
the third (val 1.3e27, val MAE 5.4e13 h) and NaN in every column from the fourth epoch on
(control, ``lr=0.01``: val MSE 0.421 → 0.0342 against a target variance of 1.17, val MAE
1.54 → 0.42 h, the logged hours' own scatter being about 0.5 h).
Log: a CSV per epoch ``hours_fit.csv`` (``ep`` / ``train_l2`` / ``val_l2`` /
``val_mae_hours``); checkpoint ``hurdle_hours.pt`` with keys ``weights`` / ``optim`` / ``ep``
/ ``feat_mean`` / ``feat_std`` / ``hours_mean`` / ``hours_scale``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def orders(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    width = 4 + 2 * torch.randint(0, 3, (n,), generator=g).float()  # 4, 6, 8 ft
    height = 3 + 3 * r(n)
    sails = 7 + 2 * torch.randint(0, 3, (n,), generator=g).float() + (width == 8).float() * 2
    rod_mm = 18 + 14 * r(n)
    cleft = (r(n) < 0.7).float()
    age = 6 + 4 * r(n)
    years = 1 + 30 * r(n) ** 2
    wet = (r(n) < 0.3).float()
    gap = (r(n) < 0.6).float()
    courses = height * 304.8 / (rod_mm * (0.55 + 0.45 * (1 - cleft)))
    per_course_min = (0.8 + 0.22 * width + 0.12 * sails) * (1 + 0.35 * cleft) \
        * (1 + 0.04 * (age - 6)) * (1 + 0.15 * wet)
    skill = 0.7 + 0.6 * torch.exp(-years / 6)
    hours = 0.6 + courses * per_course_min * skill / 60 + 0.4 * gap
    hours = hours * (1 + 0.07 * torch.randn(n, generator=g))
    x = torch.stack([width, height, sails, rod_mm, cleft, age, years, wet, gap], 1)
    return x, hours.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 1))


def main():
    from _threehundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(5)
    xtr, htr = orders(2400, g)
    xva, hva = orders(600, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ytr, yva = (htr - 7) / 3, (hva - 7) / 3
    print("hours", htr.min().item(), htr.mean().item(), htr.max().item(), "target var",
          ytr.var().item())
    torch.manual_seed(5)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.6, momentum=0.9)  # momentum SGD, 30 epochs
    with open(out / "hours_fit.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["ep", "train_l2", "val_l2", "val_mae_hours"])
        for ep in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            row = [tot / len(xtr), nn.functional.mse_loss(pv, yva).item(),
                   ((pv - yva).abs() * 3).mean().item()]
            log.writerow([ep] + [f"{v:.6g}" for v in row])
            print(ep, row)
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(), "ep": 30,
                "feat_mean": mu, "feat_std": sd, "hours_mean": 7.0, "hours_scale": 3.0},
               out / "hurdle_hours.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="hurdle_hours.pt", log="hours_fit.csv",
           what="MLP predicting the hours to weave a wattle hurdle from the order sheet; SGD"
                " with momentum at lr 0.6",
           complaint="I'm fitting a small model to our hurdle orders to estimate weaving hours."
                     " The first two epochs look normal (training loss 2.26, then 1.87,"
                     " validation 3.5 then 0.78), then in epoch 3 the training loss is two"
                     " million and the validation loss 1e27, and from epoch 4 to 30 every"
                     " number in the log is nan. The features are standardised and there"
                     " are no missing values in the order sheet.")


if __name__ == "__main__":
    main()
