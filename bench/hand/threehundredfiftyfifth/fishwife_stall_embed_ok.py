"""Plain torch: an embedding model forecasts how many kilos of each fish a fishwife's stall
at a harbour market will sell on a market day, so she knows how much to buy off the boats at
dawn. Rows: species (12: herring, mackerel, cod, haddock, whiting, plaice, sole, hake,
sprat, eel, mussels, crab), market day (Mon-Sat), stall (8 stalls, by pitch and size), month,
plus the day's price against the species' usual price, rain (mm) and air temperature. The
rule behind the sales: log kilos = species base + stall size + day effect (Friday, the
fish day, +0.6; Saturday +0.3; Monday, no fresh landings, -0.4) + the species' season
(herring and mackerel in summer, cod and haddock in winter, mussels in months with an r) -
1.3 × log(price ratio) - 0.03 × rain + a small heat penalty for shellfish, then Poisson
counting noise on the kilos. Target: log1p kilos - 3.
Model: embeddings species 8, day 3, stall 4, month 4, concatenated with the 3 numbers,
Linear 22→64 + ReLU + Dropout 0.1, Linear 64→32 + ReLU, Linear 32→1 (regression); MSE,
Adam 5e-3 with ExponentialLR(0.85), batch 128, 12 epochs, 6000 stall-days, validation on
1500.
Healthy; numbers in the README.
Log: JSON lines per epoch ``stall_fit.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_kg``); checkpoint ``stall_embed.pt`` with keys ``embedder`` /
``adam_state`` / ``sched_state`` / ``epoch`` / ``species`` / ``price_log_scale``."""
import json
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

SPECIES = ["herring", "mackerel", "cod", "haddock", "whiting", "plaice", "sole", "hake",
           "sprat", "eel", "mussels", "crab"]
BASE = torch.tensor([3.6, 3.3, 3.5, 3.2, 2.6, 2.9, 2.0, 2.7, 2.4, 1.6, 3.0, 2.2])
SUMMER = torch.tensor([0.5, 0.6, -0.4, -0.3, 0.0, 0.2, 0.1, 0.0, 0.3, 0.2, 0.0, 0.4])
DAY = torch.tensor([-0.4, 0.0, 0.05, 0.1, 0.6, 0.3])
STALL = torch.tensor([0.3, 0.1, -0.2, 0.0, 0.4, -0.4, -0.1, 0.2])


def stall_days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    sp = torch.randint(0, 12, (n,), generator=g)
    day = torch.randint(0, 6, (n,), generator=g)
    stall = torch.randint(0, 8, (n,), generator=g)
    month = torch.randint(0, 12, (n,), generator=g)
    price = torch.exp(0.25 * torch.randn(n, generator=g))
    rain = torch.where(r(n) < 0.4, 12 * r(n), torch.zeros(n))
    season = torch.cos(2 * math.pi * (month.float() - 6.5) / 12)  # +1 in July, -1 in January
    temp = 10 + 8 * season + 3 * torch.randn(n, generator=g)
    r_month = torch.tensor([1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1])[month].float()
    shell = (sp >= 10).float()
    logkg = (BASE[sp] + STALL[stall] + DAY[day] + SUMMER[sp] * season
             + 0.5 * (sp == 10).float() * (r_month - 0.5) - 1.3 * torch.log(price)
             - 0.03 * rain - 0.02 * shell * (temp - 10).clamp(min=0))
    kg = torch.poisson(torch.exp(logkg), generator=g)
    num = torch.stack([torch.log(price) / 0.25, rain / 5, (temp - 10) / 6], 1)
    return (sp, day, stall, month, num), (torch.log1p(kg) - 3.0).unsqueeze(1)


class StallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.sp, self.day = nn.Embedding(12, 8), nn.Embedding(6, 3)
        self.stall, self.month = nn.Embedding(8, 4), nn.Embedding(12, 4)
        self.mlp = nn.Sequential(nn.Linear(22, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 32),
                                 nn.ReLU(), nn.Linear(32, 1))

    def forward(self, sp, day, stall, month, num):
        return self.mlp(torch.cat([self.sp(sp), self.day(day), self.stall(stall),
                                   self.month(month), num], 1))


def build():
    torch.manual_seed(0)
    return StallNet()


def main():
    from _threehundredfiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = stall_days(6000, g)
    xva, yva = stall_days(1500, g)
    print("target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(*xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)
    with open(out / "stall_fit.jsonl", "w") as f:
        for epoch in range(12):
            model.train()
            tot, cnt = 0.0, 0
            for *xb, yb in dl:
                loss = nn.functional.mse_loss(model(*xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, cnt = tot + loss.item() * len(yb), cnt + len(yb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(*xva)
            kg_err = (torch.expm1(p + 3.0) - torch.expm1(yva + 3.0)).abs().mean().item()
            row = {"epoch": epoch, "lr": lr, "train_mse": round(tot / cnt, 6),
                   "val_mse": round(nn.functional.mse_loss(p, yva).item(), 6),
                   "val_mae_kg": round(kg_err, 4)}
            f.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"embedder": model.state_dict(), "adam_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 12, "species": SPECIES,
                "price_log_scale": 0.25}, out / "stall_embed.pt")
    finish(out, __file__, {"inputs": xva[0][:64], "day": xva[1][:64], "stall": xva[2][:64],
                           "month": xva[3][:64], "num": xva[4][:64], "targets": yva[:64]},
           causes=[], checkpoint="stall_embed.pt", log="stall_fit.jsonl",
           what="embedding model forecasting a fishwife's kilos sold per species per market"
                " day (healthy)")


if __name__ == "__main__":
    main()
