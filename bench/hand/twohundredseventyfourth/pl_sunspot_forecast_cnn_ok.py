"""PyTorch Lightning: a 1-D CNN (no BatchNorm) forecasts the monthly mean sunspot number for the
next 12 months from the last 72 months. Records are synthetic solar cycles laid end to end:
each cycle 9.5-12.5 years long, its shape the Hathaway curve a * t^3 / (exp(t^2 / b^2) - 0.71)
with b set by the amplitude (the Waldmeier effect: strong cycles rise faster), amplitudes 60-260,
consecutive cycles overlapping by a year at minimum; monthly values get Poisson-like scatter (sd
0.6 * sqrt(R)), clipped at 0. Windows cut at random
months from 40 independent records of 8 cycles; the series is divided by 100 inside the module.
Conv1d 1→24 k7-ReLU, 24→32 k5 stride 2-ReLU, 32→32 k5 stride 2-ReLU, flatten, linear →64-ReLU
→12; smooth-L1 (beta 0.1) on the 12 months, AdamW 2e-3 weight decay 1e-4 with
ReduceLROnPlateau(factor 0.5, patience 2) on ``val_mae`` from ``configure_optimizers``, batch
64, 16 epochs of 3200 windows, validation on 800 windows from 10 other records (val loss, val MAE
in sunspot numbers, val MAE of the 12th month).
Log: ``cycle/version_0/metrics.csv`` (CSVLogger); checkpoint
``cycle/version_0/checkpoints/last.ckpt``.
Healthy; numbers in the README."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

PAST, AHEAD = 72, 12


def record(g, cycles=8):
    months = []
    for _ in range(cycles):
        length = int(12 * (9.5 + 3 * torch.rand(1, generator=g).item()))
        amp = 60 + 200 * torch.rand(1, generator=g).item()
        b = 42 - 0.05 * amp
        t = torch.arange(length + 12).float()
        curve = t ** 3 / (torch.exp(t ** 2 / b ** 2) - 0.71)
        months.append((amp * curve / curve.max(), length))
    total = sum(m[1] for m in months) + 12
    series = torch.zeros(total)
    pos = 0
    for curve, length in months:
        series[pos:pos + len(curve)] += curve
        pos += length
    noise = 0.6 * torch.randn(total, generator=g) * series.clamp(min=1).sqrt()
    return (series + noise).clamp(min=0)


def windows(n_records, per_record, g):
    xs, ys = [], []
    for _ in range(n_records):
        s = record(g)
        starts = torch.randint(0, len(s) - PAST - AHEAD, (per_record,), generator=g)
        for st in starts.tolist():
            xs.append(s[st:st + PAST])
            ys.append(s[st + PAST:st + PAST + AHEAD])
    return torch.stack(xs), torch.stack(ys)


class CycleCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 24, 7, padding=3), nn.ReLU(),
                                  nn.Conv1d(24, 32, 5, stride=2, padding=2), nn.ReLU(),
                                  nn.Conv1d(32, 32, 5, stride=2, padding=2), nn.ReLU(), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32 * math.ceil(PAST / 4), 64), nn.ReLU(),
                                  nn.Linear(64, AHEAD))

    def forward(self, x):
        return self.head(self.conv(x.unsqueeze(1) / 100)) * 100

    def training_step(self, batch, _):
        x, y = batch
        loss = F.smooth_l1_loss(self(x) / 100, y / 100, beta=0.1)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        p = self(x)
        self.log("val_loss", F.smooth_l1_loss(p / 100, y / 100, beta=0.1))
        self.log("val_mae", (p - y).abs().mean())
        self.log("val_mae_month12", (p[:, -1] - y[:, -1]).abs().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_mae"}}


def build():
    torch.manual_seed(0)
    return CycleCNN()


def main():
    from _twohundredseventyfourth import finish, out_dir
    out = out_dir(__file__)
    xtr, ytr = windows(40, 80, torch.Generator().manual_seed(0))
    xva, yva = windows(10, 80, torch.Generator().manual_seed(1))
    print("persistence MAE", (xva[:, -1:] - yva).abs().mean().item())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=16, logger=CSVLogger(str(out), name="cycle"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=400))
    print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="cycle/version_0/checkpoints/last.ckpt",
           log="cycle/version_0/metrics.csv",
           what="Lightning 1-D CNN forecasting 12 months of sunspot number (healthy)")


if __name__ == "__main__":
    main()
