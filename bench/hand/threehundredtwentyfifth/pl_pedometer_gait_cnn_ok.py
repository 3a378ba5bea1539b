"""PyTorch Lightning: a 1-D CNN with batch norm names what the wearer of a hip-clipped
pedometer is doing from a 2.56 s window of its 3-axis accelerometer (25 Hz, 64 samples), so
the step count can skip cycling and weight stair climbs: walking, running, climbing stairs,
cycling. Gait: vertical bounce at the step frequency (walk 1.6-2.1 Hz, 0.25-0.45 g; run
2.5-3.0 Hz, 0.8-1.3 g; stairs 1.3-1.7 Hz, 0.4-0.6 g with a forward lurch at half the step
rate; cycling 1.1-1.5 Hz pedal rate, small vertical, lateral hip sway), a second harmonic,
random phase, a clip tilt that mixes the axes a little, and sensor noise.
Input: (3, 64) in g with gravity removed. Model: Conv1d 3→16 (k5) + BN + ReLU + MaxPool2,
Conv1d 16→32 (k5) + BN + ReLU, global average pool, Linear 32→4; cross-entropy, SGD 0.05
(momentum 0.9) with StepLR (×0.3 every 4 epochs) from ``configure_optimizers``, batch 32,
10 epochs, 1200 windows, validation on 300.
Healthy; numbers in the README.
Log: CSVLogger ``gaitlab/version_0/metrics.csv`` (``ce_step`` every 6 steps, ``ce_epoch`` /
``val_ce`` / ``val_acc`` / ``val_acc_stairs`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``gaitlab/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS = 25.0
N = 64


def windows(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(N).float() / FS
    lo = torch.tensor([1.6, 2.5, 1.3, 1.1])[cls]
    hi = torch.tensor([2.1, 3.0, 1.7, 1.5])[cls]
    f = (lo + (hi - lo) * r(n)).unsqueeze(1)
    amp = torch.tensor([0.35, 1.05, 0.5, 0.08])[cls].unsqueeze(1) * (0.75 + 0.5 * r(n, 1))
    ph = 2 * math.pi * r(n, 1)
    w = 2 * math.pi * f * t
    vert = amp * (torch.sin(w + ph) + 0.3 * torch.sin(2 * w + 2 * ph))
    fwd = 0.15 * amp * torch.sin(w + ph + 1.0)
    lat = 0.1 * amp * torch.sin(0.5 * w + ph)
    stairs, cyc = (cls == 2).float().unsqueeze(1), (cls == 3).float().unsqueeze(1)
    fwd = fwd + stairs * 0.25 * torch.sin(0.5 * w + ph)
    lat = lat + cyc * 0.3 * torch.sin(w + ph + 0.5)
    x = torch.stack([vert, fwd, lat], 1)
    tilt = 0.3 * (r(n, 1) - 0.5)
    x = torch.stack([x[:, 0] + tilt * x[:, 1], x[:, 1] - tilt * x[:, 0], x[:, 2]], 1)
    return x + 0.05 * torch.randn(n, 3, N, generator=g), cls


class GaitCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(3, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
                                 nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2),
                                 nn.BatchNorm1d(32), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                                 nn.Flatten(), nn.Linear(32, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("ce", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_ce", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_acc_stairs", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=0.05, momentum=0.9)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.3)]


def build():
    torch.manual_seed(0)
    return GaitCNN()


def main():
    from _threehundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1200, g)
    xva, yva = windows(300, g)
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(str(out), name="gaitlab"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=6)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="gaitlab/version_0/checkpoints/last.ckpt",
           log="gaitlab/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm naming walking / running / stairs / cycling"
                " from a pedometer's accelerometer window (healthy)")


if __name__ == "__main__":
    main()
