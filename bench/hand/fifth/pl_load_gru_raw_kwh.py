"""Lightning: next-hour electricity load of a building from the last 48 hours, a GRU
forecaster with Adam 1e-3. The input windows are standardised with the training mean/std,
but the target is the raw load in kWh (mean ~3000, std ~700) (bug: target not scaled; the
output layer starts near 0 and Adam moves it ~1e-3 per step, so after 10 epochs the MSE is
still ~1e7). CSVLogger + ModelCheckpoint."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

W = 48


def load_series(hours, g):
    t = torch.arange(hours).float()
    daily = 600 * torch.sin(2 * math.pi * (t - 8) / 24)
    weekly = 300 * (((t // 24) % 7) < 5).float()
    noise = torch.cumsum(20 * torch.randn(hours, generator=g), 0)
    return 3000 + daily + weekly + noise - noise.mean()


def windows(series):
    x = series.unfold(0, W, 1)[:-1]
    return x.unsqueeze(-1), series[W:]


class LoadGRU(L.LightningModule):
    def __init__(self, hidden=32, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.gru = nn.GRU(1, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h[:, -1]).squeeze(-1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        pred = self(x)
        self.log("val_loss", F.mse_loss(pred, y))
        self.log("val_mae_kwh", (pred - y).abs().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def build():
    torch.manual_seed(0)
    return LoadGRU()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    series = load_series(24 * 120, g)
    x, y = windows(series[:24 * 100])
    vx, vy = windows(series[24 * 100:])
    mean, std = x.mean(), x.std()
    x, vx = (x - mean) / std, (vx - mean) / std  # y stays in kWh: BUG
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="load_gru"),
                        log_every_n_steps=10, callbacks=[ModelCheckpoint(save_last=True)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1)
    trainer.fit(build(), DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(vx, vy), batch_size=512))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:128], vy[:128]), causes=["input_not_normalized"],
           checkpoint="load_gru/version_0/checkpoints/last.ckpt",
           log="load_gru/version_0/metrics.csv",
           what="GRU forecaster: inputs standardised, target left in raw kWh",
           complaint="GRU 预测电力负荷，MSE 一直在一千万左右几乎不降")


if __name__ == "__main__":
    main()
