"""Plain torch: an autoencoder learns the shape of a glassblower's overnight annealing-kiln
curves (96 readings, one every 10 min over 16 h) so the studio can flag a night that went off
schedule from its reconstruction error. The schedules follow the annealing chart for the
thickest piece in the kiln: the kiln comes down from the working temperature (560-600 °C) to
the annealing point (480-520 °C, by glass), soaks 30 min + 6 min per mm of thickness
(3-25 mm), cools through the strain range at 55 °C/h ÷ (thickness / 6 mm)² down to 370 °C,
then at four times that rate, and finally follows the kiln's own Newton cooling towards room
temperature once the elements are off below 300 °C; thermocouple noise 1.5 °C.
Input: (96,) as (T - 300) / 200. Model: 96→64→SiLU→16→SiLU→4 (code), 4→16→SiLU→64→SiLU→96;
MSE, AdamW 2e-3 (weight decay 1e-4) with ReduceLROnPlateau on val MSE (×0.5, patience 2),
batch 32, 30 epochs, 1500 curves, validation on 300.
Healthy; numbers in the README.
Log: JSON lines per epoch ``kiln_ae.jsonl`` (``ep`` / ``lr`` / ``recon_train`` /
``recon_val`` / ``val_max_err_c``, the largest absolute error in °C); checkpoint
``anneal_ae.pth`` with keys ``weights`` / ``opt_state`` / ``sched_state`` / ``ep`` /
``t_offset`` / ``t_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

STEPS = 96
DT_H = 1 / 6


def kiln_nights(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(STEPS).float() * DT_H
    start = 560 + 40 * r(n, 1)
    anneal = 480 + 40 * r(n, 1)
    thick = 3 + 22 * r(n, 1)
    soak = (30 + 6 * thick) / 60
    rate1 = 55 / (thick / 6).clamp(min=1) ** 2
    down = (start - anneal) / 300  # the kiln drops to the annealing point at about 300 °C/h
    t_strain = down + soak + (anneal - 370) / rate1
    t_off = t_strain + 70 / (4 * rate1)
    temp = torch.where(t < down, start - 300 * t, anneal)
    temp = torch.where((t >= down + soak) & (t < t_strain), anneal - rate1 * (t - down - soak), temp)
    temp = torch.where((t >= t_strain) & (t < t_off), 370 - 4 * rate1 * (t - t_strain), temp)
    temp = torch.where(t >= t_off, 20 + 280 * torch.exp(-(t - t_off) / 3.5), temp)
    return temp + 1.5 * torch.randn(n, STEPS, generator=g)


class KilnAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(STEPS, 64), nn.SiLU(), nn.Linear(64, 16), nn.SiLU(),
                                     nn.Linear(16, 4))
        self.decoder = nn.Sequential(nn.Linear(4, 16), nn.SiLU(), nn.Linear(16, 64), nn.SiLU(),
                                     nn.Linear(64, STEPS))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return KilnAE()


def main():
    from _threehundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr = (kiln_nights(1500, g) - 300) / 200
    xva = (kiln_nights(300, g) - 300) / 200
    print("curve variance", xtr.var(0).mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "kiln_ae.jsonl", "w") as log:
        for ep in range(30):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                rec = model(xva)
            val = F.mse_loss(rec, xva).item()
            sched.step(val)
            row = {"ep": ep, "lr": opt.param_groups[0]["lr"], "recon_train": tot / len(xtr),
                   "recon_val": val, "val_max_err_c": 200 * (rec - xva).abs().max().item()}
            log.write(json.dumps({k: round(v, 7) if isinstance(v, float) else v
                                  for k, v in row.items()}) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "ep": 30, "t_offset": 300.0, "t_scale": 200.0},
               out / "anneal_ae.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="anneal_ae.pth",
           log="kiln_ae.jsonl",
           what="autoencoder of a glassblower's overnight annealing-kiln curves (healthy)")


if __name__ == "__main__":
    main()
