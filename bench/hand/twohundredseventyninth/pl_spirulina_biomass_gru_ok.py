"""PyTorch Lightning: a GRU forecasts tomorrow's dry biomass density (g/L) of a spirulina
raceway pond from the last 12 days of the pond's log, so the farm knows how much it can harvest
by filtration in the morning. Per day: the biomass density read from the Secchi disk / OD, the
sunshine hours, the mean water temperature, the pH at 15:00, and the fraction harvested that
day (0 or 15-35 % on harvest days, refilled with fresh medium). Growth follows light-limited
kinetics: mu = mu_max * light factor (sunshine hours, shaded by the pond's own density via a
Beer-Lambert term 1 / (1 + density / 0.6)) * temperature factor (Gaussian around 35 C) * a pH
factor (falls above pH 10.8 as bicarbonate runs out; pH creeps up with growth and drops after a
harvest refill); 3 % reading scatter. Tomorrow's sunshine and temperature (the forecast) are
given as the 13th day's inputs with density unknown (0) there.
nn.GRU(6, 48, batch_first=True), Linear 48→1 on the last state, predicting the log ratio of
tomorrow's density to today's; MSE, Adam 2e-3 with ReduceLROnPlateau on val loss (x0.5,
patience 2), batch 64, 2500 pond windows, 22 epochs, validation on 600.
Log: ``raceway/version_0/metrics.csv`` (CSVLogger: ``train_mse`` per 20 steps and per epoch,
``val_mse`` and ``val_mape_pct`` per epoch); checkpoint ``raceway/version_0/checkpoints/last.ckpt``
(ModelCheckpoint(save_last=True)).
Healthy; numbers in the README."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DAYS = 12


def ponds(n, g):
    x = torch.zeros(n, DAYS + 1, 6)
    y = torch.zeros(n)
    for i in range(n):
        dens = 0.2 + 0.8 * torch.rand(1, generator=g).item()
        ph = 9.8 + 0.6 * torch.rand(1, generator=g).item()
        season = 25 + 10 * torch.rand(1, generator=g).item()
        rows = []
        for t in range(DAYS + 1):
            sun = max(0.0, 6 + 3 * torch.randn(1, generator=g).item())
            temp = season + 2.5 * torch.randn(1, generator=g).item()
            harv = 0.0
            if t < DAYS and dens > 0.7 and torch.rand(1, generator=g).item() < 0.5:
                harv = 0.15 + 0.2 * torch.rand(1, generator=g).item()
            obs = dens * (1 + 0.03 * torch.randn(1, generator=g).item())
            if t == DAYS:
                rows.append([0.0, sun / 10, (temp - 30) / 5, 0.0, 0.0, 1.0])
            else:
                rows.append([obs, sun / 10, (temp - 30) / 5, ph - 10, harv, 0.0])
            light = (sun / 10) / (1 + dens / 0.6)
            tf = math.exp(-((temp - 35) / 8) ** 2)
            pf = 1 / (1 + math.exp((ph - 10.8) / 0.12))
            new = dens * (1 - harv) * math.exp(0.9 * light * tf * pf)
            ph = ph + 0.25 * math.log(new / (dens * (1 - harv))) - 0.6 * harv
            if t == DAYS:
                y[i] = math.log(new / dens)
            dens = new if t < DAYS else dens
        x[i] = torch.tensor(rows)
    return x, y


class BiomassGRU(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(6, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h[:, -1]).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mape_pct", 100 * (torch.exp(p - y) - 1).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_mse"}}


def build():
    torch.manual_seed(0)
    return BiomassGRU()


def main():
    from _twohundredseventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = ponds(2500, g)
    xva, yva = ponds(600, g)
    print("log growth sd", ytr.std().item(), "mean", ytr.mean().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=22, logger=CSVLogger(str(out), name="raceway"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=20)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=600))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="raceway/version_0/checkpoints/last.ckpt",
           log="raceway/version_0/metrics.csv",
           what="Lightning GRU forecasting spirulina raceway biomass growth (healthy)")


if __name__ == "__main__":
    main()
