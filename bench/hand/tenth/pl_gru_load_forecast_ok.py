"""Lightning: a one-step-ahead forecaster for an hourly electricity-load series (standardised;
a daily and a weekly cycle, a slow drift and noise): the last 48 hours -> the next hour, a
one-layer GRU of 32 -> Linear(32, 1), MSE, Adam 3e-3 with StepLR(step_size=5, gamma=0.1), batch
64, 8 epochs, ``CSVLogger`` + ``LearningRateMonitor`` + ``ModelCheckpoint(save_last)``.
Validation is the 600 hours after the training period. Looks odd but is fine: the validation
loss is below the epoch's training loss in every epoch (0.064 vs 0.067 at the end), and the
ten-fold lr cut at epoch 5 barely shows; val MSE 0.064 against a series variance of 1 (noise
floor about 0.026)."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

WINDOW = 48


def load_series(n, g):
    t = torch.arange(n, dtype=torch.float)
    s = (torch.sin(2 * math.pi * t / 24) + 0.5 * torch.sin(2 * math.pi * t / 24 * 2 + 1)
         + 0.6 * torch.sin(2 * math.pi * t / 168) + 0.3 * torch.sin(t / 900)
         + 0.15 * torch.randn(n, generator=g))
    return (s - s.mean()) / s.std()


def windows(s):
    x = s.unfold(0, WINDOW, 1)[:-1].unsqueeze(-1)  # (N, 48, 1)
    y = s[WINDOW:]  # (N,)
    return x, y


class GRUForecaster(L.LightningModule):
    def __init__(self, hidden=32, lr=3e-3):
        super().__init__()
        self.save_hyperparameters()
        self.gru = nn.GRU(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])  # (B, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self(x).squeeze(-1), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        pred = self(x).squeeze(-1)
        self.log("val_loss", F.mse_loss(pred, y))
        self.log("val_mae", (pred - y).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.1)}


def build():
    torch.manual_seed(0)
    return GRUForecaster()


def main():
    from _tenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    s = load_series(3000, g)
    x, y = windows(s[:2400])
    vx, vy = windows(s[2400 - WINDOW:])
    L.seed_everything(0, verbose=False)
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="load_gru"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0),
                                   LearningRateMonitor("epoch")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(build(), DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(vx, vy), batch_size=600))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (vx[:64], vy[:64]), causes=[],
           checkpoint="load_gru/version_0/checkpoints/last.ckpt",
           log="load_gru/version_0/metrics.csv",
           what="Lightning GRU forecaster, StepLR x0.1 at epoch 5")


if __name__ == "__main__":
    main()
