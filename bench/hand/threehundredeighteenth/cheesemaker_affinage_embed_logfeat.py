"""Plain torch: an embedding model for a farmhouse cheesemaker's aging cave predicts how many
days a wheel needs before it is ready to sell (affinage time) from its style and the make
sheet, so the cave can be planned months ahead. Styles (6: fresh chèvre, bloomy rind,
washed rind, tomme, alpine, clothbound cheddar) → embedding 6×4; make sheet: moisture %,
salt %, cave °C, cave RH %, wheel kg, culture dose (ml per 100 L, 0 for the acid-set
styles), rind washes per week (0 for natural rinds) → 7 numbers. Days follow a style base
time, shortened by a warmer cave and wetter curd, lengthened by heavier wheels and by
salt, washes and culture speed the rind up; 8 % noise. Target: log days, standardised.
Embedding + 7 → linear 64 + ReLU → 64 + ReLU → 1; MSE, Adam 3e-3, batch 64, 25 epochs,
1200 wheels, validation on 300.
The bug: the skewed make-sheet columns (wheel kg, culture dose, washes) are
log-transformed with ``torch.log`` before standardising, and dose and washes are 0 for many
styles: those columns become -inf, their mean and std nan, every input row nan: train MSE
nan from the first step, val MSE nan, val MAE nan days (control, ``torch.log1p``: train MSE
0.36 → 0.0036, val MSE 0.064 → 0.0050 on standardised log days, val MAE 47.9 → 13.4 days).
Log: CSV per epoch ``cave_fit.csv`` (``epoch`` / ``mse_log_days`` / ``val_mse_log_days`` /
``val_mae_days``); checkpoint ``affinage.pt`` with keys ``model_state_dict`` /
``adam_state_dict`` / ``epoch`` / ``styles`` / ``x_mean`` / ``x_std`` / ``y_mean`` /
``y_std``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

STYLES = ["chevre", "bloomy", "washed", "tomme", "alpine", "clothbound"]
BASE = torch.tensor([12.0, 35.0, 60.0, 90.0, 240.0, 300.0])
ACID_SET = torch.tensor([1, 0, 0, 0, 0, 0]).bool()
WASHED = torch.tensor([0, 0, 1, 0, 1, 0]).bool()
LOGCOLS = [4, 5, 6]


def wheels(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    s = torch.randint(0, 6, (n,), generator=g)
    moist = 36 + 20 * r(n) - 2 * s.float()
    salt = 1.2 + 1.3 * r(n)
    temp = 8 + 6 * r(n)
    rh = 82 + 14 * r(n)
    kg = torch.exp(torch.log(torch.tensor([0.15, 0.25, 0.5, 1.5, 8.0, 10.0]))[s] + 0.4 * torch.randn(n, generator=g))
    dose = torch.where(ACID_SET[s], torch.zeros(n), 0.5 + 3 * r(n) ** 2)
    dose = torch.where(r(n) < 0.1, torch.zeros(n), dose)  # some batches rely on the raw milk
    wash = torch.where(WASHED[s], torch.randint(1, 4, (n,), generator=g).float(), torch.zeros(n))
    logd = (torch.log(BASE[s]) - 0.06 * (temp - 11) - 0.03 * (moist - 40) + 0.25 * torch.log(kg / 0.15)
            * 0.4 + 0.15 * (salt - 1.8) - 0.08 * wash - 0.05 * torch.log1p(dose)
            - 0.004 * (rh - 89) + 0.08 * torch.randn(n, generator=g))
    x = torch.stack([moist, salt, temp, rh, kg, dose, wash], 1)
    return s, x, logd.unsqueeze(1)


class AffinageNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.style = nn.Embedding(6, 4)
        self.mlp = nn.Sequential(nn.Linear(11, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 1))

    def forward(self, x):  # x: (N, 8) = style id, 7 standardised make-sheet numbers
        return self.mlp(torch.cat([self.style(x[:, 0].long()), x[:, 1:]], 1))


def build():
    torch.manual_seed(0)
    return AffinageNet()


def main():
    from _threehundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    str_, rtr, ltr = wheels(1200, g)
    sva, rva, lva = wheels(300, g)
    rtr, rva = rtr.clone(), rva.clone()
    # wheel weight, culture dose and washes are right-skewed: work on the log scale
    rtr[:, LOGCOLS], rva[:, LOGCOLS] = torch.log(rtr[:, LOGCOLS]), torch.log(rva[:, LOGCOLS])
    x_mean, x_std = rtr.mean(0), rtr.std(0)
    y_mean, y_std = ltr.mean(), ltr.std()
    xtr = torch.cat([str_[:, None].float(), (rtr - x_mean) / x_std], 1)
    xva = torch.cat([sva[:, None].float(), (rva - x_mean) / x_std], 1)
    ytr, yva = (ltr - y_mean) / y_std, (lva - y_mean) / y_std
    print("days", ltr.exp().min().item(), ltr.exp().median().item(), ltr.exp().max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with open(out / "cave_fit.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "mse_log_days", "val_mse_log_days", "val_mae_days"])
        for epoch in range(25):
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
                p = model(xva)
            days = (p * y_std + y_mean).exp()
            row = [tot / len(xtr), F.mse_loss(p, yva).item(), (days - lva.exp()).abs().mean().item()]
            log.writerow([epoch] + [f"{v:.5f}" for v in row])
            print(epoch, row)
    torch.save({"model_state_dict": model.state_dict(), "adam_state_dict": opt.state_dict(),
                "epoch": 25, "styles": STYLES, "x_mean": x_mean, "x_std": x_std,
                "y_mean": y_mean, "y_std": y_std}, out / "affinage.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="affinage.pt", log="cave_fit.csv",
           what="embedding model predicting a cheese wheel's affinage days from style and make"
                " sheet; zero doses and washes go through torch.log",
           complaint="The cave-planning model for our cheeses prints nan for the loss from the"
                     " very first epoch, for train and validation, and the day predictions are"
                     " nan too. The make sheets have no missing cells, we checked. What is"
                     " going on?")


if __name__ == "__main__":
    main()
