"""Lightning: next-hour load forecast from the last 24 hours. The features also hold a 3-hour
moving average computed on the whole series with ``center=True`` (pandas-style), so the
average at hour t already contains hour t+1: the target leaks into the inputs. The test set
uses the average as it is available live (trailing). CSVLogger + ModelCheckpoint."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

LAGS = 24


def load_series(hours, g):
    t = torch.arange(hours, dtype=torch.float32)
    daily = torch.sin(2 * math.pi * t / 24) + 0.4 * torch.sin(4 * math.pi * t / 24)
    weekly = 0.5 * torch.sin(2 * math.pi * t / 168)
    noise = torch.zeros(hours)
    for i in range(1, hours):  # AR(1) weather noise
        noise[i] = 0.8 * noise[i - 1] + 0.5 * torch.randn((), generator=g)
    return daily + weekly + noise


def windows(series, smooth):
    idx = torch.arange(LAGS, len(series) - 1)
    lags = torch.stack([series[i - LAGS + 1:i + 1] for i in idx])
    feats = torch.stack([smooth[i - LAGS + 1:i + 1] for i in idx])
    return torch.cat([lags, feats], 1), series[idx + 1]


class Forecaster(L.LightningModule):
    def __init__(self, lr=3e-3):
        super().__init__()
        self.lr = lr
        self.mlp = nn.Sequential(nn.Linear(2 * LAGS, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.mlp(x).squeeze(-1)

    def training_step(self, batch, batch_idx):
        loss = F.mse_loss(self(batch[0]), batch[1])
        self.log("train_mse", loss, on_epoch=True, on_step=False)
        return loss

    def validation_step(self, batch, batch_idx):
        self.log("val_mse", F.mse_loss(self(batch[0]), batch[1]))

    def test_step(self, batch, batch_idx):
        self.log("test_mse", F.mse_loss(self(batch[0]), batch[1]))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)


def build():
    torch.manual_seed(0)
    return Forecaster()


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    s = load_series(3000, g)
    centred = F.avg_pool1d(s[None, None], 3, stride=1, padding=1, count_include_pad=False)[0, 0]
    x, y = windows(s, centred)
    perm = torch.randperm(len(y), generator=g)
    tr, va = perm[:2200], perm[2200:]
    live = load_series(800, g)  # new hours, the average as known at forecast time: trailing
    trailing = torch.stack([live[max(0, i - 2):i + 1].mean() for i in range(len(live))])
    tx, ty = windows(live, trailing)
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=20, logger=CSVLogger(str(out), name="forecast"),
                        callbacks=[ModelCheckpoint(save_last=True)], log_every_n_steps=10,
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1)
    model = build()
    trainer.fit(model, DataLoader(TensorDataset(x[tr], y[tr]), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(x[va], y[va]), batch_size=400))
    trainer.test(model, DataLoader(TensorDataset(tx, ty), batch_size=400), verbose=False)
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (x[va][:128], y[va][:128]), causes=["task_trivial_or_leak"],
           checkpoint="forecast/version_0/checkpoints/last.ckpt",
           log="forecast/version_0/metrics.csv",
           what="centred moving average in the features: the next hour leaks into the inputs",
           complaint="validation error is almost zero but the live forecasts are far worse")


if __name__ == "__main__":
    main()
