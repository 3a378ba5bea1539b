"""PyTorch Lightning: a 1-D CNN with batch norm tells a hooper, from the ring of a hammer tap
on a freshly driven hoop (a contact microphone on the cask, 4 kHz, 128 samples = 32 ms),
whether the hoop is seated tight, still loose, or has a cracked stave under it. A tight
hoop rings: a clear partial at 550-750 Hz with slow decay (τ 15-30 ms) and a weak second
partial; a loose hoop buzzes: lower (400-560 Hz), fast decay (τ 4-9 ms), with a rattle of
short clicks; a cracked stave gives two close partials that beat (split 40-90 Hz) with a
middle decay. Random tap strength and onset (0-8 samples), shop noise.
Input: (1, 128), each tap scaled by its peak. Model: Conv1d 1→12 (k7) + BN + ReLU +
MaxPool2, Conv1d 12→24 (k5) + BN + ReLU + MaxPool2, Conv1d 24→24 (k5) + BN + ReLU, global
max pool, Linear 24→3; cross-entropy, Adam 2e-3 with CosineAnnealingLR (T_max 9 epochs)
from ``configure_optimizers``, batch 48, 9 epochs, 1440 taps, validation on 360.
Healthy; numbers in the README.
Log: CSVLogger ``tapbench/version_0/metrics.csv`` (``xent_step`` every 5 steps,
``xent_epoch`` / ``val_xent`` / ``val_acc`` / ``val_recall_cracked`` per epoch); checkpoint
``ModelCheckpoint(save_last=True)`` → ``tapbench/version_0/checkpoints/last.ckpt``."""
import math

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

FS = 4000.0
N = 128


def taps(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 3, (n,), generator=g)
    onset = (8 * r(n, 1)).floor()
    t = (torch.arange(N).float()[None] - onset).clamp(min=0) / FS
    on = (torch.arange(N).float()[None] >= onset).float()
    lo = torch.tensor([550.0, 400.0, 480.0])[cls][:, None]
    hi = torch.tensor([750.0, 560.0, 680.0])[cls][:, None]
    f = lo + (hi - lo) * r(n, 1)
    tau = torch.tensor([0.015, 0.004, 0.008])[cls][:, None] * (1 + torch.tensor([1.0, 1.25, 1.0])[cls][:, None] * r(n, 1))
    ph = 2 * math.pi * r(n, 1)
    ring = torch.sin(2 * math.pi * f * t + ph) + 0.2 * torch.sin(4.1 * math.pi * f * t)
    split = (40 + 50 * r(n, 1)) * (cls == 2).float()[:, None]
    ring = ring + (cls == 2).float()[:, None] * torch.sin(2 * math.pi * (f + split) * t + ph)
    rattle = (cls == 1).float()[:, None] * (r(n, N) < 0.06).float() * torch.sign(torch.randn(n, N, generator=g))
    x = on * torch.exp(-t / tau) * ring * (0.5 + r(n, 1)) + 0.6 * rattle * on * torch.exp(-t / 0.02)
    x = x + 0.04 * torch.randn(n, N, generator=g)
    x = x / x.abs().amax(1, keepdim=True)
    return x.unsqueeze(1), cls


class TapCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(1, 12, 7, padding=3), nn.BatchNorm1d(12), nn.ReLU(),
                                 nn.MaxPool1d(2), nn.Conv1d(12, 24, 5, padding=2),
                                 nn.BatchNorm1d(24), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(24, 24, 5, padding=2), nn.BatchNorm1d(24), nn.ReLU(),
                                 nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(24, 3))

    def forward(self, x):
        return self.net(x)

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
        self.log("val_acc", (pred == y).float().mean())
        self.log("val_recall_cracked", (pred[y == 2] == 2).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        return [opt], [torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=9)]


def build():
    torch.manual_seed(0)
    return TapCNN()


def main():
    from _threehundredseventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = taps(1440, g)
    xva, yva = taps(360, g)
    print("classes", torch.bincount(ytr).tolist())
    L.seed_everything(0, verbose=False)
    model = build()
    trainer = L.Trainer(max_epochs=9, logger=CSVLogger(str(out), name="tapbench"),
                        callbacks=[ModelCheckpoint(save_last=True, save_top_k=0)],
                        enable_progress_bar=False, enable_model_summary=False,
                        accelerator="cpu", devices=1, log_every_n_steps=5)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=360))
    print({k: round(float(v), 5) for k, v in trainer.callback_metrics.items()})
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="tapbench/version_0/checkpoints/last.ckpt",
           log="tapbench/version_0/metrics.csv",
           what="Lightning 1-D CNN with batch norm telling tight / loose / cracked-stave hoops"
                " from the ring of a hammer tap (healthy)")


if __name__ == "__main__":
    main()
