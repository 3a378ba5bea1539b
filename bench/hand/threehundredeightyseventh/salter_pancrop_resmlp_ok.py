"""Plain torch: a residual MLP predicts a salter's daily crop of sea salt (kg per m² of
crystallising pan) from the day's weather and the state of the brine, so the rakers know
which pans to harvest first. Evaporation follows a Penman-style split: a radiation term
(sunshine hours × air temperature) plus an aerodynamic term (wind × vapour-pressure deficit
from temperature and humidity); saturated brine evaporates slower as it thickens (water
activity falls from 0.75 at 25.6 °Bé to about 0.6 at 30 °Bé), shallow brine warms faster, and
rain dissolves back part of the day's crop; about 0.36 kg of salt drops out per kg of water
lost. Days: March-October, 7 features (air temperature, relative humidity, wind, sunshine,
rain, brine density in °Bé, brine depth), weighed crop with 8 % scale noise.
Input: (7,) standardised with the training mean / std. Model: Linear 7→64, three residual
blocks (Linear 64→64, ReLU, Linear 64→64, added back, then ReLU), Linear 64→1; MSE on crop
/ 2 kg; Adam 2e-3 with OneCycleLR (max 4e-3, stepped per batch), batch 128, 24 epochs, 4000
days, validation on 1000.
Healthy; numbers in the README.
Log: one JSON line per epoch ``crop_fit.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_kg``); checkpoint ``pan_crop.pth`` with keys ``weights`` / ``opt`` /
``onecycle`` / ``epoch`` / ``feat_mean`` / ``feat_std`` / ``kg_scale``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    temp = 12 + 20 * r(n)
    rh = 0.35 + 0.55 * r(n)
    wind = 0.5 + 7.5 * r(n)
    sun = 13 * r(n) * (1 - 0.6 * rh)
    rain = torch.where(r(n) < 0.2, 12 * r(n) ** 2, torch.zeros(n))
    be = 25.6 + 4.4 * r(n)
    depth = 2 + 8 * r(n)  # cm
    es = 0.611 * torch.exp(17.27 * temp / (temp + 237.3))  # kPa
    aw = 0.75 - 0.15 * (be - 25.6) / 4.4
    rad = 0.16 * sun * (temp + 17) / 30 * (1 + 0.2 * (6 - depth) / 4)
    aero = 1.1 * (1 + 0.5 * wind) * (es * aw - es * rh).clamp(min=0)
    water = (rad + aero).clamp(min=0)  # kg / m² evaporated
    crop = (0.36 * water - 0.3 * rain).clamp(min=0)
    crop = crop * (1 + 0.08 * torch.randn(n, generator=g))
    x = torch.stack([temp, rh, wind, sun, rain, be, depth], 1)
    return x, (crop / 2).unsqueeze(1)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))

    def forward(self, x):
        return torch.relu(x + self.f(x))


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(7, 64), nn.ReLU(), Block(64), Block(64), Block(64),
                         nn.Linear(64, 1))


def main():
    from _threehundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = days(4000, g)
    xva, yva = days(1000, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("crop kg mean / std", 2 * ytr.mean().item(), 2 * ytr.std().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, total_steps=24 * len(dl))
    with open(out / "crop_fit.jsonl", "w") as log:
        for epoch in range(24):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            rec = {"epoch": epoch, "lr": sched.get_last_lr()[0], "train_mse": tot / len(xtr),
                   "val_mse": nn.functional.mse_loss(pv, yva).item(),
                   "val_mae_kg": 2 * (pv - yva).abs().mean().item()}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "opt": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 24, "feat_mean": mu, "feat_std": sd,
                "kg_scale": 2.0}, out / "pan_crop.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="pan_crop.pth",
           log="crop_fit.jsonl",
           what="residual MLP predicting a salt pan's daily crop from weather and brine state"
                " (healthy)")


if __name__ == "__main__":
    main()
