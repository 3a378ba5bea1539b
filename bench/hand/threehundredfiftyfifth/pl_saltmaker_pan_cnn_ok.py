"""PyTorch Lightning: a 1-D CNN with batch norm reads two days of a sea-salt works'
evaporation pan (48 hourly readings: brine density in degrees Baume from the float
hydrometer, air temperature, relative humidity, wind speed) and says which crystallisation
bands the brine passed through in that window, so the saltmaker knows when to rake and when
to let fresh brine in: gypsum (calcium sulphate drops out, 15-25.7 Be), halite (common
salt, the harvest, 25.7-28.5 Be) and bittern (magnesium salts that spoil the salt, above
28.5 Be). Multi-label: a window can touch one, two or three bands. Evaporation follows the
weather: zero at night, in the day rising with temperature, dryness of the air and wind; a
shower now and then dilutes the pan by 1-3 Be. Labels from the true density; the hydrometer
reads it with 0.3 Be noise.
Input: (4, 48) (Be / 10, temperature / 20, humidity, wind / 5). Model: Conv1d 4→16 (k5) +
BN + ReLU, Conv1d 16→32 (k5) + BN + ReLU + MaxPool2, Conv1d 32→32 (k3) + BN + ReLU, average
and max pool concatenated, Linear 64→3 (one logit per band); BCE with logits, AdamW 3e-3
with CosineAnnealingLR (12 epochs) from ``configure_optimizers``, batch 48, 12 epochs, 1440
windows, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``panlog/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch`` /
``val_bce`` / ``val_exact`` / ``val_acc_halite`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``panlog/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

H = 48
BANDS = torch.tensor([15.0, 25.7, 28.5])


def pans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hour = (torch.arange(H).float() + 24 * r(n, 1)) % 24
    sun = torch.clamp(torch.sin(math.pi * (hour - 6) / 14), min=0) * (hour > 6) * (hour < 20)
    temp = 14 + 14 * r(n, 1) + 8 * sun + 0.5 * torch.randn(n, H, generator=g)
    rh = (0.45 + 0.4 * r(n, 1) - 0.2 * sun + 0.04 * torch.randn(n, H, generator=g)).clamp(0.15, 1)
    wind = (1 + 6 * r(n, 1)) * (0.6 + 0.8 * r(n, H))
    evap = 0.045 * sun * (temp / 20) * (1 - rh) * (1 + 0.25 * wind)
    shower = (r(n, H) < 0.006).float() * (1 + 2 * r(n, H))
    start = 10 + 19 * r(n, 1)
    be = (start + torch.cumsum(evap * (1 + start / 10) - shower, 1)).clamp(3, 31)
    touched = torch.stack([((be >= lo) & (be < hi)).any(1) for lo, hi in
                           [(15.0, 25.7), (25.7, 28.5), (28.5, 99.0)]], 1).float()
    obs = be + 0.3 * torch.randn(n, H, generator=g)
    x = torch.stack([obs / 10, temp / 20, rh, wind / 5], 1)
    return x, touched


class PanCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv1d(4, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
                                  nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
                                  nn.MaxPool1d(2), nn.Conv1d(32, 32, 3, padding=1),
                                  nn.BatchNorm1d(32), nn.ReLU())
        self.head = nn.Linear(64, 3)

    def forward(self, x):
        z = self.body(x)
        return self.head(torch.cat([z.mean(2), z.amax(2)], 1))

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
        self.log("val_exact", (pred == y).all(1).float().mean())
        self.log("val_acc_halite", (pred[:, 1] == y[:, 1]).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return PanCNN()


def main():
    from _threehundredfiftyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pans(1440, g)
    xva, yva = pans(360, g)
    print("band shares", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="panlog"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="panlog/version_0/checkpoints/last.ckpt",
           log="panlog/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm flagging which crystallisation bands"
                " (gypsum / halite / bittern) a salt pan's brine passed through (healthy)")


if __name__ == "__main__":
    main()
