"""PyTorch Lightning: an MLP tells the organ builder how an open flue pipe of a diapason rank
will come off the voicing machine: how many cents flat of the length-only pitch c / 2L it
speaks, and its loudness (dB, relative). Inputs: body length 150-2400 mm (log-uniform), scale
(diameter as a multiple of an L^0.8 line, 0.7-1.4), mouth width 0.20-0.28 of the
circumference, cut-up 0.20-0.38 of the mouth width, wind pressure 50-110 mm water gauge, toe
hole 3-15 mm. Physics: end corrections (0.6 r at the top, a mouth correction that grows with a
narrow mouth and a high cut-up) make the pipe flat, a harder-blown pipe speaks a little sharp
(the jet drives faster); loudness grows with jet power (languid pressure after the toe
throttles it, mouth width) and falls with cut-up. 3 cents and 0.5 dB of measurement scatter.
Inputs standardised; targets cents / 100 and dB / 10.
Linear 6→128-GELU-128-GELU-64-GELU→2, MSE, AdamW 2e-3 weight decay 1e-4 with StepLR ×0.5 every
8 epochs, batch 64, 24 epochs, 3000 pipes, validation on 600 (val MSE, val MAE in cents and in
dB).
Log: ``voicing/version_0/metrics.csv`` (CSVLogger, per epoch); checkpoint
``voicing/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset


def pipes(n, g):
    u = torch.rand(n, 6, generator=g)
    length = 150 * 16 ** u[:, 0]
    scale = 0.7 + 0.7 * u[:, 1]
    diam = scale * 0.35 * length ** 0.8
    mouth_r = 0.20 + 0.08 * u[:, 2]
    cut_r = 0.20 + 0.18 * u[:, 3]
    press = 50 + 60 * u[:, 4]
    toe = 3 + 12 * u[:, 5]
    mouth = mouth_r * math.pi * diam
    end = 0.3 * diam + diam * (0.25 + 1.2 * cut_r) / (4 * mouth_r)
    cents = -1200 * torch.log2((length + end) / length) + 0.15 * (press - 80)
    toe_area, flue_area = math.pi * toe ** 2 / 4, mouth * 0.7
    p_lang = press * toe_area ** 2 / (toe_area ** 2 + flue_area ** 2)
    db = 10 * torch.log10(p_lang ** 1.5 * mouth) - 8 * cut_r
    cents = cents + 3 * torch.randn(n, generator=g)
    db = db + 0.5 * torch.randn(n, generator=g)
    x = torch.stack([torch.log(length), scale, mouth_r, cut_r, press, toe], 1)
    return x, torch.stack([cents, db], 1)


class VoicingMLP(L.LightningModule):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.net = nn.Sequential(nn.Linear(6, 128), nn.GELU(), nn.Linear(128, 128), nn.GELU(),
                                 nn.Linear(128, 64), nn.GELU(), nn.Linear(64, 2))
        self.register_buffer("unit", torch.tensor([100.0, 10.0]))

    def forward(self, x):
        return self.net((x - self.mean) / self.std) * self.unit

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x) / self.unit, y / self.unit)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", F.mse_loss(p / self.unit, y / self.unit))
        self.log("val_mae_cents", (p[:, 0] - y[:, 0]).abs().mean())
        self.log("val_mae_db", (p[:, 1] - y[:, 1]).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-4)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)}


MEAN = torch.tensor([6.39, 1.05, 0.24, 0.29, 80.0, 9.0])
STD = torch.tensor([0.80, 0.20, 0.023, 0.052, 17.3, 3.46])


def build():
    torch.manual_seed(0)
    return VoicingMLP(MEAN, STD)


def main():
    from _twohundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pipes(3000, g)
    xva, yva = pipes(600, g)
    print("cents", ytr[:, 0].min().item(), ytr[:, 0].max().item(), "dB", ytr[:, 1].min().item(),
          ytr[:, 1].max().item(), "sd", ytr.std(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=24, logger=CSVLogger(str(out), name="voicing"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=600))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="voicing/version_0/checkpoints/last.ckpt",
           log="voicing/version_0/metrics.csv",
           what="Lightning MLP predicting a flue pipe's pitch offset and loudness from its"
                " dimensions and wind (healthy)")


if __name__ == "__main__":
    main()
