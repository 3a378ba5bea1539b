"""Plain torch: an embedding model forecasts how many units of each line a greengrocer sells
in a day, so the morning order from the wholesale market is right: 40 lines (leafy salad,
soft fruit, stone fruit, roots, alliums, citrus, exotics ...), each with its own base demand
and its own pull from the weather (salads and berries sell in the heat, roots and soup veg in
the cold), the weekday (Saturday market trade, a quiet Monday), its price against the usual
(elasticity -0.5 to -2.5 by line) and a chalkboard promotion (+20-60 %). Units sold are
Poisson around that mean. Target: log(1 + units); the shop reads back ``expm1``.
Input: line id, weekday id and 3 numbers (max temperature (°C - 18) / 8, log price ratio,
promo flag). Model: Embedding 40→8 for the line, Embedding 7→3 for the weekday, concatenated
with the numbers, then Linear 14→64 + ReLU, Linear 64→32 + ReLU, Linear 32→1; MSE, Adam
1e-2 with ReduceLROnPlateau (×0.5, patience 2) on the val MSE, batch 256, 30 epochs, 6000
shop-days × lines, validation on 1500.
Healthy; numbers in the README.
Log: one JSON lines file per epoch ``demand_fit.jsonl`` (``epoch`` / ``lr`` / ``train_mse``
/ ``val_mse`` / ``val_mae_units``); checkpoint ``greengrocer_demand.pt`` with keys
``weights`` / ``adam_state`` / ``plateau`` / ``epoch`` / ``n_lines`` / ``temp_center_scale``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

LINES = 40


def line_table(g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    base = torch.exp(1.5 + 2.5 * r(LINES))  # 4-55 units a day
    heat = 0.5 * torch.randn(LINES, generator=g)  # + salads, - roots
    elast = -0.5 - 2.0 * r(LINES)
    return base, heat, elast


def days(n, table, g):
    base, heat, elast = table
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    line = torch.randint(0, LINES, (n,), generator=g)
    wd = torch.randint(0, 7, (n,), generator=g)
    temp = 18 + 8 * torch.randn(n, generator=g)
    logp = 0.15 * torch.randn(n, generator=g)
    promo = (r(n) < 0.12).float()
    wk = torch.tensor([0.75, 0.9, 0.95, 1.0, 1.2, 1.6, 0.8])[wd]
    mu = (base[line] * wk * torch.exp(heat[line] * (temp - 18) / 8 + elast[line] * logp)
          * (1 + promo * (0.2 + 0.4 * r(n))))
    units = torch.poisson(mu, generator=g)
    x = torch.stack([(temp - 18) / 8, logp, promo], 1)
    return line, wd, x, torch.log1p(units).unsqueeze(1)


class DemandNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.line = nn.Embedding(LINES, 8)
        self.wd = nn.Embedding(7, 3)
        self.mlp = nn.Sequential(nn.Linear(14, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                                 nn.Linear(32, 1))

    def forward(self, line, wd, x):
        return self.mlp(torch.cat([self.line(line), self.wd(wd), x], 1))


def build():
    torch.manual_seed(0)
    return DemandNet()


def main():
    from _threehundredthirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    table = line_table(g)
    ltr, wtr, xtr, ytr = days(6000, table, g)
    lva, wva, xva, yva = days(1500, table, g)
    print("target mean / var", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(ltr, wtr, xtr, ytr), batch_size=256, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    mse = nn.MSELoss()
    with open(out / "demand_fit.jsonl", "w") as f:
        for epoch in range(30):
            model.train()
            tot = 0.0
            for lb, wb, xb, yb in dl:
                loss = mse(model(lb, wb, xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                p = model(lva, wva, xva)
            vm = mse(p, yva).item()
            mae = (torch.expm1(p) - torch.expm1(yva)).abs().mean().item()
            lr = opt.param_groups[0]["lr"]
            plateau.step(vm)
            rec = {"epoch": epoch, "lr": lr, "train_mse": round(tot / len(ytr), 6),
                   "val_mse": round(vm, 6), "val_mae_units": round(mae, 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "adam_state": opt.state_dict(),
                "plateau": plateau.state_dict(), "epoch": 30, "n_lines": LINES,
                "temp_center_scale": (18.0, 8.0)}, out / "greengrocer_demand.pt")
    finish(out, __file__, {"inputs": lva[:64], "weekday": wva[:64], "numbers": xva[:64],
                           "targets": yva[:64]},
           causes=[], checkpoint="greengrocer_demand.pt", log="demand_fit.jsonl",
           what="embedding model (line and weekday embeddings + MLP) forecasting a"
                " greengrocer's daily units per line (healthy)")


if __name__ == "__main__":
    main()
