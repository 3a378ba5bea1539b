"""Plain torch: a residual MLP tells a camel caravan master how many litres a dromedary will
drink at the next well, from the leg behind it: days since the last drink, mean shade
temperature, load carried, distance, pace, body weight, whether the grazing on the way was
green, and the animal's age. Water loss per day is 1.2 % of body weight at 25 °C, rising by
a factor 1.09 per °C above that, plus 0.006 l per kg of load per 10 km and 0.4 l per km/h of
pace over 4; green grazing covers 40 % of it; an animal drinks the deficit back (up to a
third of its body weight in one go) with 12 % scatter (log-normal) between animals; old
camels drink a little slower than they lose.
Target log1p(litres); MLP 8→64 then 3 residual blocks (LayerNorm, 64→128-SiLU-128→64),
head 64→1; MSE, Adam 2e-3 with OneCycleLR (max 4e-3) over 18 epochs, batch 128, 3000 legs,
validation on 600. The inputs are standardised by the model (``x_mean`` / ``x_std`` buffers
from the training set).
Healthy; numbers in the README.
Log: JSON lines per epoch ``drink_log.jsonl`` (``ep`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_l``); checkpoint ``water_resmlp.pt`` with keys ``state_dict`` / ``optimizer`` /
``onecycle`` / ``ep`` / ``inputs``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

INPUTS = ["days", "temp_c", "load_kg", "km", "pace_kmh", "weight_kg", "green", "age"]


def legs(n, g):
    def u(a, b):
        return a + (b - a) * torch.rand(n, generator=g)
    days, temp, load = u(1, 9), u(18, 44), u(60, 240)
    km, pace, weight = days * u(20, 45), u(3, 6), u(380, 620)
    green = (torch.rand(n, generator=g) < 0.3).float()
    age = u(4, 25)
    per_day = 0.012 * weight * 1.09 ** (temp - 25).clamp(min=0)
    loss = days * per_day + 0.006 * load * km / 10 + 0.4 * days * (pace - 4).clamp(min=0)
    loss = loss * (1 - 0.4 * green) * (1 - 0.01 * (age - 12).clamp(min=0))
    drink = torch.minimum(loss, weight / 3) * torch.exp(0.12 * torch.randn(n, generator=g))
    x = torch.stack([days, temp, load, km, pace, weight, green, age], 1)
    return x, torch.log1p(drink).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm = nn.LayerNorm(w)
        self.ff = nn.Sequential(nn.Linear(w, 2 * w), nn.SiLU(), nn.Linear(2 * w, w))

    def forward(self, h):
        return h + self.ff(self.norm(h))


class WaterNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("x_mean", torch.zeros(8))
        self.register_buffer("x_std", torch.ones(8))
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        return self.head(self.blocks(self.inp((x - self.x_mean) / self.x_std)))


def build():
    torch.manual_seed(0)
    return WaterNet()


def main():
    from _twohundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = legs(3000, g)
    xva, yva = legs(600, g)
    print("litres", torch.expm1(ytr).mean().item(), "target var", ytr.var().item())
    model = build()
    model.x_mean.copy_(xtr.mean(0))
    model.x_std.copy_(xtr.std(0))
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, epochs=18,
                                                steps_per_epoch=len(loader))
    with open(out / "drink_log.jsonl", "w") as log:
        for ep in range(18):
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
                mse = F.mse_loss(p, yva).item()
                mae = (torch.expm1(p) - torch.expm1(yva)).abs().mean().item()
            row = {"ep": ep, "lr": round(opt.param_groups[0]["lr"], 7),
                   "train_mse": round(tot / len(xtr), 6), "val_mse": round(mse, 6),
                   "val_mae_l": round(mae, 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "onecycle": sched.state_dict(), "ep": 18, "inputs": INPUTS},
               out / "water_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="water_resmlp.pt", log="drink_log.jsonl",
           what="residual MLP giving the litres a dromedary drinks at the next well after a"
                " caravan leg (healthy)")


if __name__ == "__main__":
    main()
