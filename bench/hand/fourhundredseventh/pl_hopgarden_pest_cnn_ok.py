"""PyTorch Lightning: a 1-D CNN with batch norm reads the last 28 days of a hop garden's
weather station and flags, all at once, which of three threats the agronomist should scout
for this week (multi-label): downy mildew, powdery mildew, two-spotted spider mite. Daily
inputs: mean temperature, maximum temperature, mean relative humidity, rain and leaf-wetness
hours. The rules behind the labels (simplified from hop-growers' advisories): downy mildew
when at least 3 of the last 10 days had 6 h or more of leaf wetness at a mean temperature of
10-22 °C; powdery mildew when at least 4 of the last 14 days were 15-25 °C with humidity
over 60 % and less than 1 mm of rain; spider mites when at least 4 of the last 10 days
peaked above 28 °C with humidity under 60 %.
Input: (5, 28) standardised. Model: Conv1d 5→24 (k3) + BN + ReLU, Conv1d 24→32 (k3) + BN +
ReLU, Conv1d 32→32 (k3, dilation 2) + BN + ReLU, average pool to 4 weeks, Linear 32·4→3
(a logit per threat); BCE-with-logits, Adam 3e-3 with CosineAnnealingLR over the 16 epochs from
``configure_optimizers``, batch 48, 1440 windows, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``scout/version_0/metrics.csv`` (``bce_step`` every 10 steps, ``bce_epoch`` /
``val_bce`` / ``val_exact_match`` / ``val_f1_downy`` / ``val_f1_powdery`` / ``val_f1_mite``
per epoch); checkpoint ``ModelCheckpoint(save_last=True)`` →
``scout/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

DAYS = 28


def weather(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rn = lambda *s: torch.randn(*s, generator=g)  # noqa: E731
    d = torch.arange(DAYS).float()
    season = 10 + 14 * r(n, 1) + (r(n, 1) - 0.5) * 0.3 * d
    wave = 3 * torch.sin(2 * math.pi * d / (6 + 8 * r(n, 1)) + 6 * r(n, 1))
    tmean = season + wave + 1.5 * rn(n, DAYS)
    wetspell = torch.sin(2 * math.pi * d / (5 + 10 * r(n, 1)) + 6 * r(n, 1)) + 1.6 * r(n, 1) - 0.8
    rainy = (wetspell + 0.6 * rn(n, DAYS)) > 0.4
    rain = rainy.float() * (1 + 12 * r(n, DAYS))
    rh = (68 + 14 * wetspell - 1.0 * (tmean - 17) + 6 * rn(n, DAYS) + 8 * rainy.float()).clamp(30, 100)
    tmax = tmean + 5 + 4 * (1 - rainy.float()) * r(n, DAYS) + 0.15 * (100 - rh) * r(n, DAYS)
    wet = (rainy.float() * (4 + 8 * r(n, DAYS)) + ((rh - 80) / 3).clamp(min=0)
           + 1.5 * r(n, DAYS)).clamp(0, 24)
    downy = (((wet >= 6) & (tmean >= 10) & (tmean <= 22))[:, -10:].sum(1) >= 3)
    powdery = (((tmean >= 15) & (tmean <= 25) & (rh > 60) & (rain < 1))[:, -14:].sum(1) >= 4)
    mite = (((tmax > 28) & (rh < 60))[:, -10:].sum(1) >= 4)
    x = torch.stack([tmean, tmax, rh, rain, wet], 1)
    return x, torch.stack([downy, powdery, mite], 1).float()


class ScoutCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(5, 24, 3, padding=1), nn.BatchNorm1d(24), nn.ReLU(),
                                 nn.Conv1d(24, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
                                 nn.Conv1d(32, 32, 3, padding=2, dilation=2),
                                 nn.BatchNorm1d(32), nn.ReLU(), nn.AdaptiveAvgPool1d(4),
                                 nn.Flatten(), nn.Linear(32 * 4, 3))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.binary_cross_entropy_with_logits(self(x), y)
        self.log("bce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = (logits > 0).float()
        self.log("val_bce", F.binary_cross_entropy_with_logits(logits, y))
        self.log("val_exact_match", (pred == y).all(1).float().mean())
        for k, name in enumerate(["downy", "powdery", "mite"]):
            tp = (pred[:, k] * y[:, k]).sum()
            f1 = 2 * tp / (pred[:, k].sum() + y[:, k].sum()).clamp(min=1)
            self.log(f"val_f1_{name}", f1)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=16)]


def build():
    torch.manual_seed(0)
    return ScoutCNN()


def main():
    from _fourhundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = weather(1440, g)
    xva, yva = weather(360, g)
    mu, sd = xtr.mean((0, 2), keepdim=True), xtr.std((0, 2), keepdim=True)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("label rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=16, logger=CSVLogger(str(out), name="scout"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="scout/version_0/checkpoints/last.ckpt",
           log="scout/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm flagging downy mildew / powdery mildew /"
                " spider mite risk (multi-label) from a hop garden's weather window (healthy)")


if __name__ == "__main__":
    main()
