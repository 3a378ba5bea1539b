"""Plain torch: a common swift nest-box colony on a church tower weighs its chicks every
evening (the boxes open from inside the loft), and a residual MLP predicts tomorrow's mass
change of a chick (g) from: age (days), tonight's mass (g), brood size (1-3), the day's mean
temperature (°C), rain (mm), wind (m/s) and the aerial insect index from the suction trap.
Growth rule: a chick grows on a logistic curve toward a peak near 52 g around day 25, then
loses mass as it sheds fat and the feathers grow out before it fledges (day 38-45); the
daily gain scales with the food the parents bring (insects, falling in rain, cold and wind,
shared by the brood), and on a cold wet day the chick goes torpid and loses 2-4 g.
Each record is one chick-evening; the season runs from the first hatchings (early June) to
the last fledglings (mid-August); 0.8 g of scale and handling scatter.
Input: the 7 numbers standardised with the training mean / std; target: grams.
Model: Linear 7→64 → 3 residual blocks (LayerNorm → Linear-GELU-Linear, + skip) → LayerNorm
→ 64→1; MSE, AdamW 2e-3 (weight decay 1e-4) with linear warmup over 100 steps (LambdaLR),
batch 48, 30 epochs, 3600 chick-evenings: 80 % for training, 20 % for validation.
Bug: the records stay in the order the loft book has them, by date, and the split is
``x[:cut]`` / ``x[cut:]`` (``# the last fifth of the season is the hold-out, like the next
summer will be``): the validation fifth is August, old chicks losing mass before they fledge
and cooler nights, an age and weather range the training part hardly has.
Control (``idx = torch.randperm(len(x), generator=g)``, one-line sed): train MSE 2.49 →
0.659, val MSE 1.23 → 0.719 (g², handling scatter 0.64), val MAE 0.86 → 0.67 g; train and
val targets both 0.04-0.05 ± 2.3 g. With the bug: train MSE 1.37 → 0.651, val MSE 7.59 →
2.16 (2.26 at epoch 10, 2.65 at epoch 20), val MAE 2.25 → 1.13 g; the training targets are
+0.85 ± 1.64 g, the validation ones -3.19 ± 1.92 g.
Log: JSON lines per epoch ``swift_epochs.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_g``); checkpoint ``chick_resmlp.pt`` with keys ``model`` / ``opt`` /
``epoch`` / ``feat_mean`` / ``feat_std`` / ``split``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def season(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hatch = 10 * r(n) ** 1.5  # day of the season the chick hatched (0 = 1 June)
    fledge = 38 + 7 * r(n)
    age = hatch.new_empty(n)
    for i in range(n):
        age[i] = 1 + (fledge[i] - 1) * r(1).item()
    day = hatch + age
    temp = 18 + 3 * torch.sin(torch.pi * day / 60) - 0.3 * (day - 36).clamp(min=0) + 2.5 * \
        torch.randn(n, generator=g)
    rain = torch.where(r(n) < 0.3, 12 * r(n) ** 2, torch.zeros(n))
    wind = 2 + 6 * r(n)
    insects = (torch.exp(-((temp - 22) / 7) ** 2) * torch.exp(-0.15 * rain) * (1 - 0.06 * wind)
               ).clamp(min=0.05) * (0.8 + 0.4 * r(n))
    brood = torch.randint(1, 4, (n,), generator=g).float()
    food = insects * 2 / (brood + 1)
    peak = 52 + 4 * torch.randn(n, generator=g)
    mass = peak / (1 + torch.exp(-(age - 12) / 3.5)) - 0.35 * (age - 26).clamp(min=0) ** 1.4
    mass = mass * (0.85 + 0.3 * food.clamp(max=1)) + torch.randn(n, generator=g)
    grow = 4.5 * torch.exp(-((age - 11) / 7) ** 2) * food.clamp(max=1.2) / 0.6
    shed = -0.03 * (age - 26).clamp(min=0) ** 1.9
    torpid = -(2 + 2 * r(n)) * ((temp < 13) & (rain > 3)).float()
    dm = grow + shed + torpid + 0.8 * torch.randn(n, generator=g)
    order = day.argsort()  # the loft book, evening by evening
    x = torch.stack([age, mass, brood, temp, rain, wind, insects], 1)[order]
    return x, dm[order].unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, h):
        return h + self.ff(self.norm(h))


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(7, 64), Block(64), Block(64), Block(64), nn.LayerNorm(64),
                         nn.Linear(64, 1))


def main():
    from _twohundredninetysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = season(3600, g)
    cut = int(0.8 * len(x))
    idx = torch.arange(len(x))  # the last fifth of the season is the hold-out, like the next summer will be
    xtr, ytr, xva, yva = x[idx[:cut]], y[idx[:cut]], x[idx[cut:]], y[idx[cut:]]
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("dm train", ytr.mean().item(), ytr.std().item(), "val", yva.mean().item(),
          yva.std().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100))
    log = open(out / "swift_epochs.jsonl", "w")
    for epoch in range(30):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.mse_loss(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            p = model(xva)
            rec = {"epoch": epoch, "lr": round(sched.get_last_lr()[0], 6),
                   "train_mse": round(tot / len(xtr), 5),
                   "val_mse": round(F.mse_loss(p, yva).item(), 5),
                   "val_mae_g": round((p - yva).abs().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": 30,
                "feat_mean": mu, "feat_std": sd, "split": cut}, out / "chick_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="chick_resmlp.pt", log="swift_epochs.jsonl",
           what="residual MLP predicting a swift chick's mass change overnight; records in date"
                " order, validation is the last fifth of the season (August)",
           complaint="Our swift chick model fits the training evenings well (MSE down to "
                    "0.65) but on the validation evenings it is three times worse, about "
                    "2.2 at the end and 7.6 after the first epoch, and it goes up and down "
                    "(2.26 at epoch 10, 2.65 at epoch 20) instead of following the training "
                    "curve. It keeps predicting small gains for chicks that actually lose "
                    "3-4 g a night. We do not understand why the two curves are so far "
                    "apart when it is all the same colony and the same scales.")


if __name__ == "__main__":
    main()
