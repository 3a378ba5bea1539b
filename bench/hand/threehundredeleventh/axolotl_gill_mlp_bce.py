"""Plain torch: an MLP reads a week of an axolotl keeper's tank sheet (10 numbers: mean and
peak water temperature, ammonia, nitrite, nitrate, pH, days since the last water change,
feedings, hours of direct light, tank-mates) and flags the tanks in which the animal will
show stress within the next week (gills curled forward, floating, off food), so the keeper
can cool the tank or change water first. Stress comes from warm water (above about 20 °C),
free ammonia (ammonia × a pH factor) or nitrite, each worse together and with a crowded
tank; most weeks in a kept collection are calm (about 4 % stress weeks). Input: the 10
readings standardised with the train mean / std.
Model: MLP 10→32→32→1 (SiLU), BCE with logits, Adam 1e-3, batch 256, 10 epochs of 6000
tank-weeks, validation on 2000.
The bug: ``crit = nn.BCEWithLogitsLoss()`` on a set with 4 % stress weeks, no weighting or
resampling; val accuracy 0.959 (the share of calm weeks) for epochs
0-4 and 0.9735 at the end, but the stress weeks found (val recall) are 0.0 for epochs 0-4
and 0.38 at the end (precision 0.94), val BCE 0.501 → 0.066, train BCE 0.57 → 0.075
(control, ``nn.BCEWithLogitsLoss(pos_weight=torch.tensor(24.0))``: val recall 0.98 →
1.0, precision 0.19 → 0.40, val accuracy 0.83 → 0.94, val BCE 0.625 → 0.134).
Log: CSV per epoch ``gill_watch.csv`` (``epoch`` / ``bce`` / ``val_bce`` / ``val_acc`` /
``val_recall`` / ``val_precision``); checkpoint ``gill_mlp.pt`` with keys ``model`` /
``opt`` / ``epoch`` / ``x_mean`` / ``x_std`` / ``threshold``."""
import csv

import torch
import torch.nn as nn


def weeks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    temp = 14 + 7 * r(n)
    peak = temp + 3 * r(n)
    ammonia = 0.5 * r(n) ** 2
    ph = 6.8 + 1.2 * r(n)
    nitrite = 0.4 * r(n) ** 3
    nitrate = 10 + 40 * r(n)
    since = torch.floor(14 * r(n))
    feeds = torch.floor(2 + 6 * r(n))
    light = 6 * r(n)
    mates = torch.floor(3 * r(n))
    free_nh3 = ammonia * 10 ** (ph - 7.8)
    score = (1.6 * (peak - 22).clamp(min=0) + 40 * free_nh3 + 8 * nitrite + 0.08 * since
             + 0.5 * mates + 0.3 * torch.randn(n, generator=g))
    y = (score > 17.5).float()
    x = torch.stack([temp, peak, ammonia, nitrite, nitrate, ph, since, feeds, light, mates], 1)
    return x, y.unsqueeze(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 32), nn.SiLU(), nn.Linear(32, 32), nn.SiLU(), nn.Linear(32, 1))


def main():
    from _threehundredeleventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = weeks(6000, g)
    xva, yva = weeks(2000, g)
    print("stress share", ytr.mean().item(), yva.mean().item())
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.BCEWithLogitsLoss()
    with open(out / "gill_watch.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "bce", "val_bce", "val_acc", "val_recall", "val_precision"])
        for epoch in range(10):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 256):
                idx = perm[i:i + 256]
                loss = crit(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lo = model(xva)
            p = (lo > 0).float()
            tp = (p * yva).sum().item()
            row = [tot / len(xtr), nn.functional.binary_cross_entropy_with_logits(lo, yva).item(),
                   (p == yva).float().mean().item(), tp / max(yva.sum().item(), 1),
                   tp / max(p.sum().item(), 1)]
            w.writerow([epoch] + [f"{v:.5f}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": 10,
                "x_mean": mu, "x_std": sd, "threshold": 0.5}, out / "gill_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="gill_mlp.pt", log="gill_watch.csv",
           what="MLP flagging axolotl tanks that will show stress within a week from the"
                " keeper's weekly water readings",
           complaint="My axolotl tank-stress model says 97 % accuracy on the held-out weeks, but when"
                     " I look at the weeks where an animal actually got stressed it catches"
                     " barely a third of them, and for the first five epochs it caught none at"
                     " all. The loss keeps going down nicely, so I do not understand why it"
                     " misses the weeks I care about.")


if __name__ == "__main__":
    main()
