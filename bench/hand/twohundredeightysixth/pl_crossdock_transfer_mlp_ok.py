"""PyTorch Lightning: an MLP gives the transfer time of an inbound trailer load through a
cross-docking hub (hours from the trailer at the inbound door to the last handling unit staged
at its outbound door), so the shift lead can promise outbound cut-offs. Inputs: handling units
on the load (20-200), share of mixed units that must be broken down and sorted by destination
(0-1), crew on the dock (2-10), inbound doors busy (0-12 of 12), arrival hour (as sin / cos).
Rule: units · (1 + 1.5 · mixed) / (22 · crew) hours of handling, stretched by 6 % per busy
door (congestion on the dock floor), plus up to 0.6 h at night (thin supervision, 02-05 h),
with 6 % scatter.
Linear 6→64-GELU-Dropout(0.15)-64→64-GELU-64→1 on standardised inputs (standardised inside the
module), MSE on hours, AdamW 2e-3 weight decay 1e-3, StepLR ×0.5 every 8 epochs, batch 64,
24 epochs, 2400 loads, validation on 500 (val MSE, MAE in minutes).
Log: ``hub/version_0/metrics.csv`` (CSVLogger, per epoch); checkpoint
``hub/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def loads(n, g):
    units = 20 + 180 * torch.rand(n, generator=g)
    mixed = torch.rand(n, generator=g)
    crew = (2 + 9 * torch.rand(n, generator=g)).floor()
    busy = (13 * torch.rand(n, generator=g)).floor()
    hour = 24 * torch.rand(n, generator=g)
    hours = units * (1 + 1.5 * mixed) / (22 * crew) * (1 + 0.06 * busy)
    hours = hours + 0.6 * torch.exp(-((hour - 3.5) / 1.5) ** 2)
    hours = hours * (1 + 0.06 * torch.randn(n, generator=g))
    x = torch.stack([units, mixed, crew, busy, torch.sin(2 * math.pi * hour / 24),
                     torch.cos(2 * math.pi * hour / 24)], 1)
    return x, hours.unsqueeze(1)


class TransferMLP(L.LightningModule):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.net = nn.Sequential(nn.Linear(6, 64), nn.GELU(), nn.Dropout(0.15), nn.Linear(64, 64),
                                 nn.GELU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.net((x - self.mean) / self.std)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_mse", F.mse_loss(p, y))
        self.log("val_mae_min", (p - y).abs().mean() * 60)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-3)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)]


MEAN = torch.tensor([110.0, 0.5, 6.0, 6.0, 0.0, 0.0])
STD = torch.tensor([52.0, 0.29, 2.6, 3.75, 0.71, 0.71])


def build():
    torch.manual_seed(0)
    return TransferMLP(MEAN, STD)


def main():
    from _twohundredeightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = loads(2400, g)
    xva, yva = loads(500, g)
    print("hours", ytr.min().item(), ytr.mean().item(), ytr.max().item(), xtr.mean(0), xtr.std(0))
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=24, logger=CSVLogger(str(out), name="hub"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=500))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="hub/version_0/checkpoints/last.ckpt",
           log="hub/version_0/metrics.csv",
           what="Lightning MLP giving a cross-docking hub's transfer time for an inbound load"
                " (healthy)")


if __name__ == "__main__":
    main()
