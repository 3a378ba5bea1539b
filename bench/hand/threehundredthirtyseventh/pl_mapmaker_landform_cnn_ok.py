"""PyTorch Lightning: a 2-D CNN with batch norm names the landform under a 16 × 16 cell patch
of a digital elevation model (30 m cells) for a mapmaker's relief layer, so the cartographer
can place ridge, valley and summit labels and leave hillsides bare: ridge (a crest line,
ground falling away on both sides), valley (a thalweg, ground rising on both sides), summit
(a rounded knoll) or hillside (one even slope). Each patch: the form at a random strike and
offset, relief 20-120 m, a regional tilt (up to 4 %), rolling ground of a few metres and a
0.5 m survey error; the patch mean is taken off and heights are in units of 50 m.
Input: (1, 16, 16). Model: Conv2d 1→12 (k3) + BN + ReLU + MaxPool2, Conv2d 12→24 (k3) + BN +
ReLU, global average pool, Linear 24→4; cross-entropy, AdamW 3e-3 (weight decay 1e-4) with
CosineAnnealingLR over 8 epochs from ``configure_optimizers``, batch 32, 1000 patches,
validation on 250.
Healthy; numbers in the README.
Log: CSVLogger ``relief/version_0/metrics.csv`` (``train_loss_step`` every 8 steps,
``train_loss_epoch`` / ``val_loss`` / ``val_acc`` / ``val_acc_summit`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``relief/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

S = 16
CELL = 30.0


def patches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    ax = (torch.arange(S).float() - (S - 1) / 2) * CELL
    yy, xx = torch.meshgrid(ax, ax, indexing="ij")
    th = (math.pi * r(n)).view(n, 1, 1)
    off = (120 * (r(n) - 0.5)).view(n, 1, 1)
    d = xx * torch.cos(th) + yy * torch.sin(th) - off  # distance across the strike, m
    relief = (20 + 100 * r(n)).view(n, 1, 1)
    w = (60 + 80 * r(n)).view(n, 1, 1)
    ridge = relief * torch.exp(-(d / w) ** 2)
    cx, cy = (90 * (r(n) - 0.5)).view(n, 1, 1), (90 * (r(n) - 0.5)).view(n, 1, 1)
    knoll = relief * torch.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (w * 1.3) ** 2)
    slope = relief * d / 240
    c = cls.view(n, 1, 1)
    z = torch.where(c == 0, ridge, torch.where(c == 1, -ridge, torch.where(c == 2, knoll, slope)))
    tilt = 0.04 * (r(n, 2) - 0.5)
    z = z + tilt[:, :1, None] * xx + tilt[:, 1:, None] * yy
    ph = 2 * math.pi * r(n, 1, 1)
    z = z + 3 * torch.sin(xx / 70 + ph) * torch.cos(yy / 90 - ph)
    z = z + 0.5 * torch.randn(n, S, S, generator=g)
    z = z - z.mean((1, 2), keepdim=True)
    return (z / 50).unsqueeze(1), cls


class LandformCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 12, 3, padding=1), nn.BatchNorm2d(12), nn.ReLU(),
                                  nn.MaxPool2d(2), nn.Conv2d(12, 24, 3, padding=1),
                                  nn.BatchNorm2d(24), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                  nn.Flatten())
        self.head = nn.Linear(24, 4)

    def forward(self, x):
        return self.head(self.body(x))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_summit", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)}


def build():
    torch.manual_seed(0)
    return LandformCNN()


def main():
    from _threehundredthirtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(1000, g)
    xva, yva = patches(250, g)
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="relief"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=250))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="relief/version_0/checkpoints/last.ckpt",
           log="relief/version_0/metrics.csv",
           what="Lightning 2-D CNN with batch norm naming ridge / valley / summit / hillside"
                " from a DEM patch for a mapmaker's relief layer (healthy)")


if __name__ == "__main__":
    main()
