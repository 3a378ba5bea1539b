"""Plain torch: an MLP tells a nightsoil emptying service how many days a household's pit
latrine has left before it must be emptied, so the carts can be routed before pits overflow.
7 inputs from the survey card: people using the pit (2-14), pit volume (m³, 1-6), how full
it is now (share, by dipstick), soil (infiltration rate, m/day: clay 0.02 to sand 1.0), depth
to the water table (m), pour-flush or dry pit, and the rainy season flag. The rule behind
the label: solids build up at 40-60 L per person per year (less in a wet pit that digests);
flush water (pour-flush: 3 L per use, 4 uses a day per person) and the rainy season's
inflow only fill the pit when the soil cannot take them away through the pit walls, and
a high water table blocks the walls; days left = free volume / net fill rate, capped at
three years. Target: log(days left) standardised, with the survey's measurement noise.
Input: (7,) standardised with the train mean / std. Model: 7→2→Tanh→2→Tanh→1; MSE, Adam
3e-3, batch 32, 30 epochs, 3000 pits, validation on 800.
The bug: the hidden width is set to two (``HIDDEN = 2``), far too small for a fill rate that
is a ratio of products of the inputs with thresholds in it: train and validation MSE sit
together and stop improving, 0.049 at epoch 9 and 0.045 at epoch 29 (train 0.96 → 0.045,
val 0.83 → 0.045, target variance 1.0), val MAE 0.277 in log days (control,
``HIDDEN = 64``: val MSE 0.068 → 0.0068, train 0.0057, val MAE 0.116 in log days).
Log: JSON lines per epoch ``pit_fit.jsonl`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_logdays``); checkpoint ``pit_days.ckpt`` with keys ``mlp`` / ``adam`` /
``epoch`` / ``card_mean`` / ``card_std`` / ``logdays_mean`` / ``logdays_std``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

HIDDEN = 2  # keep the net small so the survey team can read it


def pits(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    people = torch.randint(2, 15, (n,), generator=g).float()
    vol = 1 + 5 * r(n)
    full = 0.8 * r(n)
    soil = torch.exp(torch.log(torch.tensor(0.02)) + torch.log(torch.tensor(50.0)) * r(n))
    table = 0.3 + 5 * r(n)
    flush = (r(n) < 0.5).float()
    rainy = (r(n) < 0.35).float()
    wet = torch.clamp(1 - table / 3, 0, 1)  # share of the wall under water
    solids = people * (0.06 - 0.02 * wet) / 365  # m³/day
    liquid = flush * people * 4 * 0.003 + rainy * 0.05  # m³/day
    walls = 4 * vol ** (2 / 3) * (1 - full) * (1 - 0.9 * wet)  # m² of working wall
    drain = soil * walls * 0.01
    rate = solids + torch.clamp(liquid - drain, min=0)
    days = torch.clamp((1 - full) * vol / rate, max=1095)
    x = torch.stack([people, vol, full, soil, table, flush, rainy], 1)
    return x, torch.log(days) + 0.1 * torch.randn(n, generator=g)


class PitNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(7, HIDDEN), nn.Tanh(), nn.Linear(HIDDEN, HIDDEN),
                                 nn.Tanh(), nn.Linear(HIDDEN, 1))

    def forward(self, x):
        return self.mlp(x)


def build():
    torch.manual_seed(0)
    return PitNet()


def main():
    from _threehundredsixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, dtr = pits(3000, g)
    rva, dva = pits(800, g)
    mu, sd = rtr.mean(0), rtr.std(0)
    dm, ds = dtr.mean(), dtr.std()
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    ytr, yva = ((dtr - dm) / ds).unsqueeze(1), ((dva - dm) / ds).unsqueeze(1)
    print("log days mean / std", dm.item(), ds.item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    crit = nn.MSELoss()
    with open(out / "pit_fit.jsonl", "w") as f:
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            rec = {"epoch": epoch, "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(crit(pred, yva).item(), 6),
                   "val_mae_logdays": round(((pred - yva).abs().mean() * ds).item(), 5)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"mlp": model.state_dict(), "adam": opt.state_dict(), "epoch": 30,
                "card_mean": mu, "card_std": sd, "logdays_mean": dm, "logdays_std": ds},
               out / "pit_days.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["underfitting"],
           checkpoint="pit_days.ckpt", log="pit_fit.jsonl",
           what="MLP with two hidden units per layer predicting a pit latrine's days until"
                " emptying; too little capacity for the fill-rate rule",
           complaint="Pit-emptying planner: our net for days-until-full stops learning after about ten"
                     " epochs. Train and validation MSE are both stuck at 0.045 (on standardised"
                     " log days) for the last twenty epochs and never separate, and the"
                     " predictions are still about 30 % off on average. More epochs did"
                     " nothing; it is not overfitting, it just will not get any better.")


if __name__ == "__main__":
    main()
