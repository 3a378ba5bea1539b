"""PyTorch Lightning: an LSTM reads a navigator's astrolabe log, 24 sun-altitude sightings taken
every 20 minutes through one day (degrees, read off the limb scale with ±0.7° sighting error,
a few sightings lost to cloud and written as 0), with the day's solar declination from the almanac as a third channel, and
estimates the observer's latitude. The
altitude follows sin(alt) = sin(lat)·sin(dec) + cos(lat)·cos(dec)·cos(hour angle), with the
sun's declination (day of year) and the first sighting's time random; the target is the
latitude in degrees, standardised (mean 30°, sd 15°). LSTM(3 → 48), the last hidden state to
Linear(48 → 1); MSE; Adam 3e-3, batch 32, 8 epochs of 1024 logs, 256 validation logs.
``CSVLogger`` → ``metrics.csv`` (train loss every 8 steps, val loss and val MAE in degrees per
epoch), ``ModelCheckpoint(save_last=True)``.
Healthy, though it looks slow: val loss 0.590 after epoch 1, 0.342, 0.292, 0.343 (a bump at
epoch 4), 0.286, 0.251, 0.280, 0.267 at epoch 8; val MAE 9.3° → 5.3–5.8° over epochs 5–8,
5.6° at 8 (always predicting the mean latitude would be 12.5° off); the per-step train loss is noisy (the cloud-lost sightings written as 0 and
the ±0.7° sighting error put a floor under it)."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

T = 24


def sightings(n, g):
    lat = 5 + 50 * torch.rand(n, generator=g)
    dec = 23.44 * torch.sin(2 * math.pi * torch.rand(n, generator=g))
    t0 = 6 + 2 * torch.rand(n, generator=g)
    hours = t0[:, None] + torch.arange(T).float()[None] / 3
    ha = torch.deg2rad((hours - 12) * 15)
    la, de = torch.deg2rad(lat)[:, None], torch.deg2rad(dec)[:, None]
    alt = torch.rad2deg(torch.asin(torch.sin(la) * torch.sin(de)
                                   + torch.cos(la) * torch.cos(de) * torch.cos(ha)))
    alt = alt + 0.7 * torch.randn(alt.shape, generator=g)
    cloud = torch.rand(alt.shape, generator=g) < 0.08
    alt = torch.where(cloud, torch.zeros_like(alt), alt)
    x = torch.stack([alt / 45, (hours - 12) / 6, (dec / 23.44)[:, None].expand(n, T)], 2)
    return x, ((lat - 30) / 15)[:, None]


class SunLog(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.lstm = nn.LSTM(3, 48, batch_first=True)
        self.head = nn.Linear(48, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        pred = self(x)
        self.log("val_loss", F.mse_loss(pred, y))
        self.log("val_mae_deg", 15 * (pred - y).abs().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return SunLog()


def main():
    from _twohundredfifteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = sightings(1280, g)
    ds = torch.utils.data.TensorDataset
    L.seed_everything(0)
    train = torch.utils.data.DataLoader(ds(x[:1024], y[:1024]), batch_size=32, shuffle=True)
    val = torch.utils.data.DataLoader(ds(x[1024:], y[1024:]), batch_size=256)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="sunlog"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        accelerator="cpu", enable_progress_bar=False, log_every_n_steps=8,
                        enable_model_summary=False)
    trainer.fit(build(), train, val)
    print(trainer.callback_metrics)
    finish(out, __file__, (x[1024:1088], y[1024:1088]), causes=[],
           checkpoint="sunlog/version_0/checkpoints/last.ckpt",
           log="sunlog/version_0/metrics.csv",
           what="Lightning LSTM estimating latitude from a day of astrolabe sun sightings (healthy)")


if __name__ == "__main__":
    main()
