"""PyTorch Lightning: a 1-D CNN with batch norm sorts finished dress pins on a pinmaker's line
from an optical gauge that scans each pin lengthwise (64 points over 32 mm): good, blunt
point, headless (the heading blow missed) or bent. Two channels: the silhouette width (mm)
and the centreline offset seen from the side (mm). A good pin has a spun head 1.4-1.8 mm wide
over 2-3 points, a shank of the wire gauge (0.6-0.8 mm) and a point ground to a taper over
6-10 points; a blunt pin's taper is 2-3 points long and stops at 0.3-0.45 mm; a headless pin
keeps the shank width at the head end; a bent pin's centreline bows 0.25-0.8 mm in the middle.
Every pin lies a few points off the start of the scan, bows a little (under 0.1 mm), and the
gauge adds 0.02 mm of noise.
Input: (2, 64) in mm, the width channel less 0.7. Model: Conv1d 2→24 (k5) + BN + ReLU,
Conv1d 24→24 (k3) + BN + ReLU + MaxPool2, Conv1d 24→48 (k3) + BN + ReLU, global max pool,
Dropout 0.1, Linear 48→4; cross-entropy, AdamW 2e-3 (weight decay 1e-2) with
CosineAnnealingLR over 8 epochs from ``configure_optimizers``, batch 48, 8 epochs, 1440
pins, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``pinbench/version_0/metrics.csv`` (``train_loss`` every 5 steps, per epoch
``val_loss`` / ``val_acc`` / ``val_recall_blunt``, and ``lr``); checkpoint
``ModelCheckpoint(dirpath=gauge_ckpt, save_last=True)`` → ``gauge_ckpt/last.ckpt`` (and the
best by ``val_loss`` beside it)."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

P = 64
CLASSES = ["good", "blunt", "headless", "bent"]


def pins(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    pos = torch.arange(P).float().unsqueeze(0)
    start = torch.randint(0, 5, (n, 1), generator=g).float()
    wire = 0.6 + 0.2 * r(n, 1)
    head_w = 1.4 + 0.4 * r(n, 1)
    head_len = 2 + (r(n, 1) < 0.5).float()
    taper = 6 + 4 * r(n, 1)
    tip = 0.05 + 0.03 * r(n, 1)
    blunt = (cls == 1).unsqueeze(1)
    taper = torch.where(blunt, 2 + r(n, 1), taper)
    tip = torch.where(blunt, 0.3 + 0.15 * r(n, 1), tip)
    end = start + 56 + 2 * r(n, 1)
    width = wire.expand(n, P).clone()
    in_taper = (pos > end - taper) & (pos <= end)
    frac = ((end - pos) / taper).clamp(0, 1)
    width = torch.where(in_taper, tip + (wire - tip) * frac, width)
    width = torch.where(pos > end, torch.zeros_like(width), width)
    width = torch.where(pos < start, torch.zeros_like(width), width)
    headed = (cls != 2).unsqueeze(1)
    in_head = (pos >= start) & (pos < start + head_len) & headed
    width = torch.where(in_head, head_w.expand(n, P), width)
    bow = 0.1 * r(n, 1)
    bow = torch.where((cls == 3).unsqueeze(1), 0.25 + 0.55 * r(n, 1), bow)
    sgn = torch.where(r(n, 1) < 0.5, -1.0, 1.0)
    u = ((pos - start) / (end - start)).clamp(0, 1)
    centre = sgn * bow * torch.sin(math.pi * u) * (width > 0)
    x = torch.stack([width - 0.7, centre], 1)
    return x + 0.02 * torch.randn(n, 2, P, generator=g), cls


class GaugeCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(2, 24, 5, padding=2), nn.BatchNorm1d(24), nn.ReLU(),
            nn.Conv1d(24, 24, 3, padding=1), nn.BatchNorm1d(24), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(24, 48, 3, padding=1), nn.BatchNorm1d(48), nn.ReLU(),
            nn.AdaptiveMaxPool1d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Dropout(0.1), nn.Linear(48, 4))

    def forward(self, x):
        return self.head(self.features(x))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_recall_blunt", (pred[y == 1] == 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-2)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


def build():
    torch.manual_seed(0)
    return GaugeCNN()


def main():
    from _threehundredfiftysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pins(1440, g)
    xva, yva = pins(360, g)
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    ckpt = ModelCheckpoint(dirpath=str(out / "gauge_ckpt"), monitor="val_loss", save_top_k=1,
                           save_last=True, filename="best-{epoch}")
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="pinbench"),
                        callbacks=[ckpt, LearningRateMonitor("epoch")],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5, deterministic=True)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=120))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="gauge_ckpt/last.ckpt", log="pinbench/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm sorting dress pins (good / blunt / headless /"
                " bent) from an optical gauge scan (healthy)")


if __name__ == "__main__":
    main()
