"""Plain torch: an autoencoder learns a psychrometer station's normal day, 24 hourly dry-bulb
and wet-bulb readings, so that a day it reconstructs badly (a dried-out wick, a stalled
aspirator fan) can be flagged for the technician. The rule behind the days: the dry bulb
follows a diurnal cycle T(h) = Tmean + A cos(2π (h - 15) / 24) (Tmean -5 to 30 °C, A 2-9 °C),
the dew point is near constant over the day (3-15 °C below Tmean) unless a front passes (30 %
of days: a step in both at a random hour), and the wet bulb is Stull's (2011) formula of the
temperature and the resulting relative humidity; 0.1 °C reading noise on both thermometers.
Input: (48,) = 24 dry bulbs then 24 wet bulbs, standardised with the train mean / std per
position. Model: encoder 48->32->Tanh->5, decoder 5->32->Tanh->48; MSE, Adam 2e-3, batch 32,
25 epochs, 1500 days, validation on 400.
The bug: the forward keeps the day's code for the station's code table and hands the decoder
that kept copy, ``self.last_code = z.detach()  # kept for the daily code table`` then
``return self.decoder(self.last_code)``, so no gradient reaches the encoder and the decoder
has to work from a random 5-number projection of the day. Measured: val MSE 0.58 → 0.112
(standardised units), 0.79 °C RMS, encoder weights unchanged (control, ``return
self.decoder(z)``: val MSE 0.36 → 0.0091, 0.22 °C RMS).
Log: JSON lines per epoch ``wick_ae.jsonl`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_rmse_c`` / ``val_rmse_wetbulb_c``); checkpoint ``wick_ae.pt`` with keys
``autoencoder`` / ``adam`` / ``epoch`` / ``day_mean`` / ``day_std`` / ``hours``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def stull_wet_bulb(t, rh):
    return (t * torch.atan(0.151977 * (rh + 8.313659) ** 0.5) + torch.atan(t + rh)
            - torch.atan(rh - 1.676331) + 0.00391838 * rh ** 1.5 * torch.atan(0.023101 * rh)
            - 4.686035)


def days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    h = torch.arange(24).float()
    tmean = -5 + 35 * r(n, 1)
    amp = 2 + 7 * r(n, 1)
    dep = 3 + 12 * r(n, 1)
    front = (r(n, 1) < 0.3).float() * (h > 24 * r(n, 1)).float()
    dt = front * (-6 * r(n, 1))
    ddew = front * (4 * r(n, 1) - 2)
    t = tmean + dt + amp * torch.cos(2 * math.pi * (h - 15) / 24)
    dew = torch.minimum(tmean - dep + ddew, t - 0.5)
    es = lambda x: 6.112 * torch.exp(17.62 * x / (243.12 + x))  # noqa: E731
    rh = (100 * es(dew) / es(t)).clamp(5, 99)
    tw = stull_wet_bulb(t, rh)
    noise = lambda: 0.1 * torch.randn(n, 24, generator=g)  # noqa: E731
    return torch.cat([t + noise(), tw + noise()], 1)


class DayAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(48, 32), nn.Tanh(), nn.Linear(32, 5))
        self.decoder = nn.Sequential(nn.Linear(5, 32), nn.Tanh(), nn.Linear(32, 48))
        self.last_code = None

    def forward(self, x):
        z = self.encoder(x)
        self.last_code = z.detach()  # kept for the daily code table
        return self.decoder(self.last_code)


def build():
    torch.manual_seed(0)
    return DayAE()


def main():
    from _threehundredtwentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr = days(1500, g)
    rva = days(400, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=32, shuffle=True)
    ae = build()
    adam = torch.optim.Adam(ae.parameters(), lr=2e-3)
    with open(out / "wick_ae.jsonl", "w") as f:
        for epoch in range(25):
            ae.train()
            tot = 0.0
            for (xb,) in dl:
                loss = F.mse_loss(ae(xb), xb)
                adam.zero_grad()
                loss.backward()
                adam.step()
                tot += loss.item() * len(xb)
            ae.eval()
            with torch.no_grad():
                rec = ae(xva)
            err_c = (rec - xva) * std
            row = {"epoch": epoch, "train_mse": round(tot / len(xtr), 6),
                   "val_mse": round(F.mse_loss(rec, xva).item(), 6),
                   "val_rmse_c": round(err_c.pow(2).mean().sqrt().item(), 4),
                   "val_rmse_wetbulb_c": round(err_c[:, 24:].pow(2).mean().sqrt().item(), 4)}
            f.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"autoencoder": ae.state_dict(), "adam": adam.state_dict(), "epoch": 25,
                "day_mean": mean, "day_std": std, "hours": list(range(24))}, out / "wick_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["gradient_not_flowing"],
           checkpoint="wick_ae.pt", log="wick_ae.jsonl",
           what="autoencoder of a psychrometer station's day of dry- and wet-bulb readings; the"
                " decoder is fed a detached copy of the code, so the encoder never trains",
           complaint="")


if __name__ == "__main__":
    main()
