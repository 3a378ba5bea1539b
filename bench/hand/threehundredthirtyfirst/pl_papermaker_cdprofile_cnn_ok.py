"""PyTorch Lightning: a 1-D CNN with batch norm reads a paper machine's cross-direction scan
(the scanner's basis weight and moisture profile across the reel, 96 positions over the 4.8 m
sheet) and flags which of three profile faults it shows, so a papermaker can tell the headbox
and dryer crews apart: a streak (a narrow 2-4 % dip in basis weight, 2-4 positions wide, from
a plugged shower or a nick in the slice lip), a wave (a periodic 1.5-3 % variation every 10-24
positions, slice-lip actuators hunting) and wet edges (moisture rising 1-3 points over the
outer 6-12 positions on both sides, from a worn edge of the dryer felt). Each fault is present
on its own with probability 0.35 (multi-label); every scan also has the slow bow of the sheet,
scanner noise and a moisture offset from the dryer steam.
Input: (2, 96): basis weight in % off 80 g/m² and moisture in points off 7 %. Model: Conv1d
2→16 (k7) + BN + ReLU + MaxPool2, Conv1d 16→32 (k5) + BN + ReLU, global max pool, Linear 32→3;
BCE with logits, AdamW 3e-3 (weight decay 1e-4) with CosineAnnealingLR over 8 epochs from
``configure_optimizers``, batch 48, 8 epochs of 1440 scans, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``cdscan/version_0/metrics.csv`` (``bce_step`` every 5 steps, ``bce_epoch`` /
``val_bce`` / ``val_exact`` / ``val_f1_streak`` / ``val_f1_wave`` / ``val_f1_wet_edge`` per
epoch); checkpoint ``ModelCheckpoint(save_last=True)`` → ``cdscan/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

N = 96
FAULTS = ["streak", "wave", "wet_edge"]


def scans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pos = torch.arange(N).float()
    y = (r(n, 3) < 0.35).float()
    bow = 0.8 * (r(n, 1) - 0.5) * ((pos - 47.5) / 47.5) ** 2
    bw = bow + 0.35 * torch.randn(n, N, generator=g)
    c, w = 8 + 80 * r(n, 1), 1 + 1 * r(n, 1)
    bw = bw - y[:, :1] * (2 + 2 * r(n, 1)) * torch.exp(-((pos - c) / w) ** 2)
    period = 10 + 14 * r(n, 1)
    bw = bw + y[:, 1:2] * (1.5 + 1.5 * r(n, 1)) * torch.sin(2 * math.pi * pos / period + 6.3 * r(n, 1))
    width = 6 + 6 * r(n, 1)
    edge = torch.exp(-pos / width) + torch.exp(-(N - 1 - pos) / width)
    moist = 0.6 * (r(n, 1) - 0.5) + 0.15 * torch.randn(n, N, generator=g)
    moist = moist + y[:, 2:3] * (1 + 2 * r(n, 1)) * edge
    return torch.stack([bw, moist], 1), y


class CDScanCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(2, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
                                 nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2),
                                 nn.BatchNorm1d(32), nn.ReLU(), nn.AdaptiveMaxPool1d(1),
                                 nn.Flatten(), nn.Linear(32, 3))

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
        self.log("val_exact", (pred == y).all(1).float().mean())
        for k, name in enumerate(FAULTS):
            tp = (pred[:, k] * y[:, k]).sum()
            f1 = 2 * tp / (pred[:, k].sum() + y[:, k].sum()).clamp(min=1)
            self.log(f"val_f1_{name}", f1)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)]


def build():
    torch.manual_seed(0)
    return CDScanCNN()


def main():
    from _threehundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scans(1440, g)
    xva, yva = scans(360, g)
    print("fault rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="cdscan"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="cdscan/version_0/checkpoints/last.ckpt",
           log="cdscan/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm flagging streaks, waves and wet edges in a paper"
                " machine's cross-direction basis weight / moisture scan, multi-label (healthy)")


if __name__ == "__main__":
    main()
