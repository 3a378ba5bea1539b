"""PyTorch Lightning: a 1-D CNN without batch norm listens to a tap test on a soldered tin
can seam (a small hammer taps the can, a contact microphone records 0.1 s at 1.28 kHz,
128 samples) and flags three faults a whitesmith checks for, each on its own (multi-label):
a cold joint (the seam damps the ring: decay time 8-14 ms instead of 25-45 ms), a loose
lap (a rattle: bursts at 300-360 Hz on every other period) and a dented wall (the ring
frequency drops from 210-250 Hz to 150-180 Hz). Each fault is present in about a third of
the cans, independently; ± 0.05 microphone noise, tap strength 0.7-1.3.
Input: (1, 128). Model: Conv1d 1→16 (k9) + ReLU + MaxPool2, 16→32 (k7) + ReLU + MaxPool2,
32→32 (k5) + ReLU, global max pool and global average pool concatenated, Linear 64→3; BCE
with logits, AdamW 2e-3 (weight decay 1e-3) with CosineAnnealingLR over 12 epochs from
``configure_optimizers``, batch 24, 12 epochs, 1440 cans, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``taptest/version_0/metrics.csv`` (``bce_step`` every 10 steps, ``bce_epoch`` /
``val_bce`` / ``val_exact`` / ``val_f1_cold`` / ``val_f1_loose`` / ``val_f1_dent`` per
epoch); checkpoint ``ModelCheckpoint(save_last=True)`` → ``taptest/version_0/checkpoints/
last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS = 1280.0
N = 128
FAULTS = ["cold", "loose", "dent"]


def taps(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = (r(n, 3) < 0.33).float()
    cold, loose, dent = y[:, :1], y[:, 1:2], y[:, 2:]
    t = torch.arange(N).float() / FS
    f = (1 - dent) * (210 + 40 * r(n, 1)) + dent * (150 + 30 * r(n, 1))
    tau = (1 - cold) * (0.025 + 0.02 * r(n, 1)) + cold * (0.008 + 0.006 * r(n, 1))
    amp = 0.7 + 0.6 * r(n, 1)
    x = amp * torch.exp(-t / tau) * torch.sin(2 * math.pi * f * t + 0.3 * r(n, 1))
    fr = 300 + 60 * r(n, 1)
    gate = (torch.sin(2 * math.pi * f * t / 2) > 0.6).float()
    x = x + loose * 0.35 * amp * gate * torch.sin(2 * math.pi * fr * t) * torch.exp(-t / 0.05)
    return (x + 0.05 * torch.randn(n, N, generator=g)).unsqueeze(1), y


def f1(pred, y):
    tp = (pred * y).sum()
    return 2 * tp / (pred.sum() + y.sum()).clamp_min(1)


class SeamCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(1, 16, 9, padding=4), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(16, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(32, 32, 5, padding=2), nn.ReLU())
        self.head = nn.Linear(64, 3)

    def forward(self, x):
        h = self.features(x)
        return self.head(torch.cat([h.amax(-1), h.mean(-1)], 1))

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
        for j, name in enumerate(FAULTS):
            self.log(f"val_f1_{name}", f1(pred[:, j], y[:, j]))

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=1e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)]


def build():
    torch.manual_seed(0)
    return SeamCNN()


def main():
    from _threehundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = taps(1440, g)
    xva, yva = taps(360, g)
    print("fault rates", ytr.mean(0).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=12, logger=CSVLogger(str(out), name="taptest"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=10)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=24, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="taptest/version_0/checkpoints/last.ckpt",
           log="taptest/version_0/metrics.csv",
           what="Lightning 1-D CNN without batch norm flagging cold joint / loose lap / dent"
                " (multi-label) from a tap test on a soldered tin can seam (healthy)")


if __name__ == "__main__":
    main()
