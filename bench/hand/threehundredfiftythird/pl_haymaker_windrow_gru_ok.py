"""PyTorch Lightning: a GRU follows the moisture of a field of mown grass hour by hour as it
dries in the swath, so a haymaker knows when the crop will be safe to bale (below about 20 %
moisture) from the farm's weather station. 48 hours from mowing at 6 am; per hour: solar
radiation (W/m², a clear or cloudy day curve), air temperature, relative humidity, wind
speed, rain (mm, the odd shower), and two per-field numbers broadcast on every hour: swath
density (kg DM/m², 0.2-0.8) and whether the swath was tedded. Drying follows the usual
exponential law on the dry-basis moisture ratio: the rate grows with radiation, vapour
pressure deficit and wind and falls with swath density (tedding speeds it up by half);
at night the crop takes dew back towards an equilibrium set by the humidity, and rain wets
it in proportion to the mm that fell. Start 72-82 % moisture (wet basis).
Input: (48, 7) standardised per channel. Target per hour: (moisture % - 45) / 20. Model:
GRU 7→40, one layer, Linear 40→1 on every hour; MSE, Adam 5e-3 with ExponentialLR(0.88)
from ``configure_optimizers``, batch 48, 16 epochs, 720 fields, validation on 180.
Healthy; numbers in the README.
Log: CSVLogger ``swathlog/version_0/metrics.csv`` (``mse_step`` every 5 steps, ``mse_epoch``,
``val_mse``, ``val_mae_pct``, ``val_mae_pct_night`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``swathlog/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

H = 48
NIGHT = ((6 + torch.arange(H)) % 24 >= 20) | ((6 + torch.arange(H)) % 24 <= 6)  # sun down


def fields(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hour = (6 + torch.arange(H).float()) % 24
    sun = torch.clamp(torch.sin(math.pi * (hour - 6) / 14), min=0)
    cloud = 0.3 + 0.7 * r(n, 2).repeat_interleave(24, 1)  # one cloud cover per day
    rad = 850 * sun * cloud * (0.9 + 0.2 * r(n, H))
    temp = 12 + 10 * r(n, 1) + 8 * sun * cloud + 0.8 * torch.randn(n, H, generator=g)
    rh = (90 - 45 * sun * cloud - 1.2 * (temp - 15)).clamp(25, 100)
    wind = (1 + 5 * r(n, 1)) * (0.6 + 0.8 * r(n, H))
    rain = torch.where(r(n, H) < 0.025, 1 + 5 * r(n, H), torch.zeros(n, H))
    dens = 0.2 + 0.6 * r(n, 1)
    ted = (r(n, 1) < 0.5).float()
    es = 0.611 * torch.exp(17.27 * temp / (temp + 237.3))
    vpd = es * (1 - rh / 100)
    k = (0.0006 * rad + 0.08 * vpd + 0.012 * wind) / (0.4 + dens) * (1 + 0.5 * ted) * 0.12
    me = 0.08 + 0.25 * (rh / 100) ** 3  # equilibrium dry-basis moisture
    m0 = 0.72 + 0.10 * r(n)
    m = m0 / (1 - m0)  # dry basis
    out = []
    for t in range(H):
        m = me[:, t] + (m - me[:, t]) * torch.exp(-k[:, t] - 0.015)
        m = m + 0.12 * rain[:, t] / (0.4 + dens[:, 0])
        out.append(100 * m / (1 + m))
    moist = torch.stack(out, 1) + 0.5 * torch.randn(n, H, generator=g)
    x = torch.stack([rad, temp, rh, wind, rain, dens.expand(n, H), ted.expand(n, H)], 2)
    return x, moist


class SwathGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(7, 40, batch_first=True)
        self.head = nn.Linear(40, 1)

    def forward(self, x):
        return self.head(self.gru(x)[0]).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        err = (p - y).abs() * 20
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_pct", err.mean())
        self.log("val_mae_pct_night", err[:, NIGHT].mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=5e-3)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.88)]


def build():
    torch.manual_seed(0)
    return SwathGRU()


def main():
    from _threehundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, mtr = fields(720, g)
    rva, mva = fields(180, g)
    mean, std = rtr.mean((0, 1)), rtr.std((0, 1))
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    ytr, yva = (mtr - 45) / 20, (mva - 45) / 20
    print("moisture at 24 h / 48 h", mtr[:, 23].mean().item(), mtr[:, -1].mean().item(),
          "target var", ytr.var().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=16, logger=CSVLogger(str(out), name="swathlog"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=180))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="swathlog/version_0/checkpoints/last.ckpt",
           log="swathlog/version_0/metrics.csv",
           what="Lightning GRU following hay moisture in the swath hour by hour from the"
                " weather station (healthy)")


if __name__ == "__main__":
    main()
