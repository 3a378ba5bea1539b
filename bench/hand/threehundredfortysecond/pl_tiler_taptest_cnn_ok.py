"""PyTorch Lightning: a 1-D CNN with batch norm hears what is under a laid floor tile from the
tap of a tiler's sounding hammer, picked up by a contact microphone (8 kHz, 128 samples,
16 ms), so a survey of a finished floor can mark tiles to lift: bonded (short bright click,
2.6-3.4 kHz, decay 1-2.5 ms), hollow (a drum note 0.7-1.2 kHz ringing 5-9 ms over a void in
the adhesive bed), cracked (two close modes 1.8-2.4 kHz beating, with a buzz where the
halves touch), edge-lifted (1.3-1.8 kHz, 3-5 ms, and a late rattle of the loose edge). Hammer
strength varies the level (0.5-1.5), the strike lands 0-10 samples into the window, and
there is room noise.
Input: (1, 128) microphone signal. Model: Conv1d 1→16 (k7) + BN + ReLU + MaxPool2, Conv1d
16→32 (k5) + BN + ReLU + MaxPool2, Conv1d 32→32 (k3) + BN + ReLU, global average pool,
Linear 32→4; cross-entropy, Adam 2e-3 with CosineAnnealingLR over 8 epochs from
``configure_optimizers``, batch 48, 8 epochs, 1056 taps, validation on 264.
Healthy; numbers in the README.
Log: CSVLogger ``taps/version_0/metrics.csv`` (``xent_step`` every 5 steps, ``xent_epoch`` /
``val_xent`` / ``val_accuracy`` / ``val_hollow_recall`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``taps/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS = 8000.0
N = 128
CLASSES = ["bonded", "hollow", "cracked", "edge_lifted"]


def taps(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    lo = torch.tensor([2600.0, 700.0, 1800.0, 1300.0])[cls]
    hi = torch.tensor([3400.0, 1200.0, 2400.0, 1800.0])[cls]
    f = (lo + (hi - lo) * r(n)).unsqueeze(1)
    tlo = torch.tensor([1.0, 5.0, 2.0, 3.0])[cls]
    thi = torch.tensor([2.5, 9.0, 4.0, 5.0])[cls]
    tau = ((tlo + (thi - tlo) * r(n)) / 1000).unsqueeze(1)
    shift = (10 * r(n, 1)).floor()
    t = ((torch.arange(N).float().unsqueeze(0) - shift) / FS).clamp(min=0)
    on = (torch.arange(N).float().unsqueeze(0) >= shift).float()
    ph = 2 * math.pi * r(n, 1)
    env = torch.exp(-t / tau) * on
    x = env * torch.sin(2 * math.pi * f * t + ph)
    crk, edge = (cls == 2).float().unsqueeze(1), (cls == 3).float().unsqueeze(1)
    beat = 60 + 80 * r(n, 1)  # second mode of a cracked tile, Hz apart
    x = x + crk * env * torch.sin(2 * math.pi * (f + beat) * t)
    x = x + crk * 0.25 * env * torch.sign(torch.sin(2 * math.pi * 400 * t)) * (r(n, N) - 0.5)
    late = ((t - 0.006).clamp(min=0) > 0).float()
    x = x + edge * 0.35 * late * torch.exp(-(t - 0.006).clamp(min=0) / 0.002) \
        * torch.sin(2 * math.pi * 500 * t)
    level = 0.5 + r(n, 1)
    return (level * x + 0.03 * torch.randn(n, N, generator=g)).unsqueeze(1), cls


class TapNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.features(x))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("xent", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_xent", F.cross_entropy(logits, y))
        self.log("val_accuracy", (pred == y).float().mean())
        self.log("val_hollow_recall", (pred[y == 1] == 1).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8)}


def build():
    torch.manual_seed(0)
    return TapNet()


def main():
    from _threehundredfortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = taps(1056, g)
    xva, yva = taps(264, g)
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=8, logger=CSVLogger(str(out), name="taps"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=264))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="taps/version_0/checkpoints/last.ckpt",
           log="taps/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm naming bonded / hollow / cracked / edge-lifted"
                " floor tiles from the sound of a tap (healthy)")


if __name__ == "__main__":
    main()
