"""Plain torch: a residual MLP predicts how much green rod a withy-cutter will take off one
willow stool at the winter cut (kg), from the bed records, so the cutting gang and the
boiling tanks can be booked: variety vigour index (0.6-1.4), stool age (2-30 years: yield
climbs to a plateau at 6-12 and falls off after about 18), spring rainfall (mm, 80-320),
mean July temperature (°C, 13-21), water table depth (m, 0.1-1.5; withies like it wet,
best at 0.3-0.6, drought below 1 m), nitrogen given (kg/ha, 0-90, diminishing returns),
weed cover at midsummer (%, 0-60), and whether the stool was cut last winter (annual) or
left two years (biennial: heavier, fewer rods). Yield is the product of those effects on a
4 kg base, with 8 % stool-to-stool scatter.
Input: (8,) standardised with the train mean / std. Target: log(kg). Model: Linear 8→64, 3
residual blocks (x + Linear(ReLU(Linear(x))), 64→128→64, dropout 0.05 inside), ReLU, Linear
64→1; MSE, AdamW 3e-3 (weight decay 1e-4) with OneCycleLR, batch 128, 24 epochs, 3000
stools, validation on 600.
Healthy; numbers in the README.
Log: one JSON lines file per epoch ``stool_fit.jsonl`` (``ep`` / ``lr`` / ``mse_train`` /
``mse_val`` / ``mape_val_pct``); checkpoint ``withy_resmlp.pth`` with keys ``weights`` /
``optim`` / ``sched`` / ``ep`` / ``feat_mean`` / ``feat_std``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def stools(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    vig = 0.6 + 0.8 * r(n)
    age = 2 + 28 * r(n)
    rain = 80 + 240 * r(n)
    july = 13 + 8 * r(n)
    wt = 0.1 + 1.4 * r(n)
    nitro = 90 * r(n)
    weed = 60 * r(n)
    bien = (r(n) < 0.3).float()
    f_age = torch.clamp((age - 1) / 5, max=1.0) * torch.where(age > 18, 1 - 0.03 * (age - 18),
                                                              torch.ones_like(age))
    f_rain = 0.6 + 0.4 * (1 - torch.exp(-rain / 120))
    f_july = torch.exp(-((july - 17.5) / 4) ** 2)
    f_wt = torch.where(wt < 0.3, 0.85 + 0.5 * wt, torch.where(wt < 0.6, torch.ones_like(wt),
                                                              1 - 0.45 * (wt - 0.6)))
    f_n = 1 + 0.35 * (1 - torch.exp(-nitro / 40))
    f_weed = 1 - 0.008 * weed
    kg = 4 * vig * f_age * f_rain * f_july * f_wt * f_n * f_weed * (1 + 0.7 * bien)
    kg = kg * torch.exp(0.08 * torch.randn(n, generator=g))
    x = torch.stack([vig, age, rain, july, wt, nitro, weed, bien], 1)
    return x, kg


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(d, 2 * d), nn.Linear(2 * d, d)
        self.drop = nn.Dropout(0.05)

    def forward(self, x):
        return x + self.fc2(self.drop(F.relu(self.fc1(x))))


class StoolNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(F.relu(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return StoolNet()


def main():
    from _threehundredeightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, kgtr = stools(3000, g)
    rva, kgva = stools(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = kgtr.log().unsqueeze(1), kgva.log().unsqueeze(1)
    print("kg", kgtr.min().item(), kgtr.max().item(), "log var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=24 * len(dl))
    with open(out / "stool_fit.jsonl", "w") as log:
        for ep in range(24):
            model.train()
            tot, seen = 0.0, 0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot, seen = tot + loss.item() * len(xb), seen + len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            mse = F.mse_loss(p, yva).item()
            mape = ((p.exp() - yva.exp()).abs() / yva.exp()).mean().item() * 100
            rec = {"ep": ep, "lr": sched.get_last_lr()[0], "mse_train": tot / seen,
                   "mse_val": mse, "mape_val_pct": mape}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "optim": opt.state_dict(),
                "sched": sched.state_dict(), "ep": 24, "feat_mean": mean, "feat_std": std},
               out / "withy_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="withy_resmlp.pth", log="stool_fit.jsonl",
           what="residual MLP predicting a willow stool's green rod yield at the winter cut"
                " from the bed records (healthy)")


if __name__ == "__main__":
    main()
