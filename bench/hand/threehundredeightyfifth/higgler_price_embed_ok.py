"""Plain torch: an embedding model predicts the price a higgler will have to pay at the farm
gate (pence per unit: a dozen eggs, a pound of butter, a fowl, a rabbit, a pound of honey,
a pound of cheese) on his round of 80 farms, so he knows what to carry in his purse and what
the market in town will bear. Inputs: the farm (id, embedded: each farm has its own
quality and its own hardness at bargaining), the good (id, embedded), the week of the year
(sin / cos), the quantity on offer, miles to the market town and the town's price last
market day. The rule behind the prices: each good's base price and its seasonal swing
(eggs cheap in the spring glut, dear in the dark months; butter cheap in the summer flush;
fowls dear before Christmas; rabbits only cheap in winter), times the farm's quality and
bargaining factors, a bulk discount on large lots, a discount for farms far from town (he
carries the goods), and a pull towards the town price; noise 6 %.
Target: log(pence) standardised. Model: farm embedding 80×8, good embedding 6×4, 4 numeric
features (sin / cos week, quantity, miles, log town price, standardised), concatenated →
Linear 17→64→GELU→dropout 0.1→64→GELU→1; MSE, AdamW 3e-3 (weight
decay 1e-4) with OneCycleLR, batch 128, 20 epochs, 4800 bargains, validation on 1200.
Healthy; numbers in the README.
Log: JSON lines per epoch ``purse_fit.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mape``); checkpoint ``gate_price.pt`` with keys ``net`` / ``adamw`` /
``onecycle`` / ``epoch`` / ``num_mean`` / ``num_std`` / ``logp_center_scale`` / ``goods``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

GOODS = ["eggs_dozen", "butter_lb", "fowl", "rabbit", "honey_lb", "cheese_lb"]
FARMS = 80


def bargains(n, g, farm_q, farm_hard):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    farm = torch.randint(0, FARMS, (n,), generator=g)
    good = torch.randint(0, 6, (n,), generator=g)
    week = torch.randint(0, 52, (n,), generator=g).float()
    ang = 2 * math.pi * week / 52
    base = torch.tensor([14.0, 12.0, 30.0, 8.0, 10.0, 9.0])[good]
    swing = torch.stack([0.35 * torch.cos(ang),  # eggs dear in winter
                         -0.25 * torch.cos(ang + 0.3),  # butter cheap in summer
                         0.3 * torch.exp(-((week - 50) % 52 - 0) ** 2 / 20) - 0.05,
                         0.3 * -torch.cos(ang) - 0.1 * torch.cos(ang),
                         -0.15 * torch.cos(ang - 2.6),
                         0.1 * torch.sin(ang)], 1)[torch.arange(n), good]
    qty = 1 + torch.poisson(4 * r(n), generator=g)
    miles = 1 + 11 * r(n)
    town = base * torch.exp(swing) * (1 + 0.1 * torch.randn(n, generator=g)) * 1.3
    price = base * torch.exp(swing) * farm_q[farm] * farm_hard[farm]
    price = price * (1 - 0.03 * (qty - 1).clamp(max=6)) * (1 - 0.012 * miles)
    price = 0.75 * price + 0.25 * town / 1.3
    price = price * (1 + 0.06 * torch.randn(n, generator=g))
    num = torch.stack([torch.sin(ang), torch.cos(ang), qty, miles, torch.log(town)], 1)
    return farm, good, num, torch.log(price)


class GatePrice(nn.Module):
    def __init__(self):
        super().__init__()
        self.farm = nn.Embedding(FARMS, 8)
        self.good = nn.Embedding(6, 4)
        self.mlp = nn.Sequential(nn.Linear(8 + 4 + 5, 64), nn.GELU(), nn.Dropout(0.1),
                                 nn.Linear(64, 64), nn.GELU(), nn.Linear(64, 1))

    def forward(self, farm, good, num):
        return self.mlp(torch.cat([self.farm(farm), self.good(good), num], 1))


def build():
    torch.manual_seed(0)
    return GatePrice()


def main():
    from _threehundredeightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    farm_q = 0.8 + 0.4 * torch.rand(FARMS, generator=g)
    farm_hard = 0.9 + 0.2 * torch.rand(FARMS, generator=g)
    ftr, gtr, ntr, ltr = bargains(4800, g, farm_q, farm_hard)
    fva, gva, nva, lva = bargains(1200, g, farm_q, farm_hard)
    mu, sd = ntr.mean(0), ntr.std(0)
    ntr, nva = (ntr - mu) / sd, (nva - mu) / sd
    c, s = ltr.mean().item(), ltr.std().item()
    ytr, yva = ((ltr - c) / s).unsqueeze(1), ((lva - c) / s).unsqueeze(1)
    print("pence", ltr.exp().mean().item(), "logp", c, s)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(ftr, gtr, ntr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=20 * len(dl))
    with open(out / "purse_fit.jsonl", "w") as log:
        for epoch in range(20):
            model.train()
            tot = 0.0
            for fb, gb, nb, yb in dl:
                loss = F.mse_loss(model(fb, gb, nb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                p = model(fva, gva, nva)
            mape = ((p * s + c).exp() / lva.unsqueeze(1).exp() - 1).abs().mean().item()
            rec = {"epoch": epoch, "lr": round(sched.get_last_lr()[0], 7),
                   "train_mse": round(tot / len(ytr), 6),
                   "val_mse": round(F.mse_loss(p, yva).item(), 6), "val_mape": round(mape, 6)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"net": model.state_dict(), "adamw": opt.state_dict(), "onecycle": sched.state_dict(),
                "epoch": 20, "num_mean": mu, "num_std": sd, "logp_center_scale": (c, s),
                "goods": GOODS}, out / "gate_price.pt")
    finish(out, __file__, {"inputs": fva[:64], "good": gva[:64], "num": nva[:64], "targets": yva[:64]},
           causes=[], checkpoint="gate_price.pt", log="purse_fit.jsonl",
           what="embedding model (farm and good embeddings + MLP) predicting a higgler's"
                " farm-gate prices (healthy)")


if __name__ == "__main__":
    main()
